"""The maps draw the same outlines as the import uses: the Métropole's and the chosen commune's."""

import json

from members import geography


def test_outlines_are_served_small_and_cacheable(client, db):
    response = client.get("/lieux/communes.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert len(response.content) < 80_000
    features = json.loads(response.content)["features"]
    assert features[0]["properties"]["kind"] == "metropole"
    communes = {f["properties"]["insee_code"]: f["properties"]["name"] for f in features[1:]}
    assert len(communes) == 95 and communes["59279"] == "Halluin"


def test_the_simplified_outlines_still_place_the_border_towns():
    from shapely.geometry import Point, shape

    features = geography.outlines_geojson()["features"]
    metropole = shape(features[0]["geometry"])
    halluin = next(shape(f["geometry"]) for f in features if f["properties"].get("insee_code") == "59279")
    assert halluin.contains(Point(3.1262, 50.7839))
    assert not metropole.contains(Point(3.1222, 50.7967))  # Menen


def test_the_venue_page_map_shows_its_commune(client, make_venue):
    venue = make_venue(title="Atelier du Nord", slug="atelier-du-nord", latitude=50.6330, longitude=3.0595)
    venue.save_revision().publish()
    html = client.get("/lieux/atelier-du-nord/").content.decode()
    assert 'data-outlines-url="/lieux/communes.geojson"' in html
    assert 'data-commune="59350"' in html


def test_the_directory_map_shows_the_chosen_commune(client, make_venue):
    html = client.get("/lieux/?commune=59512").content.decode()
    assert 'data-outlines-url="/lieux/communes.geojson"' in html
    assert 'data-commune="59512"' in html
    html = client.get("/lieux/").content.decode()
    assert 'data-commune=""' in html
