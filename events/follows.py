"""Following a venue, a commune or a kind of event: the state changes and the reads.

What a member follows feeds two things: the weekly e-mail of the events
published since the last one (``send_follow_digests``, one e-mail per member
and week, claimed by a conditional update so two runs never send it twice,
none when nothing matches) and a personal iCalendar feed at a secret address
(``followed_occurrences``, served like the public feed by ``events.feeds``).

An event matches a venue when it is held there (its own events and the
network's meetups placed there, as ``OccurrenceQuerySet.at_venue``), a
commune when it takes place there (as the calendar's commune filter), a kind
when it is of that kind.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events import conf
from events.errors import NotAllowed, ServiceError
from events.models import EventPage, Follow, FollowSettings, Occurrence
from events.vocabulary import EventStatus, Kind, OccurrenceStatus
from network import unsubscribe
from network.permissions import has_verified_email
from network.site_url import absolute_url
from network.validation import parse_id

TARGETS = ("venue", "commune", "kind")
MAX_FOLLOWS = 100  # per member: bounds the feed's and the digest's queries
DIGEST_INTERVAL = timedelta(days=7)
DIGEST_SLACK = timedelta(hours=6)  # a weekly run a little early still sends
DIGEST_MAX_EVENTS = 50
UNSUBSCRIBE_SALT = "events.follow_digest.unsubscribe"


class InvalidFollow(ServiceError):
    code = "invalid_follow"


class TooManyFollows(ServiceError):
    code = "too_many_follows"


# -- targets ------------------------------------------------------------------


def target_from(data, *, published_only=True):
    """``{"venue": ...}``, ``{"commune": ...}`` or ``{"kind": ...}`` from posted
    ``target`` and ``value`` (a venue id, an INSEE code, a kind code); raises
    ``InvalidFollow``. ``published_only=False`` finds a venue gone offline too
    (to stop following it)."""
    from members.models import Commune, VenuePage

    target, value = data.get("target", ""), data.get("value", "")
    found = None
    if target == "venue" and parse_id(value):
        venues = VenuePage.objects.published() if published_only else VenuePage.objects.all()
        found = venues.filter(pk=parse_id(value)).first()
    elif target == "commune" and isinstance(value, str) and len(value) <= 5:
        found = Commune.objects.filter(insee_code=value).first()
    elif target == "kind" and value in Kind.values:
        found = value
    if found is None:
        raise InvalidFollow(_("On ne peut pas suivre cela."))
    return {target: found}


def _lookup(target):
    """The ``Follow`` fields of a target (``{"venue": v}`` ...), the other two empty."""
    (name, value), *rest = target.items()
    if rest or name not in TARGETS:
        raise InvalidFollow(_("On ne peut pas suivre cela."))
    fields = {"venue": None, "commune": None, "kind": ""}
    fields[name] = value
    return fields


def target_label(follow):
    if follow.venue_id:
        return follow.venue.title
    if follow.commune_id:
        return follow.commune.name
    return str(Kind(follow.kind).label)


# -- state changes ---------------------------------------------------------------


def start_following(*, by, **target):
    """``by`` follows the venue, commune or kind given (idempotent); returns the ``Follow``."""
    if not has_verified_email(by):
        raise NotAllowed(_("Confirmez votre adresse e-mail pour suivre un lieu, une commune ou un type."))
    fields = _lookup(target)
    existing = Follow.objects.filter(user=by, **fields).first()
    if existing is not None:
        return existing
    if Follow.objects.filter(user=by).count() >= MAX_FOLLOWS:
        raise TooManyFollows(
            _("Vous suivez déjà %(count)s lieux, communes ou types.") % {"count": MAX_FOLLOWS}
        )
    try:
        with transaction.atomic():
            return Follow.objects.create(user=by, **fields)
    except IntegrityError:  # the same follow posted twice at once
        return Follow.objects.get(user=by, **fields)


@transaction.atomic
def stop_following(*, by, **target):
    """``by`` no longer follows the target (idempotent); returns whether a follow was removed."""
    if not by.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour gérer vos suivis."))
    deleted, _rows = Follow.objects.filter(user=by, **_lookup(target)).delete()
    return bool(deleted)


@transaction.atomic
def set_follow_digest(*, by, enabled):
    """Opt in to (or out of) the weekly e-mail of what ``by`` follows."""
    if not by.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour gérer vos suivis."))
    row, _created = FollowSettings.objects.get_or_create(user=by)
    FollowSettings.objects.filter(pk=row.pk).update(digest_enabled=bool(enabled))


def unsubscribe_token(user):
    return unsubscribe.unsubscribe_token(user, salt=UNSUBSCRIBE_SALT)


def user_id_from_token(token):
    return unsubscribe.user_id_from_token(token, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user):
    return absolute_url(reverse("events_follow_unsubscribe", args=[unsubscribe_token(user)]))


def unsubscribe_follow_digest(token):
    """The one-click unsubscribe of a digest link; returns the user, or ``None`` for a bad token."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id_from_token(token), is_active=True).first()
    if user is not None:
        set_follow_digest(by=user, enabled=False)
    return user


@transaction.atomic
def regenerate_follow_feed_token(*, by):
    """A new secret address for ``by``'s feed of what they follow; the old one stops working."""
    if not by.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour gérer vos suivis."))
    token = secrets.token_urlsafe(32)
    FollowSettings.objects.update_or_create(user=by, defaults={"feed_token": token})
    return token


@transaction.atomic
def revoke_follow_feed_token(*, by):
    if not by.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour gérer vos suivis."))
    FollowSettings.objects.filter(user=by).update(feed_token=None)


# -- reads -------------------------------------------------------------------------


def follows_of(user):
    """What ``user`` follows: venues (by title), then communes (by name), then kinds (two queries at most)."""
    if not user.is_authenticated:
        return []
    follows = list(Follow.objects.filter(user=user).select_related("venue", "commune"))
    rank = {"venue": 0, "commune": 1, "kind": 2}
    return sorted(follows, key=lambda f: (rank[_target_name(f)], target_label(f).casefold()))


def _target_name(follow):
    return "venue" if follow.venue_id else "commune" if follow.commune_id else "kind"


def is_following(user, **target):
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, **_lookup(target)).exists()


def _event_match(follows, prefix=""):
    """A ``Q`` on events (``prefix="event__"`` from occurrences) matching any of ``follows``."""
    venues = [f.venue for f in follows if f.venue_id]
    communes = [f.commune_id for f in follows if f.commune_id]
    kinds = [f.kind for f in follows if f.kind]
    match = Q(pk__in=[])
    for venue in venues:
        match |= Q(**{f"{prefix}venue": venue.pk}) | Q(**{f"{prefix}path__startswith": venue.path})
    if communes:
        match |= Q(**{f"{prefix}venue__commune__in": communes})
        match |= Q(**{f"{prefix}venue__isnull": True, f"{prefix}commune__in": communes})
    if kinds:
        match |= Q(**{f"{prefix}kind__in": kinds})
    return match


def _matches(follow, event):
    """Whether ``event`` (venue and commune joined) matches ``follow``, as ``_event_match`` says."""
    if follow.venue_id:
        return event.venue_id == follow.venue_id or event.path.startswith(follow.venue.path)
    if follow.commune_id:
        commune_id = event.venue.commune_id if event.venue_id else event.commune_id
        return commune_id == follow.commune_id
    return event.kind == follow.kind


def followed_occurrences(user_id):
    """The personal feed: dates of published events matching what the member ``user_id``
    follows, from ``EVENTS_FEED_PAST_DAYS`` ago on (cancelled ones kept, as in the public feed)."""
    follows = list(Follow.objects.filter(user_id=user_id).select_related("venue"))
    if not follows:
        return Occurrence.objects.none()
    since = timezone.now() - timedelta(days=conf.feed_past_days())
    return (
        Occurrence.objects.published()
        .filter(_event_match(follows, prefix="event__"), end__gte=since)
        .for_listing()
        .order_by("start", "pk")[: conf.feed_max_items()]
    )


def feed_owner(token):
    """The id of the member whose feed ``token`` opens, or ``None``."""
    return FollowSettings.objects.filter(feed_token=token).values_list("user_id", flat=True).first()


@dataclass
class DigestSection:
    follow: Follow
    label: str
    events: list = field(default_factory=list)


def digest_sections(user, *, since, until):
    """``[DigestSection]``: the events first published in ``(since, until]`` that match what
    ``user`` follows and still have a date to come, each under the first thing followed it
    matches (a venue, then a commune, then a kind). Each event carries ``next_start``;
    its ``full_url`` is on ``SITE_URL`` (``network.site_url``). A fixed number of
    queries, whatever the number of follows and events."""
    follows = follows_of(user)
    if not follows:
        return []
    now = timezone.now()
    upcoming = Q(occurrences__end__gte=now) & ~Q(occurrences__status=OccurrenceStatus.CANCELLED)
    events = (
        EventPage.objects.published()
        .filter(_event_match(follows), first_published_at__gt=since, first_published_at__lte=until)
        .exclude(status=EventStatus.CANCELLED)
        .annotate(next_start=Min("occurrences__start", filter=upcoming))
        .filter(next_start__isnull=False)
        .for_listing()
        .order_by("next_start", "pk")[:DIGEST_MAX_EVENTS]
    )
    sections = [DigestSection(follow, target_label(follow)) for follow in follows]
    for event in events:
        section = next((s for s in sections if _matches(s.follow, event)), None)
        if section is not None:
            section.events.append(event)
    return [section for section in sections if section.events]


def send_follow_digests(*, now=None):
    """Queue the weekly digest of every member who follows something, has not opted out,
    was not sent one in the last week, and has new events to read about (first
    published since their last digest, or in the last week for a first one).

    Each member is claimed by moving ``digest_last_sent`` under a conditional
    update before the e-mail is queued: two runs never send the same digest
    twice. The e-mail covers ``(since, now]``, so an event published while it
    is being built goes in the next one. Returns the ids of the members queued."""
    from django.contrib.auth import get_user_model

    from events.tasks import send_follow_digest_email

    now = now or timezone.now()
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, event_follows__isnull=False)
        .exclude(email="")
        .exclude(follow_settings__digest_enabled=False)
        .exclude(follow_settings__digest_last_sent__gt=now - DIGEST_INTERVAL + DIGEST_SLACK)
        .distinct()
        .order_by("pk")
    )
    queued = []
    for user in candidates:
        row, _created = FollowSettings.objects.get_or_create(user=user)
        since = row.digest_last_sent or now - DIGEST_INTERVAL
        if not digest_sections(user, since=since, until=now):
            continue  # nothing new: no e-mail, and the next one still starts from ``since``
        with transaction.atomic():
            claimed = (
                FollowSettings.objects.filter(pk=row.pk, digest_enabled=True)
                .filter(Q(digest_last_sent__isnull=True) | Q(digest_last_sent=row.digest_last_sent))
                .update(digest_last_sent=now)
            )
            if claimed:
                transaction.on_commit(
                    lambda pk=user.pk, since=since: send_follow_digest_email.enqueue(
                        pk, since.isoformat(), now.isoformat()
                    ),
                    robust=True,
                )
                queued.append(user.pk)
    return queued
