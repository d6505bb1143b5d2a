"""Calendar, month view, archives, feeds and an event page run the same number of
queries whatever the number of occurrences: counted at 10 and at 500."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import services
from events.models import Occurrence, Registration
from events.vocabulary import RegistrationStatus
from tests.factories import VerifiedUserFactory
from tests.factories.events import in_days

pytestmark = pytest.mark.django_db


def _busy_month():
    """The month after this one: most added occurrences fall in it."""
    first = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    return first.year, first.month


@pytest.fixture
def scene(make_event, venue, other_venue, member):
    """A few events (meetup with tags, venue workshop, weekly training), registrations, a token."""
    meetup = make_event(title="Apéro réseau", slug="apero", tags=["convivial", "réseau"], capacity=3)
    workshop = make_event(
        parent=venue, title="Atelier", slug="atelier", kind="workshop", street_address="", tags=["fablab"]
    )
    weekly = make_event(
        parent=other_venue,
        title="Permanence",
        slug="permanence",
        kind="training",
        street_address="",
        repeat="weekly",
        repeat_count=4,
        capacity=1,
    )
    others = VerifiedUserFactory.create_batch(2)
    services.register_for_event(meetup.occurrences.get(), by=member)
    first_weekly = weekly.occurrences.first()
    services.register_for_event(first_weekly, by=others[0])
    services.register_for_event(first_weekly, by=member)  # waiting list
    token = services.regenerate_calendar_token(by=member)
    return {"events": [meetup, workshop, weekly], "users": [member, *others], "token": token}


def grow_to(scene, total):
    """Bulk-create occurrences (a third past, half in the busy month, the rest weekly ahead)
    and registrations of every user to each new one, until there are ``total`` occurrences."""
    events, users = scene["events"], scene["users"]
    missing = total - Occurrence.objects.count()
    year, month = _busy_month()
    busy_start = timezone.make_aware(timezone.datetime(year, month, 1, 8, 0))
    rows = []
    for n in range(missing):
        if n % 3 == 0:
            start = in_days(-1 - n, 18)
        elif n % 3 == 1:
            start = busy_start + timedelta(hours=n // 3)
        else:
            start = in_days(60 + n, 20)
        event = events[n % len(events)]
        rows.append(Occurrence(event=event, start=start, end=start + timedelta(hours=1), capacity=2))
    created = Occurrence.objects.bulk_create(rows)
    confirmed, waitlisted = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED
    Registration.objects.bulk_create(
        [
            Registration(
                occurrence=occurrence, user=user, status=waitlisted if (n // 3 + i) % 3 == 0 else confirmed
            )
            for n, occurrence in enumerate(created)
            for i, user in enumerate(users)
        ]
    )
    assert Occurrence.objects.count() == total


def urls(scene):
    year, month = _busy_month()
    weekly = scene["events"][2]
    token = scene["token"]
    return [
        "/agenda/",
        "/agenda/?kind=training&tag=convivial",
        "/agenda/?venue=le-hangar&page=2",
        f"/agenda/?start={in_days(-400).date().isoformat()}&q=a",
        f"/agenda/{year}/{month}/",
        f"/agenda/{year}/{month}/?commune=59512",
        "/agenda/archives/",
        "/agenda/archives/?page=3",
        "/agenda/agenda.ics",
        "/agenda/agenda.ics?kind=training",
        f"/agenda/mon-agenda/{token}.ics",
        weekly.url,
        f"{weekly.url}ics/",
    ]


def count_queries(client, url):
    cache.clear()
    client.get(url)  # warm up per-process caches (site root paths, content types)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_query_counts_do_not_grow_with_occurrences(client, scene, member, logged_in):
    if logged_in:
        client.force_login(member)
    grow_to(scene, 10)
    small = {url: count_queries(client, url) for url in urls(scene)}
    grow_to(scene, 500)
    large = {url: count_queries(client, url) for url in urls(scene)}
    assert large == small
    assert max(small.values()) <= 25
