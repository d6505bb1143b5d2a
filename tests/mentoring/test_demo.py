import pytest

from mentoring.models import MentoringRequest, MentorProfile, Pairing, Proposal

pytestmark = pytest.mark.django_db


def test_demo_step_is_idempotent(site_tree, django_capture_on_commit_callbacks):
    from members.demo import seed_accounts, seed_venues
    from mentoring.demo import seed_mentoring

    seed_accounts()
    seed_venues()
    with django_capture_on_commit_callbacks(execute=True):
        seed_mentoring()
        seed_mentoring()
    assert MentorProfile.objects.count() == 4
    assert MentoringRequest.objects.count() == 3
    assert MentoringRequest.objects.filter(applicant__email="porteur@example.org").exists()
    pairing = Pairing.objects.get()
    assert pairing.status == "active" and pairing.room is not None and pairing.checkins.count() == 1
    assert Proposal.objects.filter(status="pending_review").count() == 1
