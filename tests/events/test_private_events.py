"""Private events (a mentoring visit): drafts with one occurrence, out of every public listing."""

import pytest

from events import services
from events.errors import InvalidOccurrence, NotAllowed
from events.models import EventPage, Occurrence
from tests.factories.events import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(venue, manager):
    return services.create_private_event(
        venue, title="Visite privée", kind="visit", start=in_days(4, 10), end=in_days(4, 12), by=manager
    )


def test_create_makes_a_private_draft_with_one_occurrence(private, venue):
    assert private.is_private and not private.live and private.get_parent().pk == venue.pk
    assert private.venue_id == venue.pk and not private.registration_enabled
    occurrence = private.occurrences.get()
    assert (occurrence.start, occurrence.end) == (in_days(4, 10), in_days(4, 12))
    assert not EventPage.objects.published().filter(pk=private.pk).exists()
    assert not Occurrence.objects.published().filter(event=private).exists()


def test_published_querysets_exclude_private_events_even_when_live(private, venue_event):
    EventPage.objects.filter(pk=private.pk).update(live=True)
    assert list(EventPage.objects.published().values_list("pk", flat=True)) == [venue_event.pk]
    assert not Occurrence.objects.published().filter(event=private).exists()
    assert Occurrence.objects.published().filter(event=venue_event).exists()


def test_reschedule_moves_the_same_occurrence_and_bumps_its_sequence(private, manager):
    occurrence = private.occurrences.get()
    services.reschedule_private_event(private, start=in_days(6, 9), end=in_days(6, 11), by=manager)
    moved = Occurrence.objects.get()
    assert moved.pk == occurrence.pk
    assert moved.start == in_days(6, 9) and moved.ical_sequence == occurrence.ical_sequence + 1
    private.refresh_from_db()
    assert private.start == in_days(6, 9) and not private.live
    # Regenerating from the page keeps that one occurrence.
    services.regenerate_occurrences(private)
    assert list(Occurrence.objects.values_list("pk", flat=True)) == [occurrence.pk]


def test_cancel_cancels_the_dates_to_come(private, manager):
    services.cancel_private_event(private, by=manager)
    occurrence = private.occurrences.get()
    assert occurrence.is_cancelled and occurrence.sequence == 1
    services.cancel_private_event(private, by=manager)  # twice is harmless
    occurrence.refresh_from_db()
    assert occurrence.sequence == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [(in_days(-1, 10), in_days(-1, 12)), (in_days(3, 12), in_days(3, 10)), (None, None)],
)
def test_bad_dates_are_refused(venue, manager, start, end):
    with pytest.raises(InvalidOccurrence):
        services.create_private_event(venue, title="Visite", kind="visit", start=start, end=end, by=manager)
    assert not EventPage.objects.filter(title="Visite").exists()


def test_public_events_are_not_moved_or_cancelled_this_way(venue_event, manager):
    with pytest.raises(NotAllowed):
        services.reschedule_private_event(venue_event, start=in_days(9), end=in_days(9, 21), by=manager)
    with pytest.raises(NotAllowed):
        services.cancel_private_event(venue_event, by=manager)
