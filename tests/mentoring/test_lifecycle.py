"""The lifecycle: propose -> approve -> accept/decline/expire -> pairing -> check-ins -> close."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from mentoring import services
from mentoring.errors import InvalidInput, MentorFull, NotAllowed, WrongState
from mentoring.models import MentoringRequest, Pairing, Proposal
from network.discussion.models import Room
from tests.factories import VerifiedUserFactory
from tests.factories.mentoring import MentoringRequestFactory, MentorProfileFactory

pytestmark = pytest.mark.django_db


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def test_proposal_waits_for_staff_and_tells_nobody(
    open_request, mentor, staff_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.propose_pairing(open_request, mentor, by=staff_user)
    assert proposal.status == Proposal.Status.PENDING_REVIEW
    assert proposal.explanation and 0 < proposal.score <= 1
    open_request.refresh_from_db()
    assert open_request.status == MentoringRequest.Status.PROPOSED
    assert mail.outbox == []


def test_only_staff_propose_and_approve(open_request, mentor, mentor_manager, newcomer):
    for user in (mentor_manager, newcomer):
        with pytest.raises(NotAllowed):
            services.propose_pairing(open_request, mentor, by=user)


def test_one_live_proposal_per_request(pending_proposal, other_mentor, staff_user):
    with pytest.raises(WrongState):
        services.propose_pairing(pending_proposal.request, other_mentor, by=staff_user)


def test_approval_notifies_managers_and_newcomer_in_their_language(
    pending_proposal, staff_user, mentor_manager, newcomer, django_capture_on_commit_callbacks
):
    mentor_manager.language = "en"
    mentor_manager.save()
    mail.outbox.clear()
    with freeze_time("2026-03-02 10:00"), django_capture_on_commit_callbacks(execute=True):
        proposal = services.approve_proposal(pending_proposal, by=staff_user)
    assert proposal.status == Proposal.Status.AWAITING_MENTOR
    assert proposal.deadline == datetime.datetime(2026, 3, 16, 10, tzinfo=datetime.UTC)
    assert recipients() == sorted([mentor_manager.email, newcomer.email])
    to_manager = next(m for m in mail.outbox if m.to == [mentor_manager.email])
    assert f"/compagnonnage/proposition/{proposal.pk}/" in to_manager.body
    with pytest.raises(WrongState):
        services.approve_proposal(proposal, by=staff_user)


def test_accept_creates_the_pairing_and_its_private_room(
    awaiting_proposal, mentor_manager, newcomer, staff_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pairing = services.accept_proposal(awaiting_proposal, by=mentor_manager)
    assert pairing.status == Pairing.Status.ACTIVE
    assert pairing.request.status == MentoringRequest.Status.PAIRED
    room = pairing.room
    assert room.kind == Room.Kind.PRIVATE
    assert set(room.memberships.values_list("user", flat=True)) == {
        newcomer.pk,
        mentor_manager.pk,
        staff_user.pk,
    }
    assert set(recipients()) == {newcomer.email, mentor_manager.email, staff_user.email}


def test_only_the_mentor_venue_answers(awaiting_proposal, other_manager, newcomer, staff_user):
    for user in (other_manager, newcomer, staff_user):
        with pytest.raises(NotAllowed):
            services.accept_proposal(awaiting_proposal, by=user)
        with pytest.raises(NotAllowed):
            services.decline_proposal(awaiting_proposal, by=user, reason="Non")


def test_cannot_answer_before_approval(pending_proposal, mentor_manager):
    with pytest.raises(WrongState):
        services.accept_proposal(pending_proposal, by=mentor_manager)


def test_decline_needs_a_reason_and_queues_the_next_suggestion(
    awaiting_proposal, other_mentor, mentor_manager, staff_user, newcomer, django_capture_on_commit_callbacks
):
    with pytest.raises(InvalidInput):
        services.decline_proposal(awaiting_proposal, by=mentor_manager, reason="  ")
    mail.outbox.clear()
    # The other mentor must be acceptable for this request.
    other_mentor.expertise = ["modele_economique", "statut_juridique"]
    other_mentor.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_proposal(awaiting_proposal, by=mentor_manager, reason="Plus de place cet hiver")
    awaiting_proposal.refresh_from_db()
    assert awaiting_proposal.status == Proposal.Status.DECLINED
    assert set(recipients()) == {newcomer.email, staff_user.email}
    request = MentoringRequest.objects.get(pk=awaiting_proposal.request_id)
    nxt = request.proposals.live().get()
    assert nxt.mentor == other_mentor and nxt.status == Proposal.Status.PENDING_REVIEW
    assert request.status == MentoringRequest.Status.PROPOSED


def test_declined_mentor_is_never_suggested_again(awaiting_proposal, mentor_manager):
    from mentoring.adapters import batch_assignment, suggestions_for

    services.decline_proposal(awaiting_proposal, by=mentor_manager, reason="Non merci")
    request = MentoringRequest.objects.get(pk=awaiting_proposal.request_id)
    assert request.status == MentoringRequest.Status.OPEN  # no other mentor: back in the pool
    assert suggestions_for(request) == []
    assignment, _requests, _mentors = batch_assignment()
    assert assignment.pairs == [] and assignment.unmatched == [request.pk]


def test_unanswered_proposals_expire(
    awaiting_proposal, mentor_manager, staff_user, newcomer, django_capture_on_commit_callbacks
):
    deadline = awaiting_proposal.deadline
    with freeze_time(deadline - datetime.timedelta(minutes=1)):
        assert services.expire_proposals() == []
    mail.outbox.clear()
    with freeze_time(deadline + datetime.timedelta(minutes=1)):
        with django_capture_on_commit_callbacks(execute=True):
            expired = services.expire_proposals()
        assert [p.pk for p in expired] == [awaiting_proposal.pk]
        with pytest.raises(WrongState):
            services.accept_proposal(awaiting_proposal, by=mentor_manager)
    awaiting_proposal.refresh_from_db()
    assert awaiting_proposal.status == Proposal.Status.EXPIRED
    assert set(recipients()) == {mentor_manager.email, staff_user.email, newcomer.email}
    assert MentoringRequest.objects.get(pk=awaiting_proposal.request_id).status == "open"


def test_late_answer_is_refused_even_before_the_expiry_job(awaiting_proposal, mentor_manager):
    with freeze_time(awaiting_proposal.deadline + datetime.timedelta(hours=1)), pytest.raises(WrongState):
        services.accept_proposal(awaiting_proposal, by=mentor_manager)


def test_expire_command(awaiting_proposal):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with freeze_time(awaiting_proposal.deadline + datetime.timedelta(days=1)):
        call_command("expire_mentoring_proposals", stdout=out)
    assert "1 proposal(s) expired" in out.getvalue()


def test_capacity_is_enforced(mentor, staff_user, mentor_manager):
    mentor.capacity = 1
    mentor.save()
    first, second = MentoringRequestFactory.create_batch(2)
    services.propose_pairing(first, mentor, by=staff_user)
    with pytest.raises(MentorFull):
        services.propose_pairing(second, mentor, by=staff_user)


def test_accept_is_refused_when_the_mentor_is_full(mentor, staff_user, mentor_manager):
    mentor.capacity = 2
    mentor.save()
    first, second = MentoringRequestFactory.create_batch(2)
    p1 = services.approve_proposal(services.propose_pairing(first, mentor, by=staff_user), by=staff_user)
    p2 = services.approve_proposal(services.propose_pairing(second, mentor, by=staff_user), by=staff_user)
    services.accept_proposal(p1, by=mentor_manager)
    mentor.capacity = 1  # the venue lowered its capacity meanwhile
    mentor.save()
    with pytest.raises(MentorFull):
        services.accept_proposal(p2, by=mentor_manager)


def test_checkins_visit_and_close(
    pairing, newcomer, mentor_manager, staff_user, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    services.log_checkin(
        pairing, {"date": today, "notes": "Visite des ateliers", "next_steps": "Budget"}, by=newcomer
    )
    services.log_checkin(pairing, {"date": today, "notes": "Point statuts"}, by=mentor_manager)
    assert pairing.checkins.count() == 2
    with pytest.raises(InvalidInput):
        services.log_checkin(pairing, {"date": today + datetime.timedelta(days=2), "notes": "x"}, by=newcomer)
    with pytest.raises(InvalidInput):
        services.log_checkin(pairing, {"date": today, "notes": ""}, by=newcomer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_visit(pairing, {"visit_at": timezone.now() + datetime.timedelta(days=3)}, by=newcomer)
    assert set(recipients()) == {newcomer.email, mentor_manager.email}
    with pytest.raises(InvalidInput):
        services.plan_visit(pairing, {"visit_at": timezone.now() - datetime.timedelta(days=1)}, by=newcomer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.close_pairing(
            pairing, by=mentor_manager, feedback="Le café a ouvert en mai.", project_opened=True
        )
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.COMPLETED and pairing.project_opened is True
    assert pairing.request.status == MentoringRequest.Status.CLOSED
    assert set(recipients()) == {newcomer.email, mentor_manager.email, staff_user.email}
    with pytest.raises(WrongState):
        services.log_checkin(pairing, {"date": today, "notes": "encore"}, by=newcomer)
    with pytest.raises(WrongState):
        services.close_pairing(pairing, by=newcomer, feedback="encore")


def test_outsiders_cannot_act_on_a_pairing(pairing, member, other_manager):
    today = timezone.localdate()
    for user in (member, other_manager):
        with pytest.raises(NotAllowed):
            services.log_checkin(pairing, {"date": today, "notes": "intrus"}, by=user)
        with pytest.raises(NotAllowed):
            services.close_pairing(pairing, by=user, feedback="intrus")


def test_visit_refused_when_the_mentor_takes_no_visits(pairing, newcomer):
    pairing.mentor.accepts_visits = False
    pairing.mentor.save()
    with pytest.raises(NotAllowed):
        services.plan_visit(pairing, {"visit_at": timezone.now() + datetime.timedelta(days=3)}, by=newcomer)


def test_withdraw_refused_once_paired(pairing, newcomer):
    with pytest.raises(WrongState):
        services.withdraw_request(pairing.request, by=newcomer)


def test_discard_returns_the_request_to_the_pool(pending_proposal, staff_user):
    services.discard_proposal(pending_proposal, by=staff_user)
    assert MentoringRequest.objects.get(pk=pending_proposal.request_id).status == "open"


def test_inactive_mentor_is_not_suggested(open_request, mentor, staff_user):
    from mentoring.adapters import suggestions_for
    from mentoring.errors import MentorUnavailable

    assert [m.pk for m, _s in suggestions_for(open_request)] == [mentor.pk]
    mentor.is_active = False
    mentor.save()
    assert suggestions_for(open_request) == []
    with pytest.raises(MentorUnavailable):
        services.propose_pairing(open_request, mentor, by=staff_user)


def test_room_includes_every_manager(awaiting_proposal, mentor_venue, staff_user):
    from members.services import attach_manager

    second = VerifiedUserFactory()
    attach_manager(mentor_venue, second, by=staff_user)
    pairing = services.accept_proposal(awaiting_proposal, by=second)
    assert pairing.room.memberships.filter(user=second).exists()


def test_unused_factory_profile_is_valid(make_venue):
    profile = MentorProfileFactory(venue=make_venue())
    profile.full_clean()


def test_each_email_is_rendered_in_its_recipients_language(
    pending_proposal, staff_user, mentor_manager, newcomer, monkeypatch, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from mentoring import tasks

    mentor_manager.language = "en"
    mentor_manager.save()
    seen = {}
    real = tasks.render_email

    def spy(template_prefix, context):
        seen[context["recipient"].pk] = translation.get_language()
        return real(template_prefix, context)

    monkeypatch.setattr(tasks, "render_email", spy)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_proposal(pending_proposal, by=staff_user)
    assert seen == {mentor_manager.pk: "en", newcomer.pk: "fr"}
