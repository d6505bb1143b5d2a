import csv
import io
import json

import pytest


@pytest.fixture
def venues(make_venue):
    from members.models import Commune

    lille = Commune.objects.get(insee_code="59350")
    no_position = Commune.objects.filter(latitude__isnull=True).first()
    return [
        make_venue(
            title="Atelier Rond", main_activity="fablab", tags=["impression 3D"], surface_m2=80, capacity=10
        ),
        make_venue(title="Bureau Pile", latitude=50.64, longitude=3.07, commune=lille),
        make_venue(title="Sans Position", commune=no_position),
        make_venue(title="Brouillon", live=False),
    ]


def test_geojson_feature_collection(client, venues, settings):
    response = client.get("/lieux/lieux.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert 'rel="license"' in response["Link"]
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert data["licence"]["name"].startswith("Licence Ouverte")
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    assert set(by_name) == {"Atelier Rond", "Bureau Pile", "Sans Position"}
    rond = by_name["Atelier Rond"]
    assert rond["geometry"]["type"] == "Point"
    props = rond["properties"]
    assert props["url"] == f"{settings.SITE_URL}/lieux/{venues[0].slug}/"
    assert props["activities"] == ["fablab"]
    assert props["commune"] == "Lille" and props["insee_code"] == "59350"
    assert props["tags"] == ["impression 3D"]
    assert (props["surface_m2"], props["capacity"]) == (80, 10)
    # Falls back to the commune's position; a venue whose commune has none gets a null geometry.
    assert props["position_approximate"] is True
    assert by_name["Bureau Pile"]["geometry"]["coordinates"] == [3.07, 50.64]
    assert by_name["Sans Position"]["geometry"] is None


def test_csv_export(client, venues):
    response = client.get("/lieux/lieux.csv?activity=fablab")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "etalab.gouv.fr/licence-ouverte" in response["Link"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name"] for row in rows] == ["Atelier Rond"]
    assert rows[0]["insee_code"] == "59350" and rows[0]["tags"] == "impression 3D"


def test_feeds_honour_filters_and_survive_bad_values(client, venues):
    data = json.loads(client.get("/lieux/lieux.geojson?activity=nope&q=pile").content)
    assert [f["properties"]["name"] for f in data["features"]] == ["Bureau Pile"]
    assert client.get("/lieux/lieux.csv?commune=abc").status_code == 200
