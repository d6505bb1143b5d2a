"""``import_venues`` on hostile values: every column has a type and a range; a
bad value skips its row with a reason, a bad file is refused, never a traceback."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from members.models import VenuePage

GOOD = {"name": "Bon lieu", "insee_code": "59350", "main_activity": "fablab", "activities": ["fablab"]}


def _geojson(tmp_path, *properties, coordinates=(3.06, 50.63)):
    features = [
        {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": coordinates}}
        for props in properties
    ]
    path = tmp_path / "venues.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def run(path):
    out = StringIO()
    call_command("import_venues", str(path), "--commit", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"surface_m2": "1e400"}, "surface_m2 n'est pas un nombre fini"),
        ({"surface_m2": float("inf")}, "surface_m2 n'est pas un nombre fini"),
        ({"surface_m2": "nan"}, "surface_m2 n'est pas un nombre fini"),
        ({"surface_m2": 10**30}, "surface_m2 dépasse 1000000"),
        ({"capacity": "3000000000"}, "capacity dépasse 100000"),
        ({"capacity": [12]}, "capacity : une valeur simple est attendue"),
        ({"main_activity": ["fablab"]}, "main_activity : une valeur simple est attendue"),
        ({"main_activity": {"code": "fablab"}}, "main_activity : une valeur simple est attendue"),
        ({"activities": [["fablab"]]}, "activities : une valeur simple est attendue"),
        ({"tags": [{"nom": "x"}]}, "tags : une valeur simple est attendue"),
        ({"name": "Lieu\u0000nul"}, "name contient un caractère interdit"),
        ({"summary": "moitié \ud800"}, "summary contient un caractère interdit"),
        ({"website": {"url": "https://example.org"}}, "website : une valeur simple est attendue"),
    ],
)
def test_a_bad_value_skips_its_row_with_a_reason(site_tree, tmp_path, values, reason):
    out = run(_geojson(tmp_path, {**GOOD, "name": "Autre lieu"}, {**GOOD, **values}))
    assert "créés : 1, mis à jour : 0, inchangés : 0, ignorés : 1" in out
    assert reason in out
    assert list(VenuePage.objects.values_list("title", flat=True)) == ["Autre lieu"]


def test_numbers_where_text_is_expected_are_read_as_text(site_tree, tmp_path):
    out = run(_geojson(tmp_path, {**GOOD, "activities": 5, "tags": 1789, "surface_m2": 120.0}))
    assert "créés : 1" in out
    venue = VenuePage.objects.get()
    assert (venue.main_activity, venue.secondary_activities, venue.surface_m2) == ("fablab", [], 120)
    assert venue.tag_names == ["1789"]


def test_coordinates_that_are_not_numbers_skip_the_row(site_tree, tmp_path):
    out = run(_geojson(tmp_path, GOOD, coordinates=({"x": 1}, [2])))
    assert "ignorés : 1" in out
    assert "latitude : une valeur simple est attendue" in out or "longitude" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "JSON trop imbriqué"),
        ('{"type": "FeatureCollection", "features": [{"properties": ' * 50_000, "trop imbriqué"),
        ('{"type": "FeatureCollection", "n": ' + "9" * 5000 + "}", "JSON invalide"),
    ],
)
def test_a_json_file_nested_too_deep_is_refused(site_tree, tmp_path, content, message):
    path = tmp_path / "deep.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(path)


def test_a_csv_with_a_nul_or_an_infinite_surface(site_tree, tmp_path):
    path = tmp_path / "ours.csv"
    path.write_text(
        "id,name,insee_code,main_activity,activities,surface_m2\n"
        "1,Bon lieu,59350,fablab,fablab,120\n"
        "2,Lieu\x00nul,59350,fablab,fablab,\n"
        "3,Infini,59350,fablab,fablab,1e400\n",
        encoding="utf-8",
    )
    out = run(path)
    assert "créés : 1, mis à jour : 0, inchangés : 0, ignorés : 2" in out
    assert "name contient un caractère interdit" in out
    assert "surface_m2 n'est pas un nombre fini" in out
