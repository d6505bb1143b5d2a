"""State changes of the events app (the one rule: views, signals and commands call these).

Capacity is decided under a row lock on the occurrence: every registration,
cancellation and promotion of one occurrence takes ``select_for_update(of=("self",))`` on
it first, so two requests never take the last seat together and the waiting
list is served strictly in order of arrival. Emails leave after the commit.
"""

import hashlib
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from events import conf
from events.errors import (
    AlreadyRegistered,
    EmailNotVerified,
    EventFull,
    HoldExpired,
    InvalidLink,
    InvalidOccurrence,
    InvalidRegistration,
    NotAllowed,
    NotRegistered,
    RegistrationClosed,
)
from events.models import CalendarToken, EventPage, Occurrence, Registration
from events.permissions import can_manage_event, can_register
from events.recurrence import Rule, all_day_bounds, occurrence_slots, parse_exdates, plan_regeneration
from events.vocabulary import EventStatus, OccurrenceStatus, RegistrationStatus
from members.freshness import content_changed
from network.discussion.models import Room
from network.validation import parse_id

# -- side effects after commit --------------------------------------------------


def _email_after_commit(registration_ids, kind):
    from events.tasks import send_event_email

    ids = [pk for pk in registration_ids if pk]
    if not ids:
        return

    def send():
        for pk in ids:
            send_event_email.enqueue(pk, kind)

    transaction.on_commit(send)


# -- occurrences from the page ------------------------------------------------


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def wanted_slots(event, *, now=None):
    """(start, end) pairs the page's dates, rule and extra dates give."""
    tz, now = _tz(), now or timezone.now()
    start, end = event.start, max(event.end, event.start)
    if event.all_day:
        start, end = all_day_bounds(start.astimezone(tz).date(), end.astimezone(tz).date(), tz)
    exdates, _invalid = parse_exdates(event.exception_dates)
    rule = Rule(
        frequency=event.repeat,
        interval=event.repeat_interval or 1,
        until=event.repeat_until,
        count=event.repeat_count,
        exdates=exdates,
    )
    horizon = max(now, start) + timedelta(days=conf.recurrence_horizon_days())
    slots = occurrence_slots(start, end, rule, tz=tz, horizon_end=horizon, limit=conf.max_occurrences())
    for extra in event.extra_dates.all():
        extra_start, extra_end = extra.start, max(extra.end, extra.start)
        if event.all_day:
            extra_start, extra_end = all_day_bounds(
                extra_start.astimezone(tz).date(), extra_end.astimezone(tz).date(), tz
            )
        slots.append((extra_start, extra_end))
    unique = {}
    for slot_start, slot_end in slots:
        unique.setdefault(slot_start.astimezone(tz), slot_end.astimezone(tz))
    return sorted(unique.items())[: conf.max_occurrences()]


def regeneration_rows(occurrences, now):
    """``plan_regeneration``'s rows for occurrences annotated ``with_counts()``: moved,
    cancelled, registered and past ones are pinned."""
    return [
        (
            occ.pk,
            occ.key,
            occ.end,
            occ.is_moved
            or occ.status != OccurrenceStatus.SCHEDULED
            or occ.confirmed_count + occ.waitlist_count > 0
            or occ.end < now,
        )
        for occ in occurrences
    ]


@transaction.atomic
def regenerate_occurrences(event, *, now=None):
    """Bring the stored occurrences in line with the page.

    Moved, cancelled, registered and past occurrences are kept as they are;
    the others follow the rule. The page's capacity applies to every
    occurrence still to come, and a raised capacity promotes the waiting list.
    """
    now = now or timezone.now()
    existing = list(event.occurrences.with_counts().order_by("start", "pk"))
    plan = plan_regeneration(regeneration_rows(existing, now), wanted_slots(event, now=now))
    Occurrence.objects.filter(pk__in=plan.delete).delete()
    for pk, _key, end in plan.update:
        Occurrence.objects.filter(pk=pk).update(end=end, all_day=event.all_day)
    Occurrence.objects.bulk_create(
        [
            Occurrence(event=event, start=start, end=end, all_day=event.all_day, capacity=event.capacity)
            for start, end in plan.create
        ]
    )
    future = Occurrence.objects.filter(event=event, end__gte=now)
    previous_capacity = dict(future.values_list("pk", "capacity"))
    future.update(capacity=event.capacity)
    for pk, old in previous_capacity.items():
        if old is not None and (event.capacity is None or event.capacity > old):
            _promote_waitlist(
                Occurrence.objects.select_for_update(of=("self",)).select_related("event").get(pk=pk)
            )
    content_changed()  # the writes above (update, bulk_create) send no signal
    return plan


def _fingerprints(event):
    practical = "|".join(
        str(value)
        for value in (
            event.title,
            event.status,
            event.attendance_mode,
            event.venue_id,
            event.street_address,
            event.commune_id,
            event.online_url,
            event.start.isoformat(),
            event.end.isoformat(),
            event.all_day,
        )
    )
    content = "|".join([practical, event.summary, str(event.body), event.price, event.accessibility])
    return (
        hashlib.sha256(practical.encode()).hexdigest()[:16],
        hashlib.sha256(content.encode()).hexdigest()[:16],
    )


# An event's room is its confirmed participants' (``_join_room`` /
# ``_leave_room``), and staff read and moderate it.
EVENT_ROOM_VISIBILITY = Room.Visibility.MEMBERS_AND_STAFF


def ensure_event_room(event):
    """The event's discussion room, created with the event (registrants become its members)."""
    from network.discussion.services import create_room

    if event.room_id:
        return event.room
    room = create_room(
        kind=Room.Kind.EVENT,
        visibility=EVENT_ROOM_VISIBILITY,
        title=event.title,
        by=None,
        description=event.summary[:300],
    )
    EventPage.objects.filter(pk=event.pk).update(room=room)
    event.room = room
    return room


@transaction.atomic
def publish_event(event, *, now=None):
    """After a publish: room, occurrences, SEQUENCE, and notices to registrants of a practical change."""
    event = EventPage.objects.select_related("room").get(pk=event.pk)
    ensure_event_room(event)
    regenerate_occurrences(event, now=now)
    practical, content = _fingerprints(event)
    previous = event.notice_fingerprint.split(":") if event.notice_fingerprint else []
    if previous and previous[1] != content:
        EventPage.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
    EventPage.objects.filter(pk=event.pk).update(notice_fingerprint=f"{practical}:{content}")
    if previous and previous[0] != practical:
        kind = "cancelled" if event.status == EventStatus.CANCELLED else "changed"
        ids = Registration.objects.active().filter(
            occurrence__event=event, occurrence__end__gte=now or timezone.now()
        )
        _email_after_commit(list(ids.values_list("pk", flat=True)), kind)
    return event


# -- private events -----------------------------------------------------------
#
# An event that only its own people see (a mentoring visit): a draft page that is
# never published (Wagtail serves live pages only; ``EventPage.route`` refuses it
# anyway), ``is_private`` so that every listing, feed, sitemap and search leaves it
# out, and one occurrence generated here instead of on publish. The calling app
# authorizes ``by`` first: these services only keep the event consistent.


def _check_private_dates(start, end, now=None):
    if start is None or end is None or end < start:
        raise InvalidOccurrence(_("La fin doit suivre le début."))
    if start <= (now or timezone.now()):
        raise InvalidOccurrence(_("Choisissez une date à venir."))


@transaction.atomic
def create_private_event(parent, *, title, kind, start, end, by, summary="", now=None):
    """A private draft event under ``parent`` with one occurrence from ``start`` to ``end``."""
    _check_private_dates(start, end, now)
    event = EventPage(
        title=title[:255],
        kind=kind,
        summary=(summary or "")[:300],
        start=start,
        end=end,
        is_private=True,
        registration_enabled=False,
        live=False,
        owner=by if by is not None and by.is_authenticated else None,
    )
    parent.add_child(instance=event)
    event.save_revision(user=by if by is not None and by.is_authenticated else None)
    regenerate_occurrences(event, now=now)
    return event


@transaction.atomic
def reschedule_private_event(event, *, start, end, by, summary=None, now=None):
    """Move a private event (and its one occurrence): same page, same UID, SEQUENCE + 1."""
    event = EventPage.objects.select_for_update().get(pk=event.pk)
    if not event.is_private:
        raise NotAllowed(_("Seul un événement privé se déplace ainsi."))
    _check_private_dates(start, end, now)
    event.start, event.end = start, end
    if summary is not None:
        event.summary = summary[:300]
    event.save(update_fields=["start", "end", "summary"])
    event.save_revision(user=by if by is not None and by.is_authenticated else None)
    occurrence = event.occurrences.select_for_update(of=("self",)).order_by("start", "pk").first()
    if occurrence is None:
        regenerate_occurrences(event, now=now)
        return event
    # The page's dates follow the move, so the occurrence's key is its new start.
    occurrence.start, occurrence.end, occurrence.original_start = start, end, None
    occurrence.status = OccurrenceStatus.SCHEDULED
    occurrence.sequence += 1
    occurrence.save(update_fields=["start", "end", "original_start", "status", "sequence", "updated_at"])
    event.occurrences.exclude(pk=occurrence.pk).filter(end__gte=now or timezone.now()).delete()
    return event


@transaction.atomic
def cancel_private_event(event, *, by, now=None):
    """Cancel the dates of a private event still to come (SEQUENCE + 1 each); past ones stay."""
    event = EventPage.objects.select_for_update().get(pk=event.pk)
    if not event.is_private:
        raise NotAllowed(_("Seul un événement privé s'annule ainsi."))
    cancelled = []
    upcoming = event.occurrences.select_for_update(of=("self",)).filter(end__gte=now or timezone.now())
    for occurrence in upcoming.exclude(status=OccurrenceStatus.CANCELLED):
        occurrence.status = OccurrenceStatus.CANCELLED
        occurrence.sequence += 1
        occurrence.save(update_fields=["status", "sequence", "updated_at"])
        cancelled.append(occurrence)
    return cancelled


# -- registration -------------------------------------------------------------
#
# Seats: a party (a member or a visitor, plus the guests they bring) takes
# ``1 + guests`` seats. A visitor's seat is held ``conf.hold_minutes()`` for
# them to follow the confirmation link; an unconfirmed registration is
# cancelled when its hold expires, under the occurrence's lock, before any
# seat is counted. The waiting list is served strictly in order of arrival: a
# party is promoted only when it fits, and nobody overtakes it (neither a
# smaller party behind it nor a newcomer while someone is waiting), so a large
# party is never starved by small ones.


def _locked_occurrence(occurrence):
    try:
        return (
            Occurrence.objects.select_for_update(of=("self",))
            .select_related("event", "event__room")
            .get(pk=occurrence.pk)
        )
    except Occurrence.DoesNotExist:
        raise InvalidOccurrence(_("Cette date n'existe plus.")) from None


def _release_expired_holds(occurrence, now=None):
    """Cancel the unconfirmed registrations whose hold is over (caller holds the lock)."""
    now = now or timezone.now()
    expired = list(occurrence.registrations.hold_expired(now).values_list("pk", flat=True))
    if expired:
        Registration.objects.filter(pk__in=expired).update(
            status=RegistrationStatus.CANCELLED, cancelled_at=now
        )
        content_changed()  # update() sends no signal
    return expired


def _promote_waitlist(occurrence):
    """Give free seats to the waiting list in order of arrival (caller holds the lock).

    The first party in line is promoted when it fits; when it does not, the
    ones behind it wait too."""
    promoted = []
    taken = occurrence.registrations.confirmed().seat_count()
    for first in occurrence.registrations.waitlisted().select_related("user"):
        if occurrence.capacity is not None and taken + first.seats > occurrence.capacity:
            break
        first.status = RegistrationStatus.CONFIRMED
        first.promoted_at = timezone.now()
        first.save(update_fields=["status", "promoted_at"])
        if first.user_id:
            _join_room(occurrence.event, first.user)
        promoted.append(first.pk)
        taken += first.seats
    _email_after_commit(promoted, "promoted")
    return promoted


def _join_room(event, user):
    from network.discussion.services import add_room_member

    add_room_member(ensure_event_room(event), user)


def revoke_event_rooms(users):
    """An event's room is for its confirmed participants, and readable by staff. A
    user who is no longer staff (or no longer active) keeps only the rooms of the
    events they are registered for: the row their reading as staff made goes.
    Called on ``members.signals.roles_changed``."""
    from network.discussion.models import RoomMembership
    from network.discussion.services import remove_room_member
    from network.permissions import is_staff_member

    for user in users:
        if is_staff_member(user):
            continue
        registered = (
            Registration.objects.confirmed()
            .filter(user=user, occurrence__event__room__isnull=False)  # NOT IN with a NULL matches nothing
            .values("occurrence__event__room_id")
        )
        stale = RoomMembership.objects.filter(user=user, room__kind=Room.Kind.EVENT).exclude(
            room_id__in=registered
        )
        for membership in stale.select_related("room"):
            remove_room_member(membership.room, user)


def _leave_room(event, user):
    from network.discussion.services import remove_room_member

    if event.room_id is None:
        return
    still_in = Registration.objects.confirmed().filter(occurrence__event=event, user=user).exists()
    if not still_in:
        remove_room_member(event.room, user)


def _open_occurrence(occurrence, guests):
    """The locked occurrence, checked open to registrations for a party with ``guests``."""
    occurrence = _locked_occurrence(occurrence)
    event = occurrence.event
    if not event.live:
        raise InvalidOccurrence(_("Cet événement n'est pas publié."))
    if not occurrence.accepts_registrations:
        raise RegistrationClosed(_("Les inscriptions à cette date sont closes."))
    if not isinstance(guests, int) or isinstance(guests, bool) or not 0 <= guests <= event.max_guests:
        raise InvalidRegistration(
            _("Vous pouvez venir avec %(count)s accompagnant·es au plus.") % {"count": event.max_guests}
        )
    if occurrence.capacity is not None and 1 + guests > occurrence.capacity:
        raise EventFull(
            _("Cette date compte %(count)s places en tout : venez à moins nombreux.")
            % {"count": occurrence.capacity}
        )
    _release_expired_holds(occurrence)
    return occurrence


def _status_for(occurrence, seats):
    """Confirmed when the party fits and nobody is waiting; else the waiting list."""
    if occurrence.event.status == EventStatus.FULL or occurrence.registrations.waitlisted().exists():
        return RegistrationStatus.WAITLISTED
    taken = occurrence.registrations.confirmed().seat_count()
    if occurrence.capacity is not None and taken + seats > occurrence.capacity:
        return RegistrationStatus.WAITLISTED
    return RegistrationStatus.CONFIRMED


def _save_answers(registration, event, answers):
    """Store ``answers`` ({question: text}) for the event's own questions."""
    from events.models import RegistrationAnswer
    from events.models.questions import ANSWER_MAX_LENGTH

    rows = []
    for question, value in (answers or {}).items():
        if question.page_id != event.pk:
            raise InvalidRegistration(_("Cette question n'est pas posée pour cet événement."))
        text = " ".join(str(value).split())[:ANSWER_MAX_LENGTH]
        rows.append(
            RegistrationAnswer(
                registration=registration, question=question, question_label=question.label, value=text
            )
        )
    RegistrationAnswer.objects.bulk_create(rows)


@transaction.atomic
def register_for_event(occurrence, *, by, guests=0, answers=None):
    """Register ``by`` (and ``guests`` more people) for ``occurrence``: seats while
    the party fits, else the waiting list. ``answers``: {question: text}."""
    if not by.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour vous inscrire."))
    if not can_register(by):
        raise EmailNotVerified(_("Confirmez d'abord votre adresse e-mail pour vous inscrire."))
    occurrence = _open_occurrence(occurrence, guests)
    event = occurrence.event
    if occurrence.registrations.active().filter(user=by).exists():
        raise AlreadyRegistered(_("Vous êtes déjà inscrit·e à cette date."))
    status = _status_for(occurrence, 1 + guests)
    registration = Registration.objects.create(occurrence=occurrence, user=by, guests=guests, status=status)
    _save_answers(registration, event, answers)
    if status == RegistrationStatus.CONFIRMED:
        _join_room(event, by)
    _email_after_commit(
        [registration.pk], "confirmed" if status == RegistrationStatus.CONFIRMED else "waitlisted"
    )
    return registration


@transaction.atomic
def register_visitor(occurrence, *, name, email, guests=0, answers=None, language="", now=None):
    """A visitor without an account registers with a name and an e-mail address.

    The seat (or the place in line) is decided now, as for a member, and held
    ``conf.hold_minutes()`` until the visitor follows the link sent by e-mail.
    The caller learns nothing about the address: whether it belongs to an
    account, or is already registered (then that registration's e-mail is sent
    again, and ``None`` returned), the visitor is told the same thing.
    """
    now = now or timezone.now()
    email = email.strip().lower()
    name = " ".join(name.split())[:150]
    if not name or not email:
        raise InvalidRegistration(_("Indiquez votre nom et votre adresse e-mail."))
    occurrence = _open_occurrence(occurrence, guests)
    event = occurrence.event
    if not event.open_to_visitors:
        raise NotAllowed(_("Connectez-vous pour vous inscrire."))
    existing = occurrence.registrations.active().filter(user__isnull=True, guest_email=email).first()
    if existing is not None:
        kind = "confirmed" if existing.is_confirmed else "waitlisted"
        _email_after_commit([existing.pk], "pending" if existing.is_unconfirmed else kind)
        return None
    status = _status_for(occurrence, 1 + guests)
    registration = Registration.objects.create(
        occurrence=occurrence,
        guest_name=name,
        guest_email=email,
        language=language[:10],
        guests=guests,
        status=status,
        hold_expires_at=now + timedelta(minutes=conf.hold_minutes()),
    )
    _save_answers(registration, event, answers)
    _email_after_commit([registration.pk], "pending")
    return registration


def _cancel(occurrence, registration):
    """Cancel ``registration`` of the locked ``occurrence``; its seats go to the waiting list."""
    if occurrence.has_started:
        raise RegistrationClosed(_("Cette date a commencé : la désinscription n'est plus possible."))
    was_confirmed = registration.is_confirmed
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        if registration.user_id:
            _leave_room(occurrence.event, registration.user)
        if occurrence.effective_status == OccurrenceStatus.SCHEDULED:
            _promote_waitlist(occurrence)
    return registration


@transaction.atomic
def cancel_registration(occurrence, *, by):
    """``by`` gives up their seat (or their place in the waiting list); the first waiting party gets it."""
    if not by.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour gérer vos inscriptions."))
    occurrence = _locked_occurrence(occurrence)
    registration = occurrence.registrations.active().filter(user=by).first()
    if registration is None:
        raise NotRegistered(_("Vous n'êtes pas inscrit·e à cette date."))
    return _cancel(occurrence, registration)


# Links in e-mails: the registration's id and its HMAC (no account, no password
# needed). Hex and a dash only: Wagtail's page URLs take nothing else.
LINK_SALTS = {"confirm": "events.registration.confirm", "cancel": "events.registration.cancel"}


def registration_token(registration, action):
    return f"{registration.pk}-{salted_hmac(LINK_SALTS[action], str(registration.pk)).hexdigest()}"


def registration_from_token(token, action, event):
    """The registration a link names, for ``event``; ``InvalidLink`` for any bad link."""
    raw_pk, _sep, digest = token.partition("-")
    pk = parse_id(raw_pk)
    expected = salted_hmac(LINK_SALTS[action], str(pk)).hexdigest() if pk else ""
    registration = None
    if pk and constant_time_compare(digest, expected):
        registration = (
            Registration.objects.select_related("occurrence", "occurrence__event")
            .filter(pk=pk, occurrence__event=event, erased_at__isnull=True)
            .first()
        )
    if registration is None:
        raise InvalidLink(_("Ce lien n'est pas valable."))
    return registration


@transaction.atomic
def confirm_visitor_registration(registration, *, now=None):
    """The visitor followed the confirmation link: the held seat (or place in line) is theirs."""
    now = now or timezone.now()
    occurrence = _locked_occurrence(registration.occurrence)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise HoldExpired(_("Cette inscription a expiré ou a été annulée : inscrivez-vous à nouveau."))
    if not registration.is_unconfirmed:
        return registration
    if registration.hold_expires_at < now:
        _release_expired_holds(occurrence, now)
        if occurrence.effective_status == OccurrenceStatus.SCHEDULED:
            _promote_waitlist(occurrence)
        raise HoldExpired(_("Le délai de confirmation est passé : inscrivez-vous à nouveau."))
    registration.hold_expires_at = None
    registration.save(update_fields=["hold_expires_at"])
    _email_after_commit([registration.pk], "confirmed" if registration.is_confirmed else "waitlisted")
    return registration


@transaction.atomic
def cancel_registration_by_link(registration):
    """The cancel link of an e-mail: no login needed, the signed link is the proof."""
    occurrence = _locked_occurrence(registration.occurrence)
    registration = Registration.objects.select_related("user").get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    return _cancel(occurrence, registration)


def release_expired_holds(*, now=None):
    """Cancel every unconfirmed registration whose hold is over and promote the waiting lists.

    Run every few minutes (``manage.py release_registration_holds``);
    registration and confirmation release a date's expired holds themselves."""
    now = now or timezone.now()
    occurrence_ids = set(Registration.objects.hold_expired(now).values_list("occurrence_id", flat=True))
    released = []
    for pk in sorted(occurrence_ids):
        with transaction.atomic():
            occurrence = _locked_occurrence(Occurrence(pk=pk))
            released += _release_expired_holds(occurrence, now)
            if occurrence.effective_status == OccurrenceStatus.SCHEDULED and not occurrence.is_past:
                _promote_waitlist(occurrence)
    return released


def erase_visitor_data(*, now=None):
    """Erase the name, e-mail and answers of visitors' registrations ``conf.guest_data_days()``
    after their date ended, as the registration form says. Returns the number erased."""
    from events.models import RegistrationAnswer

    now = now or timezone.now()
    due = Registration.objects.filter(
        user__isnull=True,
        erased_at__isnull=True,
        occurrence__end__lt=now - timedelta(days=conf.guest_data_days()),
    )
    with transaction.atomic():
        ids = list(due.select_for_update().values_list("pk", flat=True))
        RegistrationAnswer.objects.filter(registration_id__in=ids).delete()
        Registration.objects.filter(pk__in=ids).update(
            guest_name="", guest_email="", language="", hold_expires_at=None, erased_at=now
        )
    return len(ids)


def waitlist_position(registration):
    """1 for the first in line; ``None`` when not waiting."""
    if not registration.is_waitlisted:
        return None
    return (
        Registration.objects.waitlisted()
        .filter(occurrence_id=registration.occurrence_id, pk__lte=registration.pk)
        .count()
    )


# -- organizers ---------------------------------------------------------------


def _require_organizer(event, by):
    if by is None or not can_manage_event(by, event):
        raise NotAllowed(_("Seuls les organisateurs de cet événement peuvent faire cela."))


@transaction.atomic
def set_registration_open(occurrence, *, by, is_open):
    """The organizer closes (or reopens) registration for one date."""
    occurrence = _locked_occurrence(occurrence)
    _require_organizer(occurrence.event, by)
    occurrence.registration_open = bool(is_open)
    occurrence.save(update_fields=["registration_open", "updated_at"])
    return occurrence


@transaction.atomic
def cancel_occurrence(occurrence, *, by):
    """Cancel one date (the others stay); its registrants are told."""
    occurrence = _locked_occurrence(occurrence)
    _require_organizer(occurrence.event, by)
    if occurrence.status == OccurrenceStatus.CANCELLED:
        return occurrence
    occurrence.status = OccurrenceStatus.CANCELLED
    occurrence.sequence += 1
    occurrence.save(update_fields=["status", "sequence", "updated_at"])
    ids = list(occurrence.registrations.active().values_list("pk", flat=True))
    _email_after_commit(ids, "cancelled")
    return occurrence


@transaction.atomic
def move_occurrence(occurrence, *, by, start, end):
    """Move one date; regeneration recognises it by its original start."""
    occurrence = _locked_occurrence(occurrence)
    _require_organizer(occurrence.event, by)
    if end < start:
        raise InvalidOccurrence(_("La fin doit suivre le début."))
    if start <= timezone.now():
        raise InvalidOccurrence(_("Choisissez une date à venir."))
    if occurrence.original_start is None:
        occurrence.original_start = occurrence.start
    occurrence.start, occurrence.end = start, end
    occurrence.sequence += 1
    occurrence.save(update_fields=["start", "end", "original_start", "sequence", "updated_at"])
    ids = list(occurrence.registrations.active().values_list("pk", flat=True))
    _email_after_commit(ids, "changed")
    return occurrence


@transaction.atomic
def mark_attendance(registration, *, by, attended):
    """The organizer records who came (``None`` clears it)."""
    registration = Registration.objects.select_related("occurrence__event").get(pk=registration.pk)
    _require_organizer(registration.occurrence.event, by)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise NotRegistered(_("Cette personne n'a pas de place confirmée."))
    registration.attended = attended
    registration.save(update_fields=["attended"])
    return registration


# -- private feed -------------------------------------------------------------


@transaction.atomic
def regenerate_calendar_token(*, by):
    """A new secret address for ``by``'s private feed; the old one stops working."""
    if not by.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour gérer votre agenda."))
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(user=by, defaults={"token": token})
    return token


@transaction.atomic
def revoke_calendar_token(*, by):
    if not by.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour gérer votre agenda."))
    CalendarToken.objects.filter(user=by).delete()


# -- reminders ----------------------------------------------------------------


def send_due_reminders(*, now=None):
    """Queue the reminder of every confirmed registration whose date starts within the next day.

    Each registration is claimed by a conditional update before its email is
    queued, so two runs (or two workers) never send the same reminder twice.
    """
    now = now or timezone.now()
    due = (
        Registration.objects.confirmed()
        .filter(
            reminder_sent_at__isnull=True,
            hold_expires_at__isnull=True,  # a visitor's unconfirmed address gets no reminder
            occurrence__start__gt=now,
            occurrence__start__lte=now + timedelta(hours=conf.reminder_hours()),
            occurrence__status=OccurrenceStatus.SCHEDULED,
            occurrence__event__live=True,
        )
        .exclude(occurrence__event__status=EventStatus.CANCELLED)
        .values_list("pk", flat=True)
    )
    sent = []
    for pk in list(due):
        with transaction.atomic():
            if Registration.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                _email_after_commit([pk], "reminder")
                sent.append(pk)
    return sent
