"""Every shape of file people have, each from a fixture in its tool's real format."""

import json

import pytest

from members.import_records import umap_text
from members.importer import ImportFileError, read_file
from tests.members.import_helpers import DATA, creates, plan_of, skips

pytestmark = pytest.mark.django_db


def test_umap_full_backup_reads_every_layer_and_cleans_the_markup():
    source, plan = plan_of(DATA / "umap_backup.umap")
    assert source == "geojson:umap_backup"
    created = creates(plan)
    assert set(created) == {"La Filature de Halluin", "Coworking du Pont de Comines"}
    _row, filature = created["La Filature de Halluin"]
    assert filature["summary"] == "Atelier partagé au bord de la Lys. Notre site"
    assert filature["website"] == "https://filature-halluin.example.org"
    _row, comines = created["Coworking du Pont de Comines"]
    assert comines["summary"] == "Bureaux partagés côté français. Horaires Du lundi au vendredi."
    assert len(plan.skips) == 3  # Menen, Comines-Warneton (Belgium), a line


def test_umap_geojson_export_cleans_the_markup():
    _source, plan = plan_of(DATA / "umap_export.geojson")
    _row, usine = creates(plan)["L'Usine à Wattrelos"]
    assert usine["summary"] == "Un fab lab dans une ancienne filature. Contact : écrivez-nous"
    assert "{" not in usine["summary"] and "*" not in usine["summary"]


def test_umap_markup():
    assert umap_text("**gras** et *italique* [[https://a.example|lien]] [[https://b.example]]") == (
        "gras et italique lien https://b.example"
    )
    assert umap_text("{{https://a.example/i.png}}{{{https://a.example/frame}}}texte").strip() == "texte"


def test_openstreetmap_export_reads_addr_website_and_contact_tags():
    _source, plan = plan_of(DATA / "overpass_export.geojson")
    _row, metalu = creates(plan)["Métalu"]
    assert metalu["source_id"] == "node/4433221101"
    assert metalu["street_address"] == "55 Rue Jean Bart"
    assert metalu["website"] == "https://metalu.example.org/"
    assert metalu["email"] == "bonjour@metalu.example.org"
    assert metalu["phone"] == "+33 3 20 00 00 01"
    assert metalu["social_links"] == "https://www.facebook.com/metalu.example"
    assert metalu["main_activity"] == "coworking"
    row, lab = creates(plan)["Lomme Lab"]  # a building (way): a point inside its outline
    assert lab["main_activity"] == "fablab"
    assert 50.6437 < lab["latitude"] < 50.6443
    assert "position prise à l'intérieur du contour" in row.warnings


def test_french_property_names_in_any_case():
    _source, plan = plan_of(DATA / "lieux_proprietes_fr.geojson")
    row, parcelle = creates(plan)["La Parcelle Collective"]
    assert parcelle["commune"].name == "Roubaix"
    assert parcelle["street_address"] == "14 place du Général Faidherbe"
    assert parcelle["website"] == "https://www.parcelle.example.org"
    assert parcelle["email"] == "contact@parcelle.example.org"
    assert parcelle["phone"] == "03 20 00 00 02"
    assert row.warnings == []


def test_english_property_names(tmp_path):
    feature = {
        "type": "Feature",
        "properties": {
            "Name": "Open Space",
            "Address": "1 rue X",
            "Postcode": "59000",
            "Email": "a@b.example",
        },
        "geometry": {"type": "Point", "coordinates": [3.0595, 50.6330]},
    }
    path = tmp_path / "english.geojson"
    path.write_text(json.dumps(feature), encoding="utf-8")
    _source, plan = plan_of(path)
    _row, record = creates(plan)["Open Space"]
    assert (record["street_address"], record["email"], record["commune"].name) == (
        "1 rue X",
        "a@b.example",
        "Lille",
    )


def test_a_single_feature_is_a_one_feature_collection(tmp_path):
    path = tmp_path / "one.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {"nom": "Seul lieu", "code_insee": "59350"},
                "geometry": {"type": "Point", "coordinates": [3.0595, 50.6330]},
            }
        ),
        encoding="utf-8",
    )
    _source, plan = plan_of(path)
    assert list(creates(plan)) == ["Seul lieu"]


def test_a_census_saved_by_excel_in_windows_1252_with_semicolons():
    source, plan = plan_of(DATA / "anct_excel_windows1252.csv")
    assert source == "anct-2019"
    created = creates(plan)
    assert set(created) == {"New Workers", "REACTIF & Co", "Métalu.net", "MonsFabrica"}
    _row, metalu = created["Métalu.net"]
    assert metalu["commune"].name == "Lille"  # Hellemmes
    assert (metalu["latitude"], metalu["longitude"]) == (50.62877, 3.0996)  # decimal commas
    assert created["MonsFabrica"][1]["commune"].name == "Mons-en-Barœul"


def test_a_file_in_no_known_encoding_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "lieux.csv"
    path.write_bytes(b"nom;adresse\r\nLieu;rue\r\n" + b"\x81\x8d")
    with pytest.raises(ImportFileError, match="CSV UTF-8"):
        read_file(path)


def test_any_csv_with_a_name_column(tmp_path):
    path = tmp_path / "tableur.csv"
    path.write_text(
        "Nom;Adresse;Code postal;Latitude;Longitude;Courriel\n"
        "Le Local;3 rue Y;59000;50,6330;3,0595;x@y.example\n",
        encoding="utf-8",
    )
    source, plan = plan_of(path)
    assert source == "csv"
    _row, record = creates(plan)["Le Local"]
    assert (record["commune"].name, record["email"]) == ("Lille", "x@y.example")


def test_the_census_excerpt_still_reads_as_before():
    source, plan = plan_of(DATA / "anct_excerpt.csv")
    assert source == "anct-2019"
    assert len(plan.creates) == 6
    assert skips(plan)["ligne 2"] == "commune hors de la métropole (code INSEE 44109)"


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        ({"type": "Polygon", "coordinates": []}, "contour illisible"),
        ({"type": "Polygon", "coordinates": [[["a", "b"]]]}, "contour illisible"),
        ({"type": "LineString", "coordinates": [[3.0, 50.6], [3.1, 50.7]]}, "géométrie non ponctuelle"),
    ],
)
def test_unreadable_geometries_skip_their_feature(tmp_path, geometry, reason):
    path = tmp_path / "bad.geojson"
    path.write_text(
        json.dumps({"type": "Feature", "properties": {"nom": "Lieu"}, "geometry": geometry}), encoding="utf-8"
    )
    _source, plan = plan_of(path)
    assert skips(plan) == {"objet n° 1 « Lieu »": reason}


def test_a_umap_backup_without_layers_is_refused(tmp_path):
    path = tmp_path / "carte.umap"
    path.write_text(json.dumps({"type": "umap", "uri": "https://umap.example/map/1", "layers": {}}))
    with pytest.raises(ImportFileError, match="layers"):
        read_file(path)
