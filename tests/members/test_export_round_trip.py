"""Export, wipe, ``import_venues --commit`` on the emptied site: the very same venues come back."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from members.models import Commune, VenueIndexPage, VenuePage

# What the exports carry, hence what an import must give back exactly.
ROUND_TRIP_FIELDS = (
    "title",
    "summary",
    "main_activity",
    "secondary_activities",
    "street_address",
    "commune_id",
    "latitude",
    "longitude",
    "surface_m2",
    "capacity",
    "in_qpv",
    "step_free_access",
    "offers_mentoring",
    "is_free",
    "solidarity_pricing",
    "website",
    "email",
    "phone",
    "last_checked",
)


@pytest.fixture
def tricky_venues(make_venue):
    roubaix = Commune.objects.get(insee_code="59512")
    make_venue(
        title='L\'Atelier « Grand » "du coin"',
        summary='Un lieu "ouvert" ; des points-virgules; des virgules, des accents : éàçœ\nEt la suite.',
        main_activity="fablab",
        secondary_activities=["coworking", "mediation_numerique"],
        tags=["impression 3D", "café, thé", "découpe laser"],
        street_address='12, rue "des Arts" ; bât. B',
        latitude=50.631234,
        longitude=3.061234,
        surface_m2=120,
        capacity=30,
        in_qpv=True,
        step_free_access=True,
        is_free=True,
        solidarity_pricing=True,
        website="https://exemple.org/lieu?a=1&b=2",
        email="contact@exemple.org",
        phone="+33 3 20 12 34 56",
        last_checked=date(2025, 3, 14),
    )
    make_venue(
        title="'t Kabinet",  # starts with an apostrophe, which is not a guard
        summary='=HYPERLINK("https://evil.example") ; \'=déjà protégé à la main',
        main_activity="culture_cafe",
        commune=roubaix,  # no position of its own: the export gives the commune's, marked approximate
        surface_m2=None,
        capacity=None,
        phone="03 20 00 00 00",
    )
    make_venue(
        title="Le Repaire",
        summary="-20 % pour les étudiant·es\r\n+1 café offert\tet @tout le monde",
        main_activity="coworking",
        secondary_activities=["accompagnement"],
        tags=["@mention", "-moins"],
        street_address="+ loin que la gare",
        latitude=50.7,
        longitude=3.1,
        phone="+33 (0)3 20 99 99 99",
        email="-accueil@exemple.org",
        last_checked=date(2024, 12, 31),
    )
    make_venue(title="'=déjà", summary="''@SUM(A1)", phone="-")


def snapshot():
    return {
        venue.title: {
            **{name: getattr(venue, name) for name in ROUND_TRIP_FIELDS},
            "tags": sorted(venue.tag_names),
        }
        for venue in VenuePage.objects.live().prefetch_related("tags")
    }


def run(path, *args):
    out = StringIO()
    call_command("import_venues", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/lieux/lieux.csv", "lieux.csv"),
        ("/lieux/lieux.csv?format=excel", "lieux-excel.csv"),
        ("/lieux/lieux.geojson", "lieux.geojson"),
    ],
)
def test_an_export_imported_into_a_fresh_site_gives_the_same_venues(
    client, tricky_venues, tmp_path, url, name
):
    before = snapshot()
    assert len(before) == 4
    path = tmp_path / name
    path.write_bytes(client.get(url).content)
    VenuePage.objects.all().delete()

    out = run(path, "--commit", "--publish")

    assert "créés : 4, mis à jour : 0, inchangés : 0, ignorés : 0" in out, out
    assert "warning" not in out, out
    after = snapshot()
    assert set(after) == set(before)
    for title, fields in before.items():
        for field, value in fields.items():
            assert after[title][field] == value, (title, field)
    assert set(VenuePage.objects.values_list("source", flat=True)) == {"compagnie"}
    # And once more: the same file changes nothing.
    assert "créés : 0, mis à jour : 0, inchangés : 4, ignorés : 0" in run(path, "--commit")


def test_a_file_saved_by_french_excel_is_read(site_tree, tmp_path):
    """``;``, a byte-order mark, decimal commas, dates as Excel writes them, the guard kept."""
    path = tmp_path / "lieux.csv"
    path.write_bytes(
        "\ufeffid;name;summary;main_activity;activities;insee_code;latitude;longitude;"
        "position_approximate;phone;last_checked\r\n"
        '7;Le Lieu;"Dit ""le lieu""; ouvert";fablab;fablab;59350;50,63;3,06;0;'
        "'+33 3 20 12 34 56;14/03/2025\r\n".encode()
    )
    out = run(path, "--commit")
    assert "créés : 1, mis à jour : 0, inchangés : 0, ignorés : 0" in out, out
    venue = VenuePage.objects.get()
    assert venue.summary == 'Dit "le lieu"; ouvert'
    assert (venue.latitude, venue.longitude) == (50.63, 3.06)
    assert venue.phone == "+33 3 20 12 34 56"
    assert venue.last_checked == date(2025, 3, 14)


def test_an_invalid_date_is_reported_not_imported(site_tree, tmp_path):
    path = tmp_path / "lieux.csv"
    path.write_text("id,name,insee_code,main_activity,last_checked\n1,Le Lieu,59350,fablab,hier\n")
    out = run(path, "--commit")
    assert "last_checked ignoré (date invalide) : hier" in out
    assert VenuePage.objects.get().last_checked is None


def test_an_import_without_a_directory_page_says_what_to_do(site_tree, tmp_path):
    VenueIndexPage.objects.all().delete()
    path = tmp_path / "lieux.csv"
    path.write_text("id,name,insee_code,main_activity\n1,Le Lieu,59350,fablab\n")
    with pytest.raises(CommandError, match="pas de page d'annuaire des lieux"):
        run(path, "--commit")
    assert not VenuePage.objects.exists()
