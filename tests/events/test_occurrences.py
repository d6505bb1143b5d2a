"""Publishing an event generates its occurrences; regeneration keeps what must stay."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from events import services
from events.models import EventPage, Occurrence
from events.vocabulary import OccurrenceStatus
from tests.factories import VerifiedUserFactory
from tests.factories.events import RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


def test_single_event_has_one_occurrence_with_page_capacity(event):
    occurrence = event.occurrences.get()
    assert occurrence.start == event.start
    assert occurrence.end == event.end
    assert occurrence.capacity == 2
    assert event.room is not None and event.room.kind == "event"


def test_publishing_through_wagtail_runs_the_service(agenda, staff_user):
    page = EventPage(
        title="Rencontre publiée",
        slug="rencontre-publiee",
        start=in_days(3),
        end=in_days(3, hour=21),
        street_address="2 rue Neuve",
        repeat="weekly",
        repeat_count=3,
    )
    agenda.add_child(instance=page)
    page.save_revision(user=staff_user).publish(user=staff_user)
    assert page.occurrences.count() == 3
    page.refresh_from_db()
    assert page.room_id is not None and page.sequence == 0


def test_regeneration_keeps_moved_cancelled_and_registered_occurrences(make_event, staff_user):
    event = make_event(repeat="weekly", repeat_count=4, capacity=10)
    first, second, third, fourth = event.occurrences.order_by("start")
    services.cancel_occurrence(second, by=staff_user)
    moved_to = fourth.start + timedelta(days=1)
    services.move_occurrence(fourth, by=staff_user, start=moved_to, end=moved_to + timedelta(hours=2))
    RegistrationFactory(occurrence=third)
    # The organizer now says "two dates only": the free occurrence beyond them goes, the others stay.
    event.repeat_count = 1
    event.save_revision(user=staff_user).publish(user=staff_user)
    remaining = set(event.occurrences.values_list("pk", flat=True))
    assert remaining == {first.pk, second.pk, third.pk, fourth.pk}
    event.repeat_count = 4
    event.save_revision(user=staff_user).publish(user=staff_user)
    fourth.refresh_from_db()
    assert fourth.start == moved_to and fourth.original_start is not None
    second.refresh_from_db()
    assert second.status == OccurrenceStatus.CANCELLED
    assert event.occurrences.count() == 4  # the moved one is recognised, not recreated


def test_regeneration_deletes_free_occurrences_no_longer_wanted(make_event, staff_user):
    event = make_event(repeat="weekly", repeat_count=3)
    event.repeat_count = 1
    event.save_revision(user=staff_user).publish(user=staff_user)
    assert event.occurrences.count() == 1


def test_extra_dates_and_all_day(make_event):
    from events.models import EventExtraDate

    event = make_event(all_day=True, publish=False)
    event.extra_dates = [EventExtraDate(start=in_days(20, 9), end=in_days(21, 17))]
    event.save()
    services.publish_event(event)
    first, extra = event.occurrences.order_by("start")
    assert first.all_day and (first.end - first.start) == timedelta(days=1)
    assert (extra.end - extra.start) == timedelta(days=2)


def test_past_occurrences_are_never_deleted(make_event, staff_user):
    start, end = in_days(-29), in_days(-29, 21)
    with freeze_time(in_days(-30, 12)):
        event = make_event(start=start, end=end, repeat="weekly", repeat_count=2)
    assert event.occurrences.count() == 2
    event.repeat = "none"
    event.start, event.end = in_days(5), in_days(5, 21)
    event.save_revision(user=staff_user).publish(user=staff_user)
    # Both past dates stay (archives); the new date is added.
    assert event.occurrences.count() == 3


def test_sequence_grows_on_each_published_change(event, staff_user):
    assert event.sequence == 0
    event.summary = "Nouveau résumé"
    event.save_revision(user=staff_user).publish(user=staff_user)
    event.refresh_from_db()
    assert event.sequence == 1
    event.save_revision(user=staff_user).publish(user=staff_user)  # no change
    event.refresh_from_db()
    assert event.sequence == 1
    # A later revision never brings back an older sequence or room.
    room_id = event.room_id
    event.title = "Apéro du réseau (nouvelle formule)"
    event.save_revision(user=staff_user).publish(user=staff_user)
    event.refresh_from_db()
    assert event.sequence == 2 and event.room_id == room_id


def test_capacity_raise_promotes_the_waiting_list(event, staff_user):
    occurrence = event.occurrences.get()
    members = [VerifiedUserFactory() for _ in range(3)]
    for member in members:
        services.register_for_event(occurrence, by=member)
    assert occurrence.registrations.waitlisted().count() == 1
    event.capacity = 3
    event.save_revision(user=staff_user).publish(user=staff_user)
    assert occurrence.registrations.confirmed().count() == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": in_days(6)}, "end"),
        ({"attendance_mode": "online"}, "online_url"),
        ({"street_address": ""}, "venue"),
        ({"repeat": "weekly", "repeat_until": in_days(30).date(), "repeat_count": 3}, "repeat_count"),
        ({"exception_dates": "2026-13-01"}, "exception_dates"),
        ({"is_free": False}, "price"),
        ({"slug": "archives"}, "slug"),
        ({"repeat_interval": 0}, "repeat_interval"),
    ],
)
def test_invalid_event_is_explained(event, changes, field):
    for name, value in changes.items():
        setattr(event, name, value)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert field in error.value.message_dict


def test_event_under_a_venue_defaults_to_it(venue_event, venue):
    assert venue_event.venue_id == venue.pk
    assert venue_event.location_label == f"La Coroutine, {venue.commune.name}"


def test_occurrence_queryset_reads(event, make_event):
    start, end = in_days(-3), in_days(-3, 21)
    with freeze_time(in_days(-10)):
        past = make_event(start=start, end=end)
    assert list(Occurrence.objects.upcoming()) == list(event.occurrences.all())
    assert list(Occurrence.objects.past()) == list(past.occurrences.all())
    assert set(Occurrence.objects.network()) == set(Occurrence.objects.all())
