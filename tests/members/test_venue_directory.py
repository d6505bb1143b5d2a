import json

import pytest

from members.directory import filter_venues
from members.models import VenuePage


@pytest.fixture
def directory(make_venue):
    return {
        "fablab": make_venue(
            title="Atelier Lumière",
            main_activity="fablab",
            commune=_commune("59512"),
            tags=["impression 3D", "découpe laser"],
            in_qpv=True,
        ),
        "cowork": make_venue(
            title="Bureau Partagé",
            main_activity="coworking",
            secondary_activities=["fablab"],
            tags=["salle de réunion"],
            offers_mentoring=True,
            step_free_access=True,
        ),
        "cafe": make_venue(
            title="Café des Voisins", main_activity="culture_cafe", summary="Concerts et jeux de société."
        ),
    }


def _commune(code):
    from members.models import Commune

    return Commune.objects.get(insee_code=code)


def _titles(response):
    return sorted(venue.title for venue in response.context["venues"])


def test_directory_lists_published_venues_only(client, directory, make_venue):
    make_venue(title="Brouillon", live=False)
    response = client.get("/lieux/")
    assert response.status_code == 200
    assert _titles(response) == ["Atelier Lumière", "Bureau Partagé", "Café des Voisins"]
    assert "Brouillon" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("activity=fablab", ["Atelier Lumière", "Bureau Partagé"]),
        ("commune=59512", ["Atelier Lumière"]),
        ("tag=impression-3d", ["Atelier Lumière"]),
        ("qpv=1", ["Atelier Lumière"]),
        ("mentoring=1", ["Bureau Partagé"]),
        ("accessible=1", ["Bureau Partagé"]),
        ("q=concerts", ["Café des Voisins"]),
        ("q=LUMI", ["Atelier Lumière"]),
        ("q=réunion", ["Bureau Partagé"]),
        # Case and accents aside, every word anywhere: name, summary, commune, tags, activities.
        ("q=lumiere", ["Atelier Lumière"]),
        ("q=REUNION", ["Bureau Partagé"]),
        ("q=cafe+CONCERTS", ["Café des Voisins"]),
        ("q=roubaix+atelier", ["Atelier Lumière"]),
        ("q=atelier+lille", []),
        ("q=fab+lab", ["Atelier Lumière", "Bureau Partagé"]),
        ("q=shared+offices", ["Bureau Partagé"]),
        ("q=decoupe", ["Atelier Lumière"]),
        ("q=%25", []),
        ("activity=fablab&mentoring=1", ["Bureau Partagé"]),
        ("activity=fablab&commune=59512&tag=d%C3%A9coupe-laser", ["Atelier Lumière"]),
        ("activity=culture_cafe&qpv=1", []),
    ],
)
def test_filters_combine(client, directory, query, expected):
    response = client.get(f"/lieux/?{query}")
    assert response.status_code == 200
    assert _titles(response) == expected


@pytest.mark.parametrize(
    "query",
    ["commune=99999", "activity=piscine", "tag=%3Cscript%3E", "page=abc", "page=999", "q=" + "x" * 300],
)
def test_invalid_filters_give_a_message_not_an_error(client, directory, query):
    response = client.get(f"/lieux/?{query}")
    assert response.status_code == 200
    if not query.startswith("page="):
        assert response.context["filter_errors"]
        assert "ont été ignorés" in response.content.decode()


def test_search_finds_the_published_description_not_the_draft(
    client, make_venue, django_capture_on_commit_callbacks
):
    venue = make_venue(
        title="La Fabrique",
        description='<p>Ateliers de <b>sérigraphie</b>, <a href="https://exemple.org">notre site</a>.</p>',
    )
    assert _titles(client.get("/lieux/?q=serigraphie")) == ["La Fabrique"]
    assert _titles(client.get("/lieux/?q=exemple")) == []  # markup is not text
    venue.description = "<p>Ateliers de gravure.</p>"
    venue.save_revision()  # a draft: the directory shows the live page
    assert _titles(client.get("/lieux/?q=gravure")) == []
    with django_capture_on_commit_callbacks(execute=True):
        VenuePage.objects.get(pk=venue.pk).get_latest_revision().publish()
    assert _titles(client.get("/lieux/?q=gravure")) == ["La Fabrique"]
    assert _titles(client.get("/lieux/?q=serigraphie")) == []


def test_invalid_filter_is_ignored_but_valid_ones_apply(client, directory):
    response = client.get("/lieux/?activity=fablab&commune=00000")
    assert _titles(response) == ["Atelier Lumière", "Bureau Partagé"]
    assert response.context["query_string"] == "activity=fablab"


def test_filters_are_reflected_in_links(client, directory):
    response = client.get("/lieux/?activity=fablab&qpv=1")
    html = response.content.decode()
    assert response.context["geojson_url"] == "/lieux/lieux.geojson?activity=fablab&qpv=1"
    assert 'data-geojson-url="/lieux/lieux.geojson?activity=fablab&amp;qpv=1"' in html
    assert 'href="/lieux/lieux.csv?activity=fablab&amp;qpv=1"' in html


def test_cards_show_name_activity_commune_and_tags(client, directory):
    html = client.get("/lieux/").content.decode()
    assert "Atelier Lumière" in html
    assert "fab lab" in html
    assert "Roubaix" in html
    assert "impression 3D" in html


def test_pagination_keeps_filters(client, make_venue):
    for n in range(30):
        make_venue(title=f"Fablab {n:02}", main_activity="fablab")
    response = client.get("/lieux/?activity=fablab")
    assert len(response.context["venues"]) == 24
    assert "?activity=fablab&amp;page=2" in response.content.decode()
    response = client.get("/lieux/?activity=fablab&page=2")
    assert len(response.context["venues"]) == 6


def test_map_agrees_with_list(client, directory):
    listed = _titles(client.get("/lieux/?activity=fablab"))
    data = json.loads(client.get("/lieux/lieux.geojson?activity=fablab").content)
    assert sorted(feature["properties"]["name"] for feature in data["features"]) == listed


def _count_queries(client, django_assert_max_num_queries, url, limit=20):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.freshness import renew_generation

    renew_generation()  # measure the page, not the anonymous page cache
    assert client.get(url).status_code == 200  # warm Wagtail's site paths and the fragment caches
    renew_generation()
    with django_assert_max_num_queries(limit), CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/lieux/", "/lieux/?activity=coworking&q=lieu", "/lieux/lieux.geojson", "/lieux/lieux.csv"]
)
def test_bounded_queries(client, make_venue, django_assert_max_num_queries, url):
    for n in range(5):
        make_venue(tags=[f"tag {n}", "commun"])
    few = _count_queries(client, django_assert_max_num_queries, url)
    for n in range(25):
        make_venue(tags=[f"autre {n}", "commun"])
    many = _count_queries(client, django_assert_max_num_queries, url)
    assert many == few


def test_filter_venues_is_usable_without_a_request(directory):
    from django.http import QueryDict

    query = filter_venues(QueryDict("activity=fablab"))
    assert set(query.venues.values_list("title", flat=True)) == {"Atelier Lumière", "Bureau Partagé"}
    assert not query.errors
    assert VenuePage.objects.with_activity("living_lab").count() == 0


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Médiation NUMÉRIQUE", "mediation numerique"), ("Annœullin", "annoeullin"), ("Straße", "strasse")],
)
def test_fold(text, folded):
    from members.search import fold

    assert fold(text) == folded
