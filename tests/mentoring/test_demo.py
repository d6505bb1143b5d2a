import pytest

from members.models import VenuePage
from mentoring.models import CheckIn, MentoringRequest, MentorProfile, Pairing, Proposal
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "profiles": sorted(MentorProfile.objects.values_list("venue__slug", "capacity")),
        "requests": sorted(
            MentoringRequest.objects.values_list("applicant__email", "project_name", "status")
        ),
        "proposals": sorted(Proposal.objects.values_list("request_id", "mentor_id", "status")),
        "pairings": sorted(Pairing.objects.values_list("request_id", "status")),
        "checkins": CheckIn.objects.count(),
    }


@pytest.fixture
def seeded(site_tree, django_capture_on_commit_callbacks):
    from members.demo import seed_accounts, seed_venues
    from mentoring.demo import seed_mentoring

    seed_accounts()
    venues = seed_venues()
    # More venues than the members demo has today: the share must not depend on an exact count.
    for n in range(9):
        VenuePageFactory(
            parent=site_tree["lieux"], title=f"Lieu de démo {n:02d}", slug=f"lieu-de-demo-{n:02d}"
        )
    with django_capture_on_commit_callbacks(execute=True):
        seed_mentoring()
    return venues


def test_demo_profiles_on_about_a_third_of_the_venues(seeded):
    live = VenuePage.objects.live().count()
    profiles = MentorProfile.objects.count()
    assert abs(profiles - live / 3) <= 1
    # The directory flag follows the profiles, and the hand-described mentor venues are among them.
    assert VenuePage.objects.filter(offers_mentoring=True).count() == profiles
    assert {"la-fabrique-des-possibles", "maison-commune-des-initiatives"} <= set(
        MentorProfile.objects.values_list("venue__slug", flat=True)
    )
    assert {p.capacity for p in MentorProfile.objects.all()} <= {1, 2, 3, 4}


def test_demo_requests_at_every_stage(seeded):
    Status = MentoringRequest.Status
    assert MentoringRequest.objects.count() == 20
    assert MentoringRequest.objects.filter(applicant__email="porteur@example.org").count() == 1
    statuses = set(MentoringRequest.objects.values_list("status", flat=True))
    assert statuses == {Status.OPEN, Status.PROPOSED, Status.PAIRED, Status.WITHDRAWN, Status.CLOSED}
    assert Proposal.objects.filter(status="pending_review").exists()
    assert Proposal.objects.filter(status="awaiting_mentor").exists()
    active = Pairing.objects.filter(status="active")
    assert active.count() >= 1
    assert all(p.room_id is not None and 1 <= p.checkins.count() <= 3 for p in active)
    assert active.filter(visit_event__isnull=False).count() == 1
    closed = Pairing.objects.get(status="completed")
    assert closed.feedback and closed.request.status == Status.CLOSED


def test_demo_step_is_idempotent(seeded, django_capture_on_commit_callbacks):
    from mentoring.demo import seed_mentoring

    before = _snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        seed_mentoring()
    assert _snapshot() == before
