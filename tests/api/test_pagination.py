"""Pages of a listing: each item once, in the listing's order, with the numbering of Django's paginator."""

import json

import pytest

from tests.factories.events import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_events(make_event):
    # Created out of order: the API lists them by start.
    return [
        make_event(title=title, slug=slug, start=in_days(days, 18), end=in_days(days, 20))
        for title, slug, days in [
            ("Deuxième", "deuxieme", 3),
            ("Première", "premiere", 2),
            ("Troisième", "troisieme", 4),
        ]
    ]


def read(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/occurrences"])
def test_pages_list_every_item_once_in_order(api_client, three_events, path):
    pages = [read(api_client, f"{path}?page_size=2&page={number}") for number in (1, 2)]
    assert [page["count"] for page in pages] == [3, 3] and [page["pages"] for page in pages] == [2, 2]
    titles = [item["title"] for page in pages for item in page["results"]]
    assert titles == ["Première", "Deuxième", "Troisième"]
    assert pages[0]["previous"] is None and "page=2" in pages[0]["next"]
    assert "page=1" in pages[1]["previous"] and pages[1]["next"] is None


def test_venues_pages_follow_the_directory_order(api_client, venue, other_venue):
    pages = [read(api_client, f"/api/v1/venues?page_size=1&page={number}") for number in (1, 2)]
    assert [page["results"][0]["name"] for page in pages] == ["La Coroutine", "Le Hangar"]
    features = read(api_client, "/api/v1/venues.geojson?page_size=2")["features"]
    assert [feature["properties"]["name"] for feature in features] == ["La Coroutine", "Le Hangar"]


def test_an_empty_listing_has_one_empty_page(api_client, three_events):
    body = read(api_client, "/api/v1/occurrences?kind=visit")
    assert (body["count"], body["pages"], body["results"], body["next"], body["previous"]) == (
        0,
        1,
        [],
        None,
        None,
    )


def test_a_page_past_the_last_names_the_number_of_pages(api_client, three_events):
    response = api_client.get("/api/v1/events?page_size=2&page=3")
    assert response.status_code == 400
    (error,) = json.loads(response.content)["errors"]
    assert error["parameter"] == "page" and "2" in error["message"]
