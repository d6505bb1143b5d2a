"""Import messages in the user's language (French first, English catalogue), each
with its place in the file: a CSV row's line, a GeoJSON feature's index and name."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.members.import_helpers import DATA


def run(path, language):
    out = StringIO()
    with translation.override(language):
        call_command("import_venues", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_geojson_messages_name_the_feature_in_french(site_tree):
    out = run(DATA / "lieux_proprietes_fr.geojson", "fr")
    assert "objet n° 5 « Café de Mouscron »: skipped: commune introuvable : la position" in out
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
    assert "ligne 2: skipped: commune hors de la métropole (code INSEE 44109)" in french
    assert "line 2: skipped: commune outside the Métropole (INSEE code 44109)" in english
    assert "duplicate of line 4" in english
    assert "warning: imprecise geocoding (0.4): check the position" in english


def test_a_refused_file_says_why_in_english(site_tree, tmp_path):
    path = tmp_path / "lieux.csv"
    path.write_bytes(b"nom;adresse\r\n\x81\x8d;rue\r\n")
    with translation.override("en"), pytest.raises(CommandError, match="CSV UTF-8 \\(Comma delimited\\)"):
        call_command("import_venues", str(path), stdout=StringIO(), stderr=StringIO())
