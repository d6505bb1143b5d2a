"""Import messages in the user's language (French first, English catalogue), each
with its place in the file: a CSV row's line, a GeoJSON feature's index and name."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.members.import_helpers import DATA, plan_of


def run(path, language, *args):
    out = StringIO()
    call_command("import_venues", str(path), "--language", language, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_geojson_messages_name_the_feature_in_french(site_tree):
    out = run(DATA / "lieux_proprietes_fr.geojson", "fr")
    assert "objet n° 5 « Café de Mouscron » : ignorée : commune introuvable : la position" in out
    assert "la position est à Lille, pas à Roubaix comme déclaré (59512) : à vérifier" in out
    assert "latitude et longitude inversées (3.0595, 50.633) : corrigées" in out


def test_geojson_messages_name_the_feature_in_english(site_tree):
    out = run(DATA / "lieux_proprietes_fr.geojson", "en")
    assert (
        "feature no. 5 “Café de Mouscron”: skipped: commune not found: the position (50.7447, 3.2064) "
        "is outside the Métropole Européenne de Lille, 1.2 km from Wattrelos"
    ) in out
    assert "the position is in Lille, not in Roubaix as declared (59512): to check" in out
    assert "postcode 59100 does not match Lille (59350)" in out


def test_csv_messages_give_the_line_in_both_languages(site_tree):
    french = run(DATA / "anct_excerpt.csv", "fr")
    english = run(DATA / "anct_excerpt.csv", "en")
    assert "ligne 2 : ignorée : commune hors de la métropole (code INSEE 44109)" in french
    assert "line 2: skipped: commune outside the Métropole (INSEE code 44109)" in english
    assert "duplicate of line 4" in english
    assert "warning: imprecise geocoding (0.4): check the position" in english


def test_a_refused_file_says_why_in_english(site_tree, tmp_path):
    path = tmp_path / "lieux.csv"
    path.write_bytes(b"nom;adresse\r\n\x81\x8d;rue\r\n")
    with pytest.raises(CommandError, match=r"^Nothing imported: .*CSV UTF-8 \(Comma delimited\)"):
        call_command("import_venues", str(path), "--language", "en", stdout=StringIO(), stderr=StringIO())


def test_the_command_speaks_french_by_default(site_tree):
    out = StringIO()
    call_command("import_venues", str(DATA / "anct_excerpt.csv"), stdout=out, stderr=StringIO())
    out = out.getvalue()
    assert out.startswith("SIMULATION (rien n'est écrit ; ajoutez --commit) - source : ")
    assert "  ligne 4 : créer « Co-Factory » (Lille)" in out
    assert "créés : " in out and "ignorés : " in out and "fusions proposées : " in out
    assert "avertissement : géocodage imprécis" in out


def test_the_whole_report_is_english_with_language_en(site_tree):
    out = run(DATA / "anct_excerpt.csv", "en", "--commit")
    assert out.startswith("IMPORT - source: ")
    lines = out.splitlines()
    assert any(line.startswith("  line 4: create “Co-Factory” (Lille)") for line in lines), out
    assert lines[-1].startswith("created: ") and ", skipped: " in lines[-1] and ", merge proposals: " in out
    french = ("ligne", "créer", "ignorée", "inchangé", "fusion", "avertissement", "créés", "commune hors")
    assert not [line for line in lines if any(word in line for word in french)], out


def test_an_english_re_import_reports_unchanged_rows_and_merge_proposals(site_tree, tmp_path):
    path = tmp_path / "lieux.geojson"
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [3.0595, 50.633]},
        "properties": {"nom": "Cowork'in Lille", "adresse": "12 rue de Béthune", "code_insee": "59350"},
    }
    twin = {**feature, "properties": {**feature["properties"], "nom": "COWORKIN'LILLE"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature, twin]}), encoding="utf-8")
    out = run(path, "en")
    assert (
        "feature no. 2 “COWORKIN'LILLE”: merge proposal: “COWORKIN'LILLE” is "
        "feature no. 1 “Cowork'in Lille” (same address)"
    ) in out, out
    run(path, "fr", "--commit")
    out = run(path, "en")
    assert "feature no. 1 “Cowork'in Lille”: unchanged “Cowork'in Lille”" in out, out
    assert "created: 0, updated: 0, unchanged: 1, skipped: 0, merge proposals: 1" in out, out


def test_a_fresh_site_refusal_is_in_the_chosen_language(db, tmp_path):
    path = tmp_path / "lieux.csv"
    path.write_text("id,name,insee_code,main_activity\n1,Le Lieu,59350,fablab\n")
    with pytest.raises(CommandError, match="no venue directory page"):
        call_command("import_venues", str(path), "--commit", "--language", "en", stdout=StringIO())
    with pytest.raises(CommandError, match="Créez la page « Les lieux »"):
        call_command("import_venues", str(path), "--commit", stdout=StringIO())


def test_the_admin_preview_and_its_report_name_each_feature(site_tree):
    from members.imports import build_report, preview_rows, report_csv

    _source, plan = plan_of(DATA / "lieux_proprietes_fr.geojson")
    rows = {row["line"]: row for row in preview_rows(plan)}
    assert rows[5]["where"] == "objet n° 5 « Café de Mouscron »"
    report = list(csv.reader(io.StringIO(report_csv(build_report(plan, set(), [])))))
    assert report[5][:2] == ["5", "ignorée"] and report[5][6] == "objet n° 5 « Café de Mouscron »"
    with translation.override("en"):
        _source, plan = plan_of(DATA / "lieux_proprietes_fr.geojson")
        report = list(csv.reader(io.StringIO(report_csv(build_report(plan, set(), [])))))
        assert report[0][6] == "location" and report[5][6] == "feature no. 5 “Café de Mouscron”"
