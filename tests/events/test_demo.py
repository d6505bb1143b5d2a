import pytest

from events.models import EventPage, Occurrence, Registration

pytestmark = pytest.mark.django_db


def test_seed_events_twice(site_tree):
    from events.demo import seed_events
    from members.demo import seed_accounts, seed_venues

    seed_accounts()
    seed_venues()
    seed_events()
    counts = (EventPage.objects.count(), Occurrence.objects.count(), Registration.objects.count())
    seed_events()
    assert (EventPage.objects.count(), Occurrence.objects.count(), Registration.objects.count()) == counts
    assert counts[0] == 5 and counts[2] >= 4
    assert EventPage.objects.get(slug="apero-des-tiers-lieux").occurrences.count() == 6
    assert Registration.objects.waitlisted().exists()  # the workshop's 2 seats are taken
