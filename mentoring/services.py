"""State changes of the compagnonnage (the one rule: views, forms, commands and
the admin call these; nothing else writes).

Every service is atomic and locks the rows whose state it checks; emails leave
through ``mentoring.tasks`` after the commit only. Nothing reaches a mentor or a
newcomer about a proposal before staff approve it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from members.services import set_offers_mentoring
from mentoring import conf, matching
from mentoring.errors import (
    EmailNotVerified,
    InvalidInput,
    MentorFull,
    MentorUnavailable,
    NotAllowed,
    WrongState,
)
from mentoring.models import CheckIn, MentoringRequest, MentorProfile, Pairing, Proposal
from mentoring.permissions import (
    can_close_pairing,
    can_edit_mentor_profile,
    is_manager_of,
    is_party,
    is_verified_member,
    proposal_policy,
)
from network.permissions import is_staff_member, staff_members
from network.validation import within_years

PROFILE_FIELDS = (
    "is_active",
    "expertise",
    "stages",
    "legal_forms",
    "capacity",
    "availability",
    "formats",
    "accepts_visits",
)
REQUEST_FIELDS = (
    "project_name",
    "description",
    "stage",
    "activities",
    "needs",
    "commune",
    "in_qpv",
    "legal_form",
    "preferred_format",
    "availability",
)
MAX_CURRENT_REQUESTS = 3


def _notify(event, obj):
    from mentoring.tasks import send_mentoring_email

    pk = obj.pk
    transaction.on_commit(lambda: send_mentoring_email.enqueue(event, pk))


def _require(by, action):
    """``by`` may ``action`` ("add": propose, "change": approve or discard) proposals."""
    if by is None or not proposal_policy.user_has_permission(by, action):
        raise NotAllowed(_("Seule l'équipe du réseau peut faire cela."))


def _apply(instance, data, fields, exclude=()):
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise InvalidInput("; ".join(error.messages)) from error


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def _lock_proposal(proposal):
    """Lock a proposal's request, then the proposal.

    Every service locks in the same order (request, proposal, mentor profile), so two
    services racing on the same rows wait for each other instead of deadlocking.
    """
    request_id = Proposal.objects.filter(pk=proposal.pk).values_list("request_id", flat=True).get()
    request = MentoringRequest.objects.select_for_update().get(pk=request_id)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("mentor__venue").get(pk=proposal.pk)
    )
    return request, proposal


# -- mentor profiles -------------------------------------------------------------------------


@transaction.atomic
def save_mentor_profile(venue, data, *, by):
    """Create or update the venue's mentor profile (its managers in Wagtail, or staff)."""
    if not can_edit_mentor_profile(by, venue):
        raise NotAllowed(_("Vous ne gérez pas ce lieu."))
    profile = MentorProfile.objects.select_for_update().filter(venue=venue).first()
    if profile is None:
        profile = MentorProfile(venue=venue)
    _apply(profile, data, PROFILE_FIELDS, exclude=["venue"])
    profile.save()
    # The directory's "offers mentoring" filter follows the profile.
    set_offers_mentoring(venue, profile.is_active)
    return profile


# -- requests --------------------------------------------------------------------------------


@transaction.atomic
def submit_request(data, *, by):
    """A verified member asks for a mentor venue; the request joins the open pool."""
    if not is_verified_member(by):
        raise EmailNotVerified(_("Confirmez d'abord votre adresse e-mail."))
    if MentoringRequest.objects.current().filter(applicant=by).count() >= MAX_CURRENT_REQUESTS:
        raise InvalidInput(
            _("Vous avez déjà %(n)s demandes en cours : retirez-en une d'abord.")
            % {"n": MAX_CURRENT_REQUESTS},
            code="too_many_requests",
        )
    request = MentoringRequest(applicant=by, status=MentoringRequest.Status.OPEN)
    _apply(request, data, REQUEST_FIELDS, exclude=["applicant"])
    request.save()
    _notify("submitted", request)
    return request


@transaction.atomic
def update_request(request, data, *, by):
    """The applicant edits their request while it waits for a mentor."""
    request = _locked(MentoringRequest, request)
    if by.pk != request.applicant_id:
        raise NotAllowed(_("Seul le porteur du projet peut modifier sa demande."))
    if not request.is_editable:
        raise WrongState(_("Cette demande ne peut plus être modifiée."))
    _apply(request, data, REQUEST_FIELDS, exclude=["applicant"])
    request.save()
    return request


@transaction.atomic
def withdraw_request(request, *, by):
    """The applicant (or staff) withdraws a request that is not paired yet; live proposals are cancelled."""
    request = _locked(MentoringRequest, request)
    if by.pk != request.applicant_id and not is_staff_member(by):
        raise NotAllowed(_("Seul le porteur du projet peut retirer sa demande."))
    if request.status not in (MentoringRequest.Status.OPEN, MentoringRequest.Status.PROPOSED):
        raise WrongState(_("Cette demande ne peut plus être retirée."))
    for proposal in Proposal.objects.select_for_update().filter(request=request).live():
        was_awaiting = proposal.status == Proposal.Status.AWAITING_MENTOR
        proposal.status = Proposal.Status.CANCELLED
        proposal.save(update_fields=["status"])
        if was_awaiting:
            _notify("cancelled", proposal)
    request.status = MentoringRequest.Status.WITHDRAWN
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at", "updated_at"])
    _notify("withdrawn", request)
    return request


# -- proposals -------------------------------------------------------------------------------


def _mentor_load(profile, *, exclude_proposal=None):
    """Slots taken: active pairings plus live proposals (a reviewed proposal holds a slot)."""
    live = Proposal.objects.filter(mentor=profile).live()
    if exclude_proposal is not None:
        live = live.exclude(pk=exclude_proposal.pk)
    return profile.pairings.filter(status=Pairing.Status.ACTIVE).count() + live.count()


def _create_proposal(request, mentor, *, by, from_batch=False):
    from mentoring.adapters import mentor_from_model, request_from_model

    request = _locked(MentoringRequest, request)
    if request.status != MentoringRequest.Status.OPEN:
        raise WrongState(_("Cette demande n'attend plus de proposition."))
    mentor = (
        MentorProfile.objects.select_for_update(of=("self",))
        .select_related("venue__commune")
        .get(pk=mentor.pk)
    )
    if not (mentor.is_active and mentor.venue.live):
        raise MentorUnavailable(_("Ce lieu ne propose pas de compagnonnage en ce moment."))
    if _mentor_load(mentor) >= mentor.capacity:
        raise MentorFull(_("Ce lieu compagnon n'a plus de place."))
    evaluation = matching.evaluate(request_from_model(request), mentor_from_model(mentor), conf.weights())
    proposal = Proposal.objects.create(
        request=request,
        mentor=mentor,
        score=evaluation.score,
        explanation=evaluation.explanation,
        from_batch=from_batch,
        proposed_by=by,
    )
    request.status = MentoringRequest.Status.PROPOSED
    request.save(update_fields=["status", "updated_at"])
    return proposal


@transaction.atomic
def propose_pairing(request, mentor, *, by, from_batch=False):
    """Staff put a mentor forward for an open request; it waits for staff approval (no email)."""
    _require(by, "add")
    return _create_proposal(request, mentor, by=by, from_batch=from_batch)


@transaction.atomic
def propose_batch(pairs, *, by=None):
    """Write the proposals of a batch assignment (``[(request, mentor)]``), pending staff review.

    ``by`` is the staff member, or ``None`` for ``manage.py mentoring_match --commit``.
    A pair that no longer fits (request taken meanwhile, mentor full) is skipped and
    returned in ``skipped`` with the reason.
    """
    if by is not None:
        _require(by, "add")
    created, skipped = [], []
    for request, mentor in pairs:
        try:
            with transaction.atomic():
                created.append(_create_proposal(request, mentor, by=by, from_batch=True))
        except (WrongState, MentorFull, MentorUnavailable) as error:
            skipped.append((request, mentor, error.message))
    return created, skipped


@transaction.atomic
def approve_proposal(proposal, *, by):
    """Staff approve: the mentor venue's managers are asked to answer before the deadline."""
    _require(by, "change")
    _request, proposal = _lock_proposal(proposal)
    if proposal.status != Proposal.Status.PENDING_REVIEW:
        raise WrongState(_("Cette proposition a déjà été traitée."))
    mentor = _locked(MentorProfile, proposal.mentor)
    if not mentor.is_active:
        raise MentorUnavailable(_("Ce lieu ne propose pas de compagnonnage en ce moment."))
    if _mentor_load(mentor, exclude_proposal=proposal) >= mentor.capacity:
        raise MentorFull(_("Ce lieu compagnon n'a plus de place."))
    now = timezone.now()
    proposal.status = Proposal.Status.AWAITING_MENTOR
    proposal.approved_by = by
    proposal.approved_at = now
    proposal.deadline = now + conf.answer_delay()
    proposal.save(update_fields=["status", "approved_by", "approved_at", "deadline"])
    _notify("approved", proposal)
    return proposal


@transaction.atomic
def discard_proposal(proposal, *, by):
    """Staff set a proposal aside before anyone heard of it; the request returns to the pool."""
    _require(by, "change")
    request, proposal = _lock_proposal(proposal)
    if proposal.status != Proposal.Status.PENDING_REVIEW:
        raise WrongState(_("Cette proposition a déjà été traitée."))
    proposal.status = Proposal.Status.DISCARDED
    proposal.save(update_fields=["status"])
    _reopen(request)
    return proposal


def _reopen(request):
    """Back to the pool (``request`` is already locked by the caller)."""
    if request.status == MentoringRequest.Status.PROPOSED:
        request.status = MentoringRequest.Status.OPEN
        request.save(update_fields=["status", "updated_at"])
    return request


def _queue_next_suggestion(request):
    """Put the next best mentor (never one already tried) up for staff review, if any."""
    from mentoring.adapters import suggestions_for

    if not conf.auto_next_suggestion():
        return None
    request = MentoringRequest.objects.select_related("commune").get(pk=request.pk)
    if request.status != MentoringRequest.Status.OPEN:
        return None
    for mentor, _suggestion in suggestions_for(request, limit=3):
        try:
            with transaction.atomic():
                return _create_proposal(request, mentor, by=None)
        except (MentorFull, MentorUnavailable):
            continue
    return None


def _lock_awaiting(proposal, by):
    request, proposal = _lock_proposal(proposal)
    if not is_manager_of(by, proposal.mentor.venue):
        raise NotAllowed(_("Seule l'équipe du lieu compagnon peut répondre."))
    if proposal.status != Proposal.Status.AWAITING_MENTOR:
        raise WrongState(_("Cette proposition n'attend plus de réponse."))
    return request, proposal


@transaction.atomic
def accept_proposal(proposal, *, by):
    """The mentor venue accepts: an active pairing and its private room (pair + staff)."""
    request, proposal = _lock_awaiting(proposal, by)
    now = timezone.now()
    if proposal.deadline is not None and proposal.deadline < now:
        raise WrongState(_("Le délai de réponse est dépassé."))
    mentor = _locked(MentorProfile, proposal.mentor)
    if mentor.pairings.filter(status=Pairing.Status.ACTIVE).count() >= mentor.capacity:
        raise MentorFull(_("Votre lieu a déjà atteint sa capacité de compagnonnage."))
    if request.status != MentoringRequest.Status.PROPOSED:
        raise WrongState(_("Cette demande n'attend plus de lieu compagnon."))
    proposal.status = Proposal.Status.ACCEPTED
    proposal.answered_by = by
    proposal.answered_at = now
    proposal.save(update_fields=["status", "answered_by", "answered_at"])
    request.status = MentoringRequest.Status.PAIRED
    request.save(update_fields=["status", "updated_at"])
    pairing = Pairing.objects.create(proposal=proposal, request=request, mentor=mentor)
    pairing.room = _open_room(pairing, proposal.mentor.venue, request)
    pairing.save(update_fields=["room"])
    _notify("accepted", proposal)
    return pairing


def _open_room(pairing, venue, request):

    from members.models import User
    from network.discussion.models import Room, RoomMembership
    from network.discussion.services import add_room_member, create_room

    # The pairing's room is its members' only: the applicant, the mentor venue's
    # managers and, as moderators, staff (``derive_pairing_rooms``).
    room = create_room(
        kind=Room.Kind.PRIVATE,
        visibility=Room.Visibility.MEMBERS,
        title=_("Compagnonnage : %(project)s × %(venue)s")
        % {"project": request.project_name, "venue": venue.title},
        description=_("Le salon privé du binôme et de l'équipe du réseau."),
        by=None,
    )
    add_room_member(room, request.applicant)
    for manager in (
        User.objects.filter(groups=venue.manager_group_id, is_active=True) if venue.manager_group_id else []
    ):
        add_room_member(room, manager)
    for staff in staff_members():
        if staff.pk != request.applicant_id:
            add_room_member(room, staff, role=RoomMembership.Role.MODERATOR)
    return room


def derive_pairing_rooms(users):
    """Who sits in a pairing's private room follows from the pairing: the applicant,
    the active managers of the mentor venue (its Wagtail group, the one source of
    truth) and, as moderators, staff. A manager who leaves the venue's group, or
    staff who leave theirs, lose the room; a manager who joins it enters the
    rooms of its active pairings. Called on ``members.signals.roles_changed``."""
    from django.db.models import Q

    from network.discussion.models import RoomMembership
    from network.discussion.services import add_room_member, remove_room_member

    for user in users:
        groups = list(user.groups.values_list("pk", flat=True)) if user.is_active else []
        staff = is_staff_member(user)
        pairings = (
            Pairing.objects.filter(room__isnull=False)
            .filter(
                Q(room__memberships__user=user)
                | Q(status=Pairing.Status.ACTIVE, mentor__venue__manager_group__in=groups)
            )
            .select_related("request", "mentor__venue", "room")
            .distinct()
        )
        for pairing in pairings:
            manager = pairing.mentor.venue.manager_group_id in groups
            if manager or pairing.request.applicant_id == user.pk:
                add_room_member(pairing.room, user)
            elif staff:
                add_room_member(pairing.room, user, role=RoomMembership.Role.MODERATOR)
            else:
                remove_room_member(pairing.room, user)


@transaction.atomic
def decline_proposal(proposal, *, by, reason):
    """The mentor venue declines with a reason; the request goes back with the next suggestion."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Indiquez le motif du refus."))
    request, proposal = _lock_awaiting(proposal, by)
    proposal.status = Proposal.Status.DECLINED
    proposal.answered_by = by
    proposal.answered_at = timezone.now()
    proposal.decline_reason = reason[:1000]
    proposal.save(update_fields=["status", "answered_by", "answered_at", "decline_reason"])
    _reopen(request)
    _notify("declined", proposal)
    _queue_next_suggestion(proposal.request)
    return proposal


def expire_proposals(*, now=None):
    """Expire every proposal left unanswered past its deadline; one transaction each.

    Each request returns to the pool and its next suggestion is queued for staff review.
    """
    now = now or timezone.now()
    expired = []
    for pk in Proposal.objects.overdue(now).values_list("pk", flat=True):
        with transaction.atomic():
            request, proposal = _lock_proposal(Proposal(pk=pk))
            if proposal.status != Proposal.Status.AWAITING_MENTOR or proposal.deadline >= now:
                continue  # answered meanwhile
            proposal.status = Proposal.Status.EXPIRED
            proposal.save(update_fields=["status"])
            _reopen(request)
            _notify("expired", proposal)
            _queue_next_suggestion(proposal.request)
            expired.append(proposal)
    return expired


# -- pairings --------------------------------------------------------------------------------


def _pair_or_staff(user, pairing):
    return is_party(user, pairing) or is_staff_member(user)


def _lock_active_pairing(pairing, by, *, allowed=_pair_or_staff):
    """The pairing, locked, if ``allowed(by, pairing)`` (by default: the pair or staff) and active."""
    pairing = (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("request", "mentor__venue")
        .get(pk=pairing.pk)
    )
    if by is None or not allowed(by, pairing):
        raise NotAllowed(_("Seul le binôme peut faire cela."))
    if pairing.status != Pairing.Status.ACTIVE:
        raise WrongState(_("Ce compagnonnage est terminé."))
    return pairing


@transaction.atomic
def log_checkin(pairing, data, *, by):
    """Either side (or staff) records a meeting: date, notes, next steps."""
    pairing = _lock_active_pairing(pairing, by)
    checkin = CheckIn(pairing=pairing, author=by)
    _apply(checkin, data, ("date", "notes", "next_steps"), exclude=["pairing", "author"])
    if checkin.date > timezone.localdate():
        raise InvalidInput(_("Un point d'étape se note après la rencontre : la date est dans le futur."))
    checkin.save()
    return checkin


def _visit_start(value):
    """The visit's start as an aware datetime to come, or a clear refusal."""
    if isinstance(value, str):
        try:
            value = parse_datetime(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.datetime):
        raise InvalidInput(_("Choisissez une date et une heure de visite valides."), code="invalid_date")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value <= timezone.now():
        raise InvalidInput(_("Choisissez une date de visite à venir."), code="past_date")
    years = conf.visit_max_years_ahead()
    if not within_years(value, future=years):
        raise InvalidInput(
            _("Choisissez une date dans les %(years)s ans qui viennent.") % {"years": years}, code="far_date"
        )
    return value


@transaction.atomic
def plan_visit(pairing, data, *, by):
    """Either side plans (or moves) the newcomer's visit to the mentor venue.

    The visit is a private event (kind "visit") under the mentor venue: a draft page
    that no public listing, feed, sitemap or search shows, with one occurrence. Moving
    it updates that same event (its .ics keeps its UID and its SEQUENCE grows).
    """
    from events import services as event_services
    from events.errors import ServiceError as EventServiceError
    from events.vocabulary import Kind

    pairing = _lock_active_pairing(pairing, by)
    if not pairing.mentor.accepts_visits:
        raise NotAllowed(_("Ce lieu compagnon ne propose pas de visite."))
    start = _visit_start(data.get("visit_at"))
    end = start + conf.visit_duration()
    notes = (data.get("visit_notes") or "").strip()[:300]
    venue = pairing.mentor.venue
    try:
        if pairing.visit_event_id is None:
            event = event_services.create_private_event(
                venue,
                title=_("Visite de %(venue)s — %(project)s")
                % {"venue": venue.title, "project": pairing.request.project_name},
                kind=Kind.VISIT,
                start=start,
                end=end,
                summary=notes,
                by=by,
            )
        else:
            event = event_services.reschedule_private_event(
                pairing.visit_event, start=start, end=end, summary=notes, by=by
            )
    except EventServiceError as error:
        raise InvalidInput(error.message, code=error.code) from error
    pairing.visit_event = event
    pairing.visit_at = start
    pairing.visit_notes = notes
    pairing.save(update_fields=["visit_event", "visit_at", "visit_notes"])
    _notify("visit_planned", pairing)
    return pairing


@transaction.atomic
def close_pairing(pairing, *, by, feedback, project_opened=None):
    """Either side of the pair ends it with feedback and whether the venue opened
    (``can_close_pairing``: the newcomer or a manager of the mentor venue; not staff)."""
    pairing = _lock_active_pairing(pairing, by, allowed=can_close_pairing)
    feedback = (feedback or "").strip()
    if not feedback:
        raise InvalidInput(_("Dites en quelques mots comment s'est passé le compagnonnage."))
    now = timezone.now()
    pairing.status = Pairing.Status.COMPLETED
    pairing.closed_at = now
    pairing.closed_by = by
    pairing.feedback = feedback[:3000]
    pairing.project_opened = project_opened
    pairing.save(update_fields=["status", "closed_at", "closed_by", "feedback", "project_opened"])
    if pairing.visit_event_id is not None:
        from events.services import cancel_private_event

        cancel_private_event(pairing.visit_event, by=by)  # a visit still to come no longer holds
    request = _locked(MentoringRequest, pairing.request)
    request.status = MentoringRequest.Status.CLOSED
    request.closed_at = now
    request.save(update_fields=["status", "closed_at", "updated_at"])
    _notify("closed", pairing)
    return pairing
