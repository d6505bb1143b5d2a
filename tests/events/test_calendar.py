"""The calendar pages: list, filters, month table, archives; bounded queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from tests.factories import VerifiedUserFactory
from tests.factories.events import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def several(make_event, venue, other_venue):
    network = make_event(title="Apéro réseau", slug="apero", kind="meetup", tags=["convivial"])
    fablab = make_event(
        parent=venue,
        title="Atelier soudure",
        slug="soudure",
        kind="workshop",
        street_address="",
        tags=["électronique"],
    )
    weekly = make_event(
        parent=other_venue,
        title="Permanence numérique",
        slug="permanence",
        kind="training",
        street_address="",
        repeat="weekly",
        repeat_count=5,
    )
    return {"network": network, "fablab": fablab, "weekly": weekly}


def test_calendar_lists_upcoming_occurrences_by_day(client, agenda, several):
    response = client.get("/agenda/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Permanence numérique") == 5
    assert "Atelier soudure" in html and "Apéro réseau" in html
    assert len(response.context["days"]) >= 5
    assert 'href="/agenda/apero/"' in html
    assert 'href="/lieux/la-coroutine/soudure/"' in html


def test_calendar_filters(client, agenda, several, venue):
    def titles(query):
        response = client.get("/agenda/", query)
        assert response.status_code == 200
        return {day_item.event.title for _day, items in response.context["days"] for day_item in items}

    assert titles({"kind": "workshop"}) == {"Atelier soudure"}
    assert titles({"q": "soudure"}) == {"Atelier soudure"}
    assert titles({"tag": "convivial"}) == {"Apéro réseau"}
    assert titles({"venue": "le-hangar"}) == {"Permanence numérique"}
    assert titles({"commune": "59512"}) == {"Permanence numérique"}
    assert titles({"commune": venue.commune.insee_code}) == {"Atelier soudure"}
    tomorrow_week = (timezone.localdate() + timedelta(days=8)).isoformat()
    assert titles({"start": tomorrow_week}) == {"Permanence numérique"}
    end = (timezone.localdate() + timedelta(days=7)).isoformat()
    assert titles({"end": end, "kind": "training"}) == {"Permanence numérique"}


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "rave"},
        {"commune": "abc"},
        {"commune": "75056"},
        {"venue": "nowhere"},
        {"start": "2026-02-31"},
        {"start": "2026-03-10", "end": "2026-03-01"},
        {"page": "x"},
        {"page": "999"},
        {"q": "x" * 500},
        {"tag": "<script>"},
    ],
)
def test_invalid_filters_are_explained_never_500(client, agenda, several, query):
    response = client.get("/agenda/", query)
    assert response.status_code == 200
    if "page" not in query:
        assert response.context["filter_errors"]
        assert "ont été ignorés" in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def test_calendar_queries_are_bounded(client, agenda, make_event, django_assert_max_num_queries):
    for n in range(3):
        make_event(title=f"E{n}", slug=f"e{n}", repeat="weekly", repeat_count=5, tags=["a", "b"])
    with django_assert_max_num_queries(20):
        assert client.get("/agenda/").status_code == 200
    for n in range(3, 8):
        make_event(title=f"E{n}", slug=f"e{n}", repeat="weekly", repeat_count=5, tags=["a", "b"])
    with django_assert_max_num_queries(20):
        assert client.get("/agenda/").status_code == 200
    with django_assert_max_num_queries(20):
        today = timezone.localdate()
        assert client.get(f"/agenda/{today.year}/{today.month}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/agenda/archives/").status_code == 200


def test_calendar_is_paginated(client, agenda, make_event, settings):
    settings.EVENTS_PER_PAGE = 4
    make_event(repeat="weekly", repeat_count=10)
    first = client.get("/agenda/")
    assert first.context["page_obj"].paginator.num_pages == 3
    assert client.get("/agenda/?page=3").context["page_obj"].number == 3


def test_month_view_is_an_accessible_table_with_neighbours(client, agenda, make_event):
    event = make_event(title="Rencontre de mars", slug="mars", start=in_days(40), end=in_days(40, 21))
    start = timezone.localtime(event.start)
    response = client.get(f"/agenda/{start.year}/{start.month}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>" in html and '<th scope="col">' in html
    assert "Rencontre de mars" in html
    previous = (start.replace(day=1) - timedelta(days=1)).month
    assert f"/agenda/{start.year if start.month > 1 else start.year - 1}/{previous}/" in html
    assert client.get("/agenda/2026/13/").status_code == 400
    assert client.get("/agenda/2026/0/").status_code == 400


def test_archives_list_past_occurrences(client, agenda, make_event, event):
    start, end = in_days(-5), in_days(-5, 21)
    make_event(title="Rencontre passée", slug="passee", start=start, end=end)
    response = client.get("/agenda/archives/")
    html = response.content.decode()
    assert "Rencontre passée" in html and "Apéro du réseau" not in html
    assert "Rencontre passée" not in client.get("/agenda/").content.decode()


def test_drafts_and_private_events_are_hidden(client, agenda, make_event):
    draft = make_event(title="Brouillon secret", slug="brouillon")
    draft.unpublish()
    assert "Brouillon secret" not in client.get("/agenda/").content.decode()


def test_cancelled_occurrence_is_shown_as_cancelled(client, occurrence, staff_user):
    services.cancel_occurrence(occurrence, by=staff_user)
    html = client.get("/agenda/").content.decode()
    assert "Annulé" in html


def test_venue_page_lists_its_upcoming_events(
    client, venue_event, venue, make_event, django_assert_max_num_queries
):
    make_event(title="Rencontre ailleurs", slug="ailleurs")
    response = client.get(venue.url)
    html = response.content.decode()
    assert "Atelier soudure" in html
    assert "Rencontre ailleurs" not in html


def test_home_page_shows_next_network_meetups(client, event, venue_event):
    html = client.get("/").content.decode()
    assert "Prochaines rencontres du réseau" in html
    assert "Apéro du réseau" in html
    assert "Atelier soudure" not in html  # a venue's own event, not a network meetup


def test_profile_shows_my_agenda(client, occurrence):
    member = VerifiedUserFactory()
    services.register_for_event(occurrence, by=member)
    client.force_login(member)
    html = client.get("/accounts/profile/").content.decode()
    assert "Mon agenda" in html and "Apéro du réseau" in html
