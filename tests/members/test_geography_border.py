"""A point near the Belgian border is in the same commune for the importer, the
venue (its page, its admin form) and the network figures: the MEL outlines."""

import json
from io import StringIO

from django.core.management import call_command

from members import geography
from members.figures import compute_figures
from members.models import VenuePage
from tests.factories.venues import commune
from tests.members.test_ownership import _edit_form

# About 80 m on either side of the Halluin / Menen border.
HALLUIN_SIDE = (50.79002, 3.11975)
MENEN_SIDE = (50.79152, 3.1203)


def _feature(name, position):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [position[1], position[0]]},
        "properties": {"nom": name},
    }


def test_a_point_near_the_border_is_counted_in_halluin_by_the_importer_the_venue_and_the_figures(
    site_tree, client, tmp_path
):
    path = tmp_path / "frontiere.geojson"
    features = [_feature("La Filature", HALLUIN_SIDE), _feature("Het Atelier", MENEN_SIDE)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    out = StringIO()
    call_command("import_venues", str(path), "--commit", "--publish", "--language", "en", stdout=out)

    assert "feature no. 2 “Het Atelier”: skipped: commune not found" in out.getvalue()
    venue = VenuePage.objects.get()
    assert geography.commune_at(*HALLUIN_SIDE) == venue.commune.insee_code == "59279"
    assert geography.commune_at(*MENEN_SIDE) is None
    html = client.get(venue.url).content.decode()
    assert 'data-commune="59279"' in html and "Halluin" in html
    assert compute_figures()["by_commune"] == [("59279", "Halluin", 1)]
    outlines = json.loads(client.get("/lieux/communes.geojson").content)["features"]
    drawn = {feature["properties"].get("insee_code"): feature for feature in outlines}
    from shapely.geometry import Point, shape

    assert shape(drawn["59279"]["geometry"]).contains(Point(HALLUIN_SIDE[1], HALLUIN_SIDE[0]))
    assert not shape(outlines[0]["geometry"]).contains(Point(MENEN_SIDE[1], MENEN_SIDE[0]))


def _save(client, venue, **fields):
    return client.post(
        f"/admin/pages/{venue.pk}/edit/", {**_edit_form(venue, **fields), "action-publish": "action-publish"}
    )


def test_the_admin_form_keeps_the_commune_where_the_position_is(client, staff_user, venue):
    client.force_login(staff_user)
    lat, lng = HALLUIN_SIDE
    response = _save(client, venue, commune=commune("59512").pk, latitude=lat, longitude=lng)
    assert response.status_code == 200
    assert "La position est à Halluin, pas à Roubaix" in response.content.decode()

    halluin = commune("59279").pk
    response = _save(client, venue, commune=halluin, latitude=MENEN_SIDE[0], longitude=MENEN_SIDE[1])
    assert response.status_code == 200
    assert "hors de la Métropole européenne de Lille, à 0,1 km de Halluin" in response.content.decode()

    response = _save(client, venue, commune=commune("59279").pk, latitude=lat, longitude=lng)
    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.commune.insee_code == "59279"
    assert compute_figures()["by_commune"] == [("59279", "Halluin", 1)]
