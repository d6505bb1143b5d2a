"""What aggregators read (OpenAgenda, the Métropole's agenda): the ICS and the API agree."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import EventPage
from tests.api.schema_check import assert_matches_schema

pytestmark = pytest.mark.django_db


def feed_events(client, path="/agenda/agenda.ics"):
    response = client.get(path)
    assert response.status_code == 200
    return {
        str(component["UID"]): component for component in Calendar.from_ical(response.content).walk("VEVENT")
    }


@pytest.fixture
def tagged_workshop(make_event, venue):
    return make_event(
        parent=venue,
        title="Atelier soudure",
        slug="atelier-soudure",
        kind="workshop",
        street_address="",
        tags=["soudure", "débutants"],
    )


def test_ics_and_api_carry_the_same_dates_with_what_aggregators_need(
    openapi, api_client, tagged_workshop, event
):
    vevents = feed_events(api_client)
    response = api_client.get("/api/v1/occurrences")
    items = assert_matches_schema(openapi, response)["results"]
    assert {item["uid"] for item in items} == set(vevents)
    item = next(item for item in items if item["event_id"] == tagged_workshop.pk)
    component = vevents[item["uid"]]
    # Location: venue, street address, postcode and commune, and the venue's position.
    assert (
        str(component["LOCATION"]) == item["location"]["text"] == "La Coroutine, 3 rue du Code, 59000 Lille"
    )
    assert item["location"]["postcode"] == "59000" and item["location"]["commune"]["insee_code"] == "59350"
    latitude, longitude = component["GEO"].latitude, component["GEO"].longitude
    assert (latitude, longitude) == pytest.approx(
        (item["location"]["latitude"], item["location"]["longitude"])
    )
    # Categories: the kind, then the tags.
    categories = [str(value) for value in component["CATEGORIES"].cats]
    assert categories == item["categories"] == ["atelier", "soudure", "débutants"]
    assert str(component["STATUS"]) == "CONFIRMED" and item["status"]["code"] == "scheduled"
    assert str(component["CLASS"]) == "PUBLIC"
    assert component["SEQUENCE"] == item["sequence"]
    api_modified = timezone.datetime.fromisoformat(item["last_modified"].replace("Z", "+00:00"))
    assert component.decoded("LAST-MODIFIED") == api_modified.replace(microsecond=0)  # ICS: seconds
    assert str(component["URL"]) == item["url"]


def test_last_modified_follows_the_events_publication(api_client, tagged_workshop):
    later = timezone.now().replace(microsecond=0) + timedelta(minutes=5)
    EventPage.objects.filter(pk=tagged_workshop.pk).update(last_published_at=later)
    (component,) = feed_events(api_client).values()
    assert component.decoded("LAST-MODIFIED") == later
    (item,) = json.loads(api_client.get("/api/v1/occurrences").content)["results"]
    assert timezone.datetime.fromisoformat(item["last_modified"].replace("Z", "+00:00")) == later


def test_a_cancelled_date_stays_in_both_as_cancelled(api_client, tagged_workshop, manager):
    occurrence = tagged_workshop.occurrences.get()
    services.cancel_occurrence(occurrence, by=manager)
    (component,) = feed_events(api_client).values()
    assert str(component["STATUS"]) == "CANCELLED"
    cancelled = json.loads(api_client.get("/api/v1/occurrences?status=cancelled").content)["results"]
    assert [item["uid"] for item in cancelled] == [str(component["UID"])]
    assert json.loads(api_client.get("/api/v1/occurrences?status=scheduled").content)["count"] == 0


def test_categories_follow_the_language(api_client, tagged_workshop):
    (component,) = feed_events(api_client.__class__(HTTP_ACCEPT_LANGUAGE="en")).values()
    assert [str(value) for value in component["CATEGORIES"].cats] == ["workshop", "soudure", "débutants"]
