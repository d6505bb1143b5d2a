"""The public API: schema of every answer, no private data for any role, HTTP behaviour."""

import json
from urllib.parse import urlsplit

import pytest
from openapi_spec_validator import validate
from wagtail.models import PageViewRestriction, Site

from events import services
from events.models import EventPage
from tests.api.schema_check import assert_matches_schema
from tests.factories import VerifiedUserFactory
from tests.factories.events import EventPageFactory, RegistrationFactory, in_days
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agenda, venue, other_venue, venue_event, event, manager, staff_user):
    """Public venues and events, and every kind of thing the API must not show."""
    private = services.create_private_event(
        venue,
        title="Visite privée secrète",
        kind="visit",
        start=in_days(4, 10),
        end=in_days(4, 12),
        by=manager,
    )
    EventPage.objects.filter(pk=private.pk).update(live=True)  # even published by mistake
    draft = EventPageFactory(parent=agenda, title="Brouillon caché", live=False, publish=False)
    hidden_venue = VenuePageFactory(parent=venue.get_parent(), title="Lieu réservé", slug="lieu-reserve")
    PageViewRestriction.objects.create(page=hidden_venue, restriction_type=PageViewRestriction.LOGIN)
    hidden_event = EventPageFactory(parent=hidden_venue, title="Soirée réservée", street_address="")
    attendee = VerifiedUserFactory(
        email="participante.secrete@example.org", display_name="Participante Secrète"
    )
    RegistrationFactory(occurrence=event.occurrences.get(), user=attendee)
    return {
        "public_venues": {venue.pk, other_venue.pk},
        "public_events": {event.pk, venue_event.pk},
        "hidden_ids": {private.pk, draft.pk, hidden_venue.pk, hidden_event.pk},
        "hidden_words": [
            "Visite privée secrète",
            "Brouillon caché",
            "Lieu réservé",
            "Soirée réservée",
            "participante.secrete",
            "Participante Secrète",
            manager.email,
            staff_user.email,
        ],
        "event": event,
        "venue": venue,
        "manager": manager,
        "staff": staff_user,
    }


def endpoints(world):
    event, venue = world["event"], world["venue"]
    return [
        "/api/v1/venues",
        "/api/v1/venues?page_size=1&page=2",
        "/api/v1/venues.geojson",
        f"/api/v1/venues/{venue.pk}",
        "/api/v1/events",
        f"/api/v1/events/{event.pk}",
        "/api/v1/occurrences",
        "/api/v1/occurrences?kind=workshop",
        f"/api/v1/occurrences?venue={venue.pk}",
        f"/api/v1/occurrences?event={event.pk}",
        "/api/v1/occurrences?status=cancelled",
        "/api/v1/figures",
    ]


def test_the_schema_is_valid_openapi_3(openapi):
    validate(openapi)
    assert openapi["openapi"].startswith("3.")
    assert {"/api/v1/venues", "/api/v1/events", "/api/v1/occurrences", "/api/v1/figures"} <= set(
        openapi["paths"]
    )


def _ids(body):
    if "results" in body:
        return {item["id"] for item in body["results"]}
    if "features" in body:
        return {feature["id"] for feature in body["features"]}
    return {body["id"]} if "id" in body else set()


def test_every_endpoint_matches_the_schema_and_shows_nothing_private_to_any_role(openapi, world):
    from django.test import Client

    clients = {"anonymous": Client()}
    for role, user in [
        ("member", VerifiedUserFactory()),
        ("manager", world["manager"]),
        ("staff", world["staff"]),
    ]:
        clients[role] = Client()
        clients[role].force_login(user)
    for path in endpoints(world):
        answers = {}
        for role, client in clients.items():
            response = client.get(path)
            assert response.status_code == 200, (role, path, response.content[:300])
            body = assert_matches_schema(openapi, response)
            text = response.content.decode()
            assert not _ids(body) & world["hidden_ids"], (role, path)
            for word in world["hidden_words"]:
                assert json.dumps(word)[1:-1] not in text and word not in text, (role, path, word)
            answers[role] = body
        assert all(body == answers["anonymous"] for body in answers.values()), path
    listed = json.loads(clients["anonymous"].get("/api/v1/events").content)
    assert _ids(listed) == world["public_events"]
    venues = json.loads(clients["anonymous"].get("/api/v1/venues").content)
    assert _ids(venues) == world["public_venues"]


@pytest.mark.parametrize("kind", ["private", "draft", "restricted_venue", "restricted_event"])
def test_hidden_items_answer_404(openapi, api_client, world, kind):
    private, draft, hidden_venue, hidden_event = sorted(world["hidden_ids"])
    pk = {
        "private": private,
        "draft": draft,
        "restricted_venue": hidden_venue,
        "restricted_event": hidden_event,
    }[kind]
    for path in (f"/api/v1/events/{pk}", f"/api/v1/venues/{pk}"):
        response = api_client.get(path)
        assert response.status_code == 404
        assert_matches_schema(openapi, response)


def test_cors_is_open_for_reading_on_the_api_only(api_client, world):
    response = api_client.get("/api/v1/venues", HTTP_ORIGIN="https://ville.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = api_client.options(
        "/api/v1/occurrences",
        HTTP_ORIGIN="https://ville.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight
    page = api_client.get("/lieux/", HTTP_ORIGIN="https://ville.example")
    assert "Access-Control-Allow-Origin" not in page


def test_etag_answers_304_until_something_changes(
    api_client, world, make_event, django_capture_on_commit_callbacks, django_assert_num_queries
):
    first = api_client.get("/api/v1/occurrences")
    etag = first["ETag"]
    assert etag.startswith('W/"')
    with django_assert_num_queries(0):  # from the page cache, then 304
        again = api_client.get("/api/v1/occurrences", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Access-Control-Allow-Origin"] == "*"
    with django_capture_on_commit_callbacks(execute=True):
        make_event(title="Nouvelle rencontre", slug="nouvelle-rencontre")
    changed = api_client.get("/api/v1/occurrences", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Nouvelle rencontre" in changed.content.decode()


def test_answers_are_served_from_the_page_cache_for_everyone(api_client, world, member_client):
    assert api_client.get("/api/v1/venues")["X-Page-Cache"] == "miss"
    assert api_client.get("/api/v1/venues")["X-Page-Cache"] == "hit"
    assert member_client.get("/api/v1/venues")["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in api_client.get("/api/v1/venues?unknown=1")  # never stored


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("/api/v1/occurrences?start=2026-13-01", "start"),
        ("/api/v1/occurrences?start=demain", "start"),
        ("/api/v1/occurrences?end=1800-01-01", "end"),
        ("/api/v1/occurrences?start=2027-02-01&end=2027-01-01", "end"),
        ("/api/v1/occurrences?kind=soiree", "kind"),
        ("/api/v1/occurrences?status=maybe", "status"),
        ("/api/v1/occurrences?venue=abc", "venue"),
        ("/api/v1/occurrences?venue=424242", "venue"),
        ("/api/v1/occurrences?event=0", "event"),
        ("/api/v1/events?commune=99999", "commune"),
        ("/api/v1/events?tag=pas%20un%20slug", "tag"),
        ("/api/v1/venues?page=99", "page"),
        ("/api/v1/venues?page=0", "page"),
        ("/api/v1/venues?page=999999999999999999999999", "page"),
        ("/api/v1/venues?page_size=1000", "page_size"),
        ("/api/v1/venues?activity=piscine", "activity"),
        ("/api/v1/venues?commune=00000", "commune"),
        ("/api/v1/venues?q=a%00b", "q"),
        ("/api/v1/venues?tag=%00", "tag"),
        ("/api/v1/venues?qpv=peut-etre", "qpv"),
        ("/api/v1/venues/abc", "venue_id"),
        ("/api/v1/venues/99999999999999999999999", "venue_id"),
        ("/api/v1/events/0", "event_id"),
    ],
)
def test_bad_parameters_answer_400_naming_them(openapi, api_client, world, query, parameter):
    response = api_client.get(query)
    assert response.status_code == 400, response.content
    body = assert_matches_schema(openapi, response)
    assert parameter in [error["parameter"] for error in body["errors"]]
    assert parameter in body["detail"]
    assert "X-Page-Cache" not in response  # a 400 is never stored


def test_errors_speak_the_clients_language(api_client, world):
    french = json.loads(api_client.get("/api/v1/venues?page=99").content)
    english = json.loads(api_client.get("/api/v1/venues?page=99", HTTP_ACCEPT_LANGUAGE="en").content)
    assert french["errors"][0]["message"] != english["errors"][0]["message"]
    assert "page" in english["errors"][0]["message"].lower()


def test_labels_follow_accept_language(api_client, world):
    french = json.loads(api_client.get("/api/v1/occurrences?kind=workshop").content)
    english = json.loads(
        api_client.get("/api/v1/occurrences?kind=workshop", HTTP_ACCEPT_LANGUAGE="en").content
    )
    assert french["results"][0]["kind"] == {"code": "workshop", "label": "atelier"}
    assert english["results"][0]["kind"] == {"code": "workshop", "label": "workshop"}
    figures = json.loads(api_client.get("/api/v1/figures", HTTP_ACCEPT_LANGUAGE="en").content)
    assert figures["by_activity"][0]["label"] == "coworking / shared offices"


def test_page_links_follow_accept_language(api_client, world):
    """An English answer links the English pages, a French one the French pages, whichever
    language was asked first (the sites' root paths are kept per process and language)."""

    def links(language):
        body = json.loads(api_client.get("/api/v1/events", HTTP_ACCEPT_LANGUAGE=language).content)
        at_venue = next(event for event in body["results"] if event["location"]["venue"])
        return at_venue["url"], at_venue["location"]["venue"]["url"]

    english, french = links("en"), links("fr")
    assert all(urlsplit(url).path.startswith("/en/") for url in english)
    assert not any(urlsplit(url).path.startswith("/en/") for url in french)
    assert [urlsplit(url).path for url in english] == [f"/en{urlsplit(url).path}" for url in french]


def test_rate_limit_answers_429_with_retry_after(openapi, settings, api_client, world):
    settings.API_RATE_LIMIT = (3, 60)
    client = "198.51.100.1"
    for _ in range(3):
        assert api_client.get("/api/v1/figures", REMOTE_ADDR=client).status_code == 200
    response = api_client.get("/api/v1/figures", REMOTE_ADDR=client)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_matches_schema(openapi, response)
    # Counted per client address: another client is served.
    assert api_client.get("/api/v1/figures", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_pagination_links_are_absolute_and_keep_the_filters(api_client, world, site_url):
    body = json.loads(api_client.get("/api/v1/venues?page_size=1&q=").content)
    assert body["count"] == 2 and body["pages"] == 2 and body["previous"] is None
    assert body["next"].startswith(f"{site_url}/api/v1/venues?") and "page=2" in body["next"]
    assert body["results"][0]["url"].startswith(f"{site_url}/lieux/")


def test_the_documentation_page_works_offline(api_client, world):
    response = api_client.get("/api/v1/")
    assert response.status_code == 200
    html = response.content.decode()
    for path in ("/api/v1/venues", "/api/v1/venues.geojson", "/api/v1/occurrences", "/api/v1/figures"):
        assert path in html
    assert "page_size" in html and "openapi.json" in html
    assert "cdn" not in html.lower() and 'src="http' not in html


def test_a_changed_site_changes_the_urls_at_once(
    api_client, world, site_url, django_capture_on_commit_callbacks
):
    """The sites' root paths are kept per content generation: a site saved renews it."""
    for path in ("/api/v1/events", "/api/v1/occurrences", "/api/v1/venues"):
        assert json.loads(api_client.get(path).content)["results"][0]["url"].startswith(f"{site_url}/"), path
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "agenda.example.org", 443
    with django_capture_on_commit_callbacks(execute=True):
        site.save()
    for path in ("/api/v1/events", "/api/v1/occurrences", "/api/v1/venues"):
        url = json.loads(api_client.get(path).content)["results"][0]["url"]
        assert url.startswith("https://agenda.example.org/"), path


def test_an_event_names_its_venue_only_when_the_public_may_see_it(api_client, agenda, venue):
    """A public event pointing to a restricted venue shows the address, not the venue."""
    hidden = VenuePageFactory(parent=venue.get_parent(), title="Lieu réservé", slug="lieu-reserve")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    EventPageFactory(parent=agenda, title="Rencontre ouverte", venue=hidden, street_address="")
    EventPageFactory(parent=agenda, title="Rencontre au lieu", venue=venue, street_address="")
    for path in ("/api/v1/events", "/api/v1/occurrences"):
        body = api_client.get(path).json()
        shown = {item["title"]: item["location"]["venue"] for item in body["results"]}
        assert shown["Rencontre ouverte"] is None, path
        assert shown["Rencontre au lieu"]["id"] == venue.pk, path
        assert "Lieu réservé" not in json.dumps(body), path
