import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from members.models import VenuePage

DATA = Path(__file__).parent / "data"
CENSUS = DATA / "anct_excerpt.csv"


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_venues", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_reports_and_writes_nothing(site_tree):
    out, _err = run(CENSUS)
    assert "SIMULATION" in out
    assert "créés : 6, mis à jour : 0, inchangés : 0, ignorés : 4" in out
    assert "commune hors de la métropole (code INSEE 44109)" in out
    assert "doublon de la ligne" in out
    assert not VenuePage.objects.exists()


def test_census_import_commits_drafts_and_is_idempotent(site_tree):
    out, _err = run(CENSUS, "--commit")
    assert "créés : 6" in out
    venues = VenuePage.objects.order_by("title")
    assert venues.count() == 6
    assert not venues.filter(live=True).exists()
    welcome = venues.get(source_id="123")
    assert welcome.title == "Le Welcome Bar"  # upper-case name tidied
    assert welcome.source == "anct-2019"
    assert welcome.commune.insee_code == "59350"
    assert venues.get(source_id="1168").main_activity == "fablab"
    assert venues.get(source_id="3").main_activity == "coworking"
    assert welcome.revisions.count() == 1

    out, _err = run(CENSUS, "--commit")
    assert "créés : 0, mis à jour : 0, inchangés : 6, ignorés : 4" in out
    assert VenuePage.objects.count() == 6


def test_publish_option(site_tree):
    run(CENSUS, "--commit", "--publish")
    assert VenuePage.objects.live().count() == 6


def test_reimport_updates_changed_fields_without_erasing(site_tree, tmp_path):
    run(CENSUS, "--commit")
    venue = VenuePage.objects.get(source_id="3")
    venue.summary = "Écrit par le lieu."
    venue.save_revision().publish()
    changed = tmp_path / "census.csv"
    changed.write_text(
        CENSUS.read_text(encoding="utf-8").replace("Co-Factory", "Co-Factory Lille"), encoding="utf-8"
    )
    out, _err = run(changed, "--commit")
    assert "créés : 0, mis à jour : 1" in out
    assert ": title" in out
    venue = VenuePage.objects.get(source_id="3")
    assert venue.title == "Co-Factory Lille"
    assert venue.summary == "Écrit par le lieu."
    assert venue.live  # a live venue is published again


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json {", "Rien n'est importé"),
        ('{"type": "Topology"}', "ni une FeatureCollection GeoJSON"),
        ("a,b\n1,2\n", "colonnes CSV inconnues"),
    ],
)
def test_malformed_files_are_refused_without_traceback(site_tree, tmp_path, content, message):
    path = tmp_path / ("bad.geojson" if content.startswith(("{", "n")) else "bad.csv")
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(path, "--commit")
    assert not VenuePage.objects.exists()


def test_missing_and_binary_files(site_tree, tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "absent.csv")
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\xff\xfe\x00\x00garbage")
    with pytest.raises(CommandError):
        run(binary)


def test_malformed_rows_are_skipped_with_a_reason(site_tree, tmp_path):
    path = tmp_path / "ours.csv"
    path.write_text(
        "id,name,insee_code,main_activity,activities,surface_m2,latitude,longitude\n"
        "1,Bon lieu,59350,fablab,fablab,120,50.63,3.06\n"
        "2,,59350,fablab,fablab,,,\n"
        "3,Surface folle,59350,fablab,fablab,beaucoup,,\n"
        "4,Activité inconnue,59350,piscine,,,,\n",
        encoding="utf-8",
    )
    out, _err = run(path, "--commit")
    assert "créés : 1, mis à jour : 0, inchangés : 0, ignorés : 3" in out
    assert "nom manquant" in out
    assert "n'est pas un nombre" in out
    assert "activité inconnue" in out


def test_umap_geojson(site_tree):
    out, _err = run(DATA / "umap_excerpt.geojson", "--commit")
    assert "créés : 2" in out
    assert "géométrie non ponctuelle" in out
    assert "commune introuvable" in out
    assert "coordonnées incomplètes" in out
    cafe = VenuePage.objects.get(title="Café Bricole")
    assert cafe.commune.name == "Lille"
    assert "<script>" not in cafe.summary and "alert" not in cafe.summary
    assert cafe.source == "geojson:umap_excerpt"


def test_round_trip_of_our_exports(client, make_venue, tmp_path):
    make_venue(title="Atelier Rond", main_activity="fablab", tags=["impression 3D"], surface_m2=80)
    make_venue(title="Café Carré", main_activity="culture_cafe", secondary_activities=["coworking"])
    for url, name in (("/lieux/lieux.csv", "export.csv"), ("/lieux/lieux.geojson", "export.geojson")):
        path = tmp_path / name
        path.write_bytes(client.get(url).content)
        out, _err = run(path, "--commit")
        assert "créés : 0, mis à jour : 0, inchangés : 2, ignorés : 0" in out, out


def test_export_imports_into_an_empty_directory(client, make_venue, tmp_path, site_tree):
    make_venue(
        title="Atelier Rond", main_activity="fablab", tags=["impression 3D", "découpe laser"], capacity=12
    )
    data = client.get("/lieux/lieux.geojson").content
    VenuePage.objects.all().delete()
    path = tmp_path / "export.geojson"
    path.write_bytes(data)
    run(path, "--commit", "--publish")
    venue = VenuePage.objects.get()
    assert venue.title == "Atelier Rond" and venue.capacity == 12
    assert sorted(venue.tag_names) == ["découpe laser", "impression 3D"]
    assert json.loads(data)["features"][0]["properties"]["name"] == "Atelier Rond"


def test_progress_bar_goes_to_stderr(site_tree, tmp_path):
    lines = ["id,name,insee_code,main_activity"] + [f"{n},Lieu {n},59350,coworking" for n in range(12)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = run(path, "--commit")
    assert "12/12" in err
    assert "créés : 12" in out
