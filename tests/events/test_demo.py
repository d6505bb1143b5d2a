from collections import Counter

import pytest

from events.models import EventPage, Occurrence, Registration
from events.permissions import can_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(site_tree):
    from events.demo import seed_events
    from members.demo import seed_accounts, seed_venues

    seed_accounts()
    seed_venues()
    seed_events()


def test_seed_events_twice(seeded):
    from events.demo import seed_events

    counts = (EventPage.objects.count(), Occurrence.objects.count(), Registration.objects.count())
    seed_events()
    assert (EventPage.objects.count(), Occurrence.objects.count(), Registration.objects.count()) == counts
    assert counts[0] == 17 and counts[2] >= 20
    assert EventPage.objects.get(slug="apero-des-tiers-lieux").occurrences.count() == 6


def test_demo_covers_every_kind_over_three_months(seeded):
    upcoming = Occurrence.objects.published().upcoming()
    kinds = Counter(kind for kind, _pk in set(upcoming.values_list("event__kind", "event_id")))
    assert kinds["meetup"] >= 2 and kinds["workshop"] >= 4 and kinds["open_day"] >= 3 and kinds["visit"] >= 3
    assert not EventPage.objects.filter(is_private=True).exists()
    # Spread over the next three months, never further than ~100 days for one-off dates.
    from django.utils import timezone

    soon = upcoming.filter(event__repeat="none").order_by("-start").first()
    assert (soon.start - timezone.now()).days <= 100
    months = {timezone.localtime(occ.start).month for occ in upcoming.filter(event__repeat="none")}
    assert len(months) >= 3


def test_demo_has_an_archive(seeded):
    past = Occurrence.objects.published().past()
    assert past.values("event").distinct().count() >= 4
    assert Registration.objects.filter(occurrence__in=past, attended=True).exists()


def test_one_visit_is_full_with_a_waiting_list(seeded):
    visit = EventPage.objects.get(slug="visite-guidee-de-la-ruche")
    occurrence = visit.occurrences.get()
    assert visit.kind == "visit" and not visit.is_private and visit.live
    assert occurrence.registrations.confirmed().count() == occurrence.capacity == 2
    assert occurrence.registrations.waitlisted().count() >= 1


def test_membre_may_register_for_upcoming_events(seeded):
    from members.models import User

    membre = User.objects.get(email="membre@example.org")
    assert can_register(membre)
    free = [
        occ
        for occ in Occurrence.objects.published().upcoming().select_related("event")
        if occ.accepts_registrations and not occ.registrations.active().filter(user=membre).exists()
    ]
    assert len({occ.event_id for occ in free}) >= 4
    assert Registration.objects.active().filter(user=membre, occurrence__end__gte=free[0].start).exists()
