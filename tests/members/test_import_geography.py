"""An imported venue's commune comes from the MEL outlines: border towns on both
sides, associated communes, swapped coordinates, contradictions reported."""

import pytest

from members import geography
from tests.members.import_helpers import DATA, creates, plan_of, skips

# Real positions (town halls or centres) on both sides of the Belgian border.
FRANCE = {
    "Halluin": (50.7839, 3.1262, "59279"),
    "Wattrelos": (50.7017, 3.2164, "59650"),
    "Comines": (50.7617, 3.0083, "59152"),
    "Lomme": (50.6440, 2.9870, "59350"),  # associated commune of Lille
    "Hellemmes": (50.6280, 3.1100, "59350"),  # associated commune of Lille
}
BELGIUM = {
    "Menen": (50.7967, 3.1222),
    "Estaimpuis": (50.7044, 3.2686),
    "Comines-Warneton": (50.7700, 3.0050),
    "Mouscron": (50.7447, 3.2064),
    "Kortrijk": (50.8280, 3.2650),
}


@pytest.mark.parametrize("town", FRANCE)
def test_a_french_point_is_in_its_commune(town):
    lat, lng, code = FRANCE[town]
    assert geography.commune_at(lat, lng) == code


@pytest.mark.parametrize("town", BELGIUM)
def test_a_belgian_point_is_in_no_commune(town):
    lat, lng = BELGIUM[town]
    assert geography.commune_at(lat, lng) is None
    _code, distance = geography.nearest_commune(lat, lng)
    assert distance > 0.2


def test_lomme_and_hellemmes_codes_stand_for_lille():
    assert geography.canonical_code("59355") == "59350"
    assert geography.canonical_code("59298") == "59350"
    assert geography.canonical_code("59512") == "59512"


def test_outlines_carry_the_official_names():
    assert geography.outlines()["59368"].name == "La Madeleine"
    assert geography.outlines()["59051"].name == "La Bassée"


def test_the_map_outlines_are_small_and_complete():
    data = geography.outlines_geojson()
    kinds = [feature["properties"]["kind"] for feature in data["features"]]
    assert kinds.count("metropole") == 1 and kinds.count("commune") == 95
    assert geography.metropole().contains(geography.outlines()["59350"].geometry.centroid)


@pytest.mark.django_db
def test_umap_backup_border_towns_on_both_sides():
    _source, plan = plan_of(DATA / "umap_backup.umap")
    created = creates(plan)
    assert created["La Filature de Halluin"][1]["commune"].insee_code == "59279"
    assert created["Coworking du Pont de Comines"][1]["commune"].insee_code == "59152"
    skipped = skips(plan)
    assert (
        "hors de la Métropole européenne de Lille, à 0,7 km de Halluin"
        in skipped["objet n° 2 « Het Atelier Menen »"]
    )
    assert "de Comines" in skipped["objet n° 4 « Coworking de Comines-Warneton »"]
    assert skipped["objet n° 5 « Parcours vélo »"] == "géométrie non ponctuelle"


@pytest.mark.django_db
def test_umap_export_wattrelos_and_estaimpuis():
    _source, plan = plan_of(DATA / "umap_export.geojson")
    assert creates(plan)["L'Usine à Wattrelos"][1]["commune"].insee_code == "59650"
    assert "à 0,6 km de Wattrelos" in skips(plan)["objet n° 2 « Le Hangar d'Estaimpuis »"]


@pytest.mark.django_db
def test_osm_lomme_and_hellemmes_are_lille_and_kortrijk_is_refused():
    source, plan = plan_of(DATA / "overpass_export.geojson")
    assert source == "openstreetmap"
    created = creates(plan)
    assert created["Métalu"][1]["commune"].insee_code == "59350"
    assert created["Lomme Lab"][1]["commune"].insee_code == "59350"
    row, _record = created["Métalu"]
    assert row.warnings == []  # 59260 is one of Lille's postcodes (Hellemmes)
    assert "hors de la Métropole" in skips(plan)["objet n° 4 « Kortrijk Cowork »"]


@pytest.mark.django_db
def test_a_postcode_that_contradicts_the_point_is_reported():
    _source, plan = plan_of(DATA / "overpass_export.geojson")
    row, record = creates(plan)["La Coroutine"]
    assert record["commune"].name == "Lille"
    assert "code postal 59100 incohérent avec Lille (59350)" in row.warnings


@pytest.mark.django_db
def test_a_declared_insee_code_that_contradicts_the_point_is_reported_and_the_point_decides():
    _source, plan = plan_of(DATA / "lieux_proprietes_fr.geojson")
    row, record = creates(plan)["Atelier Déclaré à Roubaix"]
    assert record["commune"].name == "Lille"
    assert "la position est à Lille, pas à Roubaix comme déclaré (59512) : à vérifier" in row.warnings


@pytest.mark.django_db
def test_swapped_coordinates_are_detected_and_corrected():
    _source, plan = plan_of(DATA / "lieux_proprietes_fr.geojson")
    row, record = creates(plan)["Lieu aux coordonnées inversées"]
    assert (record["latitude"], record["longitude"]) == (50.6330, 3.0595)
    assert record["commune"].name == "Lille"
    assert any("latitude et longitude inversées" in warning for warning in row.warnings)


@pytest.mark.django_db
def test_mouscron_no_longer_lands_in_a_french_commune():
    _source, plan = plan_of(DATA / "lieux_proprietes_fr.geojson")
    reason = skips(plan)["objet n° 5 « Café de Mouscron »"]
    assert reason.startswith("commune introuvable : la position (50.7447, 3.2064) est hors de la Métropole")


@pytest.mark.django_db
def test_census_hellemmes_and_lomme_codes_resolve_to_lille(tmp_path):
    census = (DATA / "anct_excerpt.csv").read_text(encoding="utf-8").splitlines()
    header, row = census[0], next(line for line in census if line.startswith("1168,"))
    lomme = row.replace(",59512,Roubaix,", ",59355,Lomme,").replace("50.689089,3.162298", "50.644,2.987")
    path = tmp_path / "census.csv"
    path.write_text(f"{header}\n{lomme}\n", encoding="utf-8")
    _source, plan = plan_of(path)
    ((_row, record),) = plan.creates
    assert record["commune"].insee_code == "59350"
