"""``seed_demo``'s venues: about forty, every activity and legal form, each with a manager."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from members.demo import venue_rows
from members.models import User, VenuePage
from members.vocabulary import ACTIVITY_CODES, LEGAL_FORM_CHOICES

pytestmark = pytest.mark.django_db


def _snapshot():
    venues = VenuePage.objects.order_by("slug")
    return {
        "venues": list(
            venues.values_list("slug", "live", "latest_revision_id", "manager_group_id", "room_id")
        ),
        "users": sorted(User.objects.values_list("email", "password")),
        "groups": sorted(User.groups.through.objects.values_list("user_id", "group_id")),
    }


@pytest.fixture
def seeded(site_tree, django_capture_on_commit_callbacks):
    from members.demo import seed_accounts, seed_venues

    with django_capture_on_commit_callbacks(execute=True):
        seed_accounts()
        return seed_venues()


def test_about_forty_varied_published_venues_each_with_a_manager(seeded):
    invented = [row for row in venue_rows() if not row.get("source")]
    live = VenuePage.objects.live()
    assert 38 <= live.count() <= 42
    assert {spec["slug"] for spec in invented} <= set(live.values_list("slug", flat=True))
    census = live.filter(source="anct-2019")
    assert census.count() == live.count() - len(invented)
    assert all(v.latitude and v.longitude and v.summary and v.room_id for v in census)
    assert not census.filter(title__regex=r"[A-Z]{4,}").exists()  # names cleaned of upper case

    live = list(live)
    activities = {code for venue in live for code in venue.activities}
    assert activities == ACTIVITY_CODES
    assert {venue.main_activity for venue in live} == ACTIVITY_CODES
    assert {venue.legal_form for venue in live} >= {code for code, _label in LEGAL_FORM_CHOICES}
    assert 3 <= sum(venue.in_qpv for venue in live) < len(live)
    assert 3 <= sum(venue.offers_mentoring for venue in live) < len(live)

    for venue in VenuePage.objects.live().select_related("manager_group"):
        managers = list(venue.manager_group.user_set.all()) if venue.manager_group else []
        assert managers, venue.title
        for manager in managers:
            assert EmailAddress.objects.filter(user=manager, verified=True).exists()
            assert manager.check_password(settings.DEMO_PASSWORD)
    lieu = User.objects.get(email="lieu@example.org")
    assert VenuePage.objects.filter(manager_group__in=lieu.groups.all()).count() == 1


def test_seeding_twice_changes_nothing(seeded, django_capture_on_commit_callbacks):
    from members.demo import seed_venues

    before = _snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        seed_venues()
    assert _snapshot() == before
