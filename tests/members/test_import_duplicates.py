"""Duplicates and "never clobber": what a re-import or a second file may and may not do."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from members.import_matching import french_title, name_key, names_similar
from members.models import VenuePage
from members.services import update_venue

CENSUS_HEADER = ["ID", "NOM_TL", "ADRESSE", "CP", "INSEECOM", "WEB", "TYPO", "LAT", "LONG"]
COWORKING = "Tiers lieux à dominante coworking"
LILLE = (50.63297, 3.05858)
METRE_LAT = 1 / 111_195  # one metre north, in degrees of latitude


def census_file(tmp_path, rows, name="census.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CENSUS_HEADER)
        for row in rows:
            values = {"CP": "59000", "INSEECOM": "59350", "TYPO": COWORKING, "WEB": "", "LAT": "", "LONG": ""}
            values.update(row)
            writer.writerow([values.get(column, "") for column in CENSUS_HEADER])
    return path


def run(path, *args):
    out = StringIO()
    call_command("import_venues", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


# -- names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("LA COROUTINE DE LILLE", "La Coroutine de Lille"),
        ("L'ATELIER", "L'Atelier"),
        ("MAISON DE L'EMPLOI", "Maison de l'Emploi"),
        ("FABLAB DES HAUTS-DE-FRANCE", "Fablab des Hauts-De-France"),
        ("LE  WELCOME   BAR", "Le Welcome Bar"),
        ("Cowork'in Lille", "Cowork'in Lille"),  # mixed case: a person's spelling, kept
    ],
)
def test_names_in_capitals_are_title_cased_the_french_way(raw, expected):
    assert french_title(raw) == expected


def test_name_similarity():
    assert names_similar(name_key("COWORKIN'LILLE"), name_key("Cowork'in Lille"))
    assert names_similar(name_key("La Coroutine"), name_key("Coroutine"))
    assert not names_similar(name_key("Le Hangar"), name_key("La Coroutine"))
    assert not names_similar(name_key("Cowork'in Lille"), name_key("Fablab de Lille"))
    assert not names_similar(name_key("Tiers-lieu numéro 12"), name_key("Tiers-lieu numéro 13"))


# -- duplicates -----------------------------------------------------------------------


def test_the_census_spelling_of_an_existing_venue_is_a_merge_proposal(make_venue, tmp_path):
    existing = make_venue(title="Cowork'in Lille", street_address="12 rue de Paris", website="")
    path = census_file(
        tmp_path,
        [{"ID": "9", "NOM_TL": "COWORKIN'LILLE", "ADRESSE": "12, Rue de Paris", "WEB": "cowork.example"}],
    )

    out = run(path)
    assert "fusion proposée : « Coworkin'lille » est « Cowork'in Lille » (même adresse)" in out
    assert "compléterait : website" in out
    assert "créés : 0" in out and "fusions proposées : 1" in out

    run(path, "--commit")  # a proposal is not applied without --merge
    assert VenuePage.objects.count() == 1
    existing.refresh_from_db()
    assert existing.website == ""

    run(path, "--commit", "--merge")
    assert VenuePage.objects.count() == 1
    existing.refresh_from_db()
    assert existing.website == "https://cowork.example"
    assert existing.title == "Cowork'in Lille"  # the venue's own spelling stays


@pytest.mark.parametrize(("metres", "merged"), [(40, True), (200, False)])
def test_a_similar_name_nearby_is_a_duplicate_within_50_m_only(make_venue, tmp_path, metres, merged):
    make_venue(title="La Coroutine", latitude=LILLE[0], longitude=LILLE[1])
    path = census_file(
        tmp_path,
        [{"ID": "5", "NOM_TL": "COROUTINE", "LAT": LILLE[0] + metres * METRE_LAT, "LONG": LILLE[1]}],
    )
    run(path, "--commit")
    assert VenuePage.objects.count() == (1 if merged else 2)


def test_a_different_name_at_the_same_address_is_another_venue(make_venue, tmp_path):
    make_venue(title="Cowork'in Lille", street_address="12 rue de Paris")
    path = census_file(tmp_path, [{"ID": "9", "NOM_TL": "LE HANGAR NUMERIQUE", "ADRESSE": "12 rue de Paris"}])
    out = run(path, "--commit")
    assert "créés : 1" in out and "fusions proposées : 0" in out
    assert VenuePage.objects.count() == 2


def test_two_rows_of_one_file_for_one_venue_make_one_venue(site_tree, tmp_path):
    path = census_file(
        tmp_path,
        [
            {"ID": "1", "NOM_TL": "COWORKIN'LILLE", "ADRESSE": "12 rue de Paris"},
            {"ID": "2", "NOM_TL": "Cowork'in Lille", "ADRESSE": "12 rue de Paris", "WEB": "cowork.example"},
        ],
    )
    out = run(path, "--commit", "--merge")
    assert "fusion proposée : « Cowork'in Lille » est ligne 2 (même adresse)" in out
    venue = VenuePage.objects.get()
    assert venue.website == "https://cowork.example"  # what the second row adds is kept


# -- never clobber ----------------------------------------------------------------------


@pytest.fixture
def census_venue(make_venue):
    venue = make_venue(title="Co-Factory", main_activity="coworking", website="https://old.example")
    VenuePage.objects.filter(pk=venue.pk).update(source="anct-2019", source_id="3")
    return VenuePage.objects.get(pk=venue.pk)


def test_a_reimport_never_publishes_a_managers_draft(census_venue, tmp_path):
    draft = census_venue.get_latest_revision_as_object()
    draft.summary = "Brouillon du gestionnaire, pas encore relu."
    draft.save_revision()
    path = census_file(tmp_path, [{"ID": "3", "NOM_TL": "Co-Factory", "WEB": "new.example"}])

    out = run(path, "--commit")

    assert "a des modifications non publiées : l'import est enregistré comme brouillon à relire" in out
    live = VenuePage.objects.get(pk=census_venue.pk)
    assert live.summary == "Un tiers-lieu pour travailler et fabriquer ensemble."
    assert live.website == "https://old.example"
    assert live.has_unpublished_changes
    latest = live.get_latest_revision_as_object()
    assert latest.summary == "Brouillon du gestionnaire, pas encore relu."  # the draft is kept
    assert latest.website == "https://new.example"  # with the import added to it


def test_update_of_a_live_venue_without_draft_is_published(census_venue):
    _venue, published = update_venue(census_venue, {"website": "https://new.example"}, by=None)
    assert published
    assert VenuePage.objects.get(pk=census_venue.pk).website == "https://new.example"


@pytest.mark.parametrize(("chosen", "after"), [("fablab", "fablab"), ("autre", "coworking")])
def test_the_census_typology_never_replaces_a_chosen_main_activity(census_venue, tmp_path, chosen, after):
    VenuePage.objects.filter(pk=census_venue.pk).update(main_activity=chosen)
    run(census_file(tmp_path, [{"ID": "3", "NOM_TL": "Co-Factory", "TYPO": COWORKING}]), "--commit")
    assert VenuePage.objects.get(pk=census_venue.pk).main_activity == after


def test_the_importer_never_sets_the_mentoring_flag(make_venue, tmp_path):
    mentor_venue = make_venue(title="Le Hangar", offers_mentoring=True)
    path = tmp_path / "ours.csv"
    path.write_text(
        "id,name,insee_code,main_activity,offers_mentoring,summary\n"
        f"{mentor_venue.pk},Le Hangar,59350,coworking,0,Nouveau résumé\n"
        "99,Nouveau lieu,59350,fablab,1,Un lieu\n",
        encoding="utf-8",
    )
    run(path, "--commit")
    mentor_venue.refresh_from_db()
    assert mentor_venue.offers_mentoring
    assert mentor_venue.summary == "Nouveau résumé"
    assert not VenuePage.objects.get(title="Nouveau lieu").offers_mentoring
