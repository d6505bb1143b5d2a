"""State changes of the discussion space (the one rule: views, forms and the
consumer call these; nothing else writes).

Every event of a room (post, edit, delete, hide) locks the room row, takes the
next ``Room.last_seq`` and stores it on the message in the same transaction;
the broadcast leaves only after the commit.
"""

import math
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower, Replace
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from network.discussion import broadcast, conf
from network.discussion.errors import (
    EmptyMessage,
    MessageGone,
    MessageNotFound,
    MessageTooLong,
    NotAllowed,
    RateLimited,
    UnknownReaction,
)
from network.discussion.models import Attachment, Mention, Message, Reaction, Room, RoomMembership
from network.discussion.payloads import message_payload
from network.discussion.permissions import (
    can_manage_topic_rooms,
    can_read_room,
    check_can_post,
    membership_of,
)
from network.discussion.rendering import mention_handle, mentioned_handles, render_body

RESERVED_SLUGS = {"nouveau", "messages", "tout-lu", "resume", "ecrire", "membres", "bloques", "recherche"}
MAX_MENTIONS = 20


# Rooms and members ---------------------------------------------------------


def _unique_slug(title, kind):
    base = slugify(title)[:60] or kind
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Room.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_visibility(kind, visibility):
    """The visibility a room of ``kind`` is created with: topic rooms are public;
    any other room has the one its owning app gives."""
    if kind == Room.Kind.TOPIC and visibility in (None, Room.Visibility.PUBLIC):
        return Room.Visibility.PUBLIC
    if kind == Room.Kind.TOPIC:
        raise ValueError("topic rooms are public")
    if visibility not in Room.Visibility.values:
        raise ValueError(f"a room of kind {kind!r} needs its visibility, not {visibility!r}")
    return visibility


@transaction.atomic
def create_rooms(*, kind, visibility, titles, descriptions=None):
    """Create one room of ``kind`` and ``visibility`` per title, in one insert (an
    import's venues, a calendar's events): what ``create_room`` does for rooms
    an app owns."""
    if kind not in Room.Kind.values or kind in (Room.Kind.TOPIC, Room.Kind.DIRECT):
        raise ValueError(f"rooms of kind {kind!r} are created one at a time")
    visibility = _check_visibility(kind, visibility)
    taken = set(RESERVED_SLUGS) | set(Room.objects.values_list("slug", flat=True))
    rooms = []
    descriptions = descriptions or [""] * len(titles)
    for title, description in zip(titles, descriptions, strict=True):
        title = (title or "").strip() or kind
        base = slugify(title)[:60] or kind
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        rooms.append(
            Room(
                slug=slug,
                title=title[:120],
                description=(description or "").strip()[:300],
                kind=kind,
                visibility=visibility,
                created_by=None,
            )
        )
    return Room.objects.bulk_create(rooms)


@transaction.atomic
def create_room(*, kind, title, by, visibility=None, description=""):
    """Create a room. Topic rooms are created by staff, public. Any other room
    is created by the service of the app that owns it (``by`` may then be
    ``None``), with the ``visibility`` (``Room.Visibility``) its rules want:
    that app keeps a foreign key to the room and adds its members."""
    if kind not in Room.Kind.values:
        raise ValueError(f"unknown room kind {kind!r}")
    if kind == Room.Kind.DIRECT:
        raise ValueError("direct conversations start with start_direct_conversation")
    visibility = _check_visibility(kind, visibility)
    if kind == Room.Kind.TOPIC and by is not None and not can_manage_topic_rooms(by):
        raise NotAllowed(_("Seule l'équipe du réseau crée des salons thématiques."))
    title = (title or "").strip()
    if not title:
        raise EmptyMessage(_("Donnez un titre au salon."))
    return Room.objects.create(
        slug=_unique_slug(title, kind),
        title=title[:120],
        description=(description or "").strip()[:300],
        kind=kind,
        visibility=visibility,
        created_by=by,
    )


@transaction.atomic
def add_room_member(room, user, *, role=RoomMembership.Role.MEMBER):
    """Make ``user`` a member of ``room`` (or change their role); idempotent."""
    membership, created = RoomMembership.objects.get_or_create(room=room, user=user, defaults={"role": role})
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_room_member(room, user):
    """Remove ``user`` from ``room``; their open sockets on it are closed after the commit."""
    RoomMembership.objects.filter(room=room, user=user).delete()
    broadcast.broadcast_member_removed(room, user.pk)


def recheck_access(user_ids):
    """The rights of these users changed (groups, deactivation): after the
    commit, each of their open sockets checks its room again and closes if
    it lost access."""
    for user_id in user_ids:
        broadcast.broadcast_recheck(user_id)


@transaction.atomic
def invite_to_room(room, user, *, by):
    """A member of a members-only room (not a direct conversation, whose members
    are fixed) invites another member into it."""
    if room.visibility != Room.Visibility.MEMBERS or room.is_direct or membership_of(by, room) is None:
        raise NotAllowed(_("Vous ne pouvez pas inviter dans ce salon."))
    return add_room_member(room, user)


@transaction.atomic
def archive_room(room, *, by, archived=True, reason=""):
    """Staff archive (or reopen) a room: it stays readable, nobody may post in it."""
    from network.discussion.models import ModerationAction

    if not can_manage_topic_rooms(by):
        raise NotAllowed(_("Seule l'équipe du réseau archive les salons."))
    room = Room.objects.select_for_update().get(pk=room.pk)
    if room.is_archived != archived:
        room.is_archived = archived
        room.save(update_fields=["is_archived"])
        action = ModerationAction.Action.ARCHIVE if archived else ModerationAction.Action.UNARCHIVE
        ModerationAction.objects.create(room=room, actor=by, action=action, reason=reason)
    return room


@transaction.atomic
def mark_read(room, *, by, message_id):
    """Record that ``by`` has read ``room`` up to ``message_id`` (never moves backwards)."""
    if not can_read_room(by, room):
        raise NotAllowed(_("Vous ne pouvez pas lire ce salon."))
    membership, _created = RoomMembership.objects.get_or_create(room=room, user=by)
    message_id = int(message_id or 0)
    if message_id > membership.last_read_id:
        RoomMembership.objects.filter(pk=membership.pk, last_read_id__lt=message_id).update(
            last_read_id=message_id
        )
    return membership


@transaction.atomic
def mark_all_read(*, by, up_to):
    """Record that ``by`` has read every room they may read up to message ``up_to``
    (the newest one their inbox showed: a message that arrived since stays
    unread). Three queries whatever the number of rooms."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce, Greatest

    up_to = int(up_to or 0)
    rooms = Room.objects.visible_to(by)
    unjoined = rooms.exclude(memberships__user=by).values_list("pk", flat=True)
    RoomMembership.objects.bulk_create(
        [RoomMembership(room_id=pk, user=by) for pk in unjoined],
        ignore_conflicts=True,
    )
    newest = Message.objects.filter(room=OuterRef("room"), id__lte=up_to).order_by("-id").values("id")[:1]
    memberships = RoomMembership.objects.filter(user=by, room__in=rooms, last_read_id__lt=up_to)
    return memberships.update(last_read_id=Greatest("last_read_id", Coalesce(Subquery(newest), 0)))


@transaction.atomic
def set_mention_emails(room, *, by, enabled):
    """Opt in (or out of) an email when someone mentions ``by`` in ``room``."""
    if not can_read_room(by, room):
        raise NotAllowed(_("Vous ne pouvez pas lire ce salon."))
    membership, _created = RoomMembership.objects.get_or_create(room=room, user=by)
    RoomMembership.objects.filter(pk=membership.pk).update(email_mentions=bool(enabled))
    return membership


# Messages ------------------------------------------------------------------


def _clean_body(body, *, allow_empty=False):
    if not isinstance(body, str):
        raise EmptyMessage(_("Le message est vide."))
    body = body.strip()
    if not body and not allow_empty:
        raise EmptyMessage(_("Le message est vide."))
    if len(body) > conf.max_length():
        raise MessageTooLong(
            _("Le message dépasse %(max)s caractères.") % {"max": conf.max_length()},
        )
    return body


def check_rate_limit(user):
    """At most N posts or edits per window per member, counted in the shared cache."""
    limit, window = conf.rate_limit()
    key = f"discussion:rate:{user.pk}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count is None:  # Redis and its database fallback are both down: no count, no limit
        return
    if count > limit:
        retry_after = math.ceil(window - time.time() % window)
        raise RateLimited(_("Vous écrivez trop vite : patientez quelques secondes."), retry_after=retry_after)


def _next_seq(room, *, locked=False):
    """Take the room's next event number, inside the caller's transaction: lock
    the room row first, unless the caller fetched ``room`` with the lock."""
    if not locked:
        room = Room.objects.select_for_update().get(pk=room.pk)
    room.last_seq += 1
    room.save(update_fields=["last_seq"])
    return room


def _record_mentions(message, room):
    """Create the mentions written in ``message``; email the ones who opted in (after commit)."""
    from network.discussion.tasks import send_mention_email

    handles = mentioned_handles(message.body)[:MAX_MENTIONS]
    if not handles:
        return []
    candidates = (
        get_user_model()
        .objects.annotate(handle=Lower(Replace("display_name", Value(" "), Value(""))))
        .filter(handle__in=handles, is_active=True)
        .exclude(pk=message.author_id)
    )
    created = []
    for user in candidates:
        if mention_handle(user.display_name) not in handles or not can_read_room(user, room):
            continue
        mention, is_new = Mention.objects.get_or_create(message=message, user=user)
        if is_new:
            created.append(mention)
    wanted = set(
        RoomMembership.objects.filter(
            room=room, user__in=[m.user_id for m in created], email_mentions=True
        ).values_list("user_id", flat=True)
    )
    for mention in created:
        if mention.user_id in wanted:
            transaction.on_commit(lambda pk=mention.pk: send_mention_email.enqueue(pk), robust=True)
    return created


def _thread_root(room, parent):
    """The message a reply to ``parent`` is stored under (threads are one level
    deep: a reply to a reply joins its thread), read under the room lock."""
    if parent is None:
        return None
    root = Message.objects.filter(room=room, pk=parent.parent_id or parent.pk).first()
    if root is None:
        raise MessageNotFound(_("Ce message n'existe pas."))
    if not root.visible:
        raise MessageGone(_("Ce message a été supprimé."))
    return root


def post_message(room, *, by, body, client_id=None, parent=None, attachment_id=None):
    """Store a message and broadcast it after the commit. Returns ``(message, created)``.

    A ``client_id`` this author already used returns the original message
    (``created`` False) and stores nothing: retries after a dropped socket are
    harmless. With ``parent`` (a message of ``room``) the message is a reply,
    stored in that message's thread. With ``attachment_id`` (a file ``by``
    uploaded to ``room`` and not sent yet) the file goes with the message,
    whose text may then be empty.
    """
    from network.discussion.attachments import take_upload

    body = _clean_body(body, allow_empty=attachment_id is not None)
    if parent is not None and parent.room_id != room.pk:
        raise MessageNotFound(_("Ce message n'existe pas."))
    if client_id is not None:
        existing = Message.objects.filter(author=by, client_id=client_id).select_related("room").first()
        if existing is not None:
            if existing.room_id != room.pk:
                raise NotAllowed(_("Cet identifiant de message est déjà utilisé."), code="client_id_reused")
            return existing, False
    check_rate_limit(by)
    html = render_body(body)
    try:
        with transaction.atomic():
            room = check_can_post(by, room, lock=True)
            check_not_muted(by, room)
            attachment = take_upload(room, by=by, attachment_id=attachment_id) if attachment_id else None
            room = _next_seq(room, locked=True)
            message = Message.objects.create(
                room=room,
                author=by,
                body=body,
                html=html,
                client_id=client_id,
                seq=room.last_seq,
                parent=_thread_root(room, parent),
            )
            if attachment is not None:
                attachment.message = message
                attachment.save(update_fields=["message"])
            # The author has read their own message (the room lock serializes this).
            if not RoomMembership.objects.filter(room=room, user=by).update(last_read_id=message.pk):
                RoomMembership.objects.create(room=room, user=by, last_read_id=message.pk)
            _record_mentions(message, room)
            broadcast.broadcast_event(room, message_payload(message, room=room, attachment=attachment))
    except IntegrityError:
        # The same client_id raced in from another socket: answer with the winner.
        existing = Message.objects.filter(author=by, client_id=client_id).first()
        if client_id is None or existing is None:
            raise
        return existing, False
    return message, True


def access_message(user, room, message_id):
    """The message ``message_id`` of ``room`` (which ``user`` may read), or MessageNotFound."""
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        raise MessageNotFound(_("Ce message n'existe pas.")) from None
    message = Message.objects.filter(room=room, pk=message_id).select_related("author", "room").first()
    if message is None or not can_read_room(user, message.room):
        raise MessageNotFound(_("Ce message n'existe pas."))
    return message


@transaction.atomic
def edit_message(message, *, by, body):
    """The author edits their message; everyone sees the new version."""
    body = _clean_body(body)
    if message.author_id != by.pk:
        raise NotAllowed(_("Vous ne pouvez modifier que vos propres messages."))
    check_rate_limit(by)
    room = _next_seq(check_can_post(by, message.room, lock=True), locked=True)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not message.visible:
        raise MessageGone(_("Ce message a été supprimé."))
    message.body, message.html = body, render_body(body)
    message.edited, message.seq = timezone.now(), room.last_seq
    message.save(update_fields=["body", "html", "edited", "seq"])
    _record_mentions(message, room)
    broadcast.broadcast_event(room, message_payload(message, room=room))
    return message


@transaction.atomic
def delete_message(message, *, by):
    """The author deletes their message: its text is erased for everyone."""
    if message.author_id != by.pk:
        raise NotAllowed(_("Vous ne pouvez supprimer que vos propres messages."))
    if not can_read_room(by, message.room):
        raise MessageNotFound(_("Ce message n'existe pas."))
    room = _next_seq(message.room)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.deleted:
        return message
    message.body, message.html, message.deleted, message.seq = "", "", True, room.last_seq
    message.save(update_fields=["body", "html", "deleted", "seq"])
    # The file goes with the text (``post_delete`` removes it from storage after the commit).
    for attachment in Attachment.objects.filter(message=message):
        attachment.delete()
    broadcast.broadcast_event(room, message_payload(message, room=room))
    return message


# Reactions -------------------------------------------------------------------


def _reaction_summary(message):
    """``Message.reactions`` from its rows: emojis in their fixed order, users by first reaction."""
    by_emoji = {}
    for reaction in Reaction.objects.filter(message=message).select_related("user").order_by("id"):
        by_emoji.setdefault(reaction.emoji, []).append(
            {"id": reaction.user_id, "name": reaction.user.display_name}
        )
    return [{"emoji": emoji, "users": by_emoji[emoji]} for emoji in Reaction.EMOJIS if emoji in by_emoji]


def _set_reaction(message, *, by, emoji, present):
    if emoji not in Reaction.EMOJIS:
        raise UnknownReaction(_("Cette réaction n'est pas proposée."))
    check_rate_limit(by)
    with transaction.atomic():
        room = check_can_post(by, message.room, lock=True)
        message = Message.objects.select_for_update().select_related("author").get(pk=message.pk)
        if not message.visible:
            raise MessageGone(_("Ce message a été supprimé."))
        if present:
            _reaction, changed = Reaction.objects.get_or_create(message=message, user=by, emoji=emoji)
        else:
            changed = bool(Reaction.objects.filter(message=message, user=by, emoji=emoji).delete()[0])
        if not changed:
            return message, False  # already so: no event
        room = _next_seq(room, locked=True)
        message.reactions, message.seq = _reaction_summary(message), room.last_seq
        message.save(update_fields=["reactions", "seq"])
        broadcast.broadcast_event(room, message_payload(message, room=room))
    return message, True


def add_reaction(message, *, by, emoji):
    """``by`` adds ``emoji`` to ``message`` (idempotent); returns ``(message, changed)``.

    A change is an event of the room: the message takes the next seq and is
    broadcast and replayed with its new reactions."""
    return _set_reaction(message, by=by, emoji=emoji, present=True)


def remove_reaction(message, *, by, emoji):
    """``by`` takes ``emoji`` back from ``message`` (idempotent); returns ``(message, changed)``."""
    return _set_reaction(message, by=by, emoji=emoji, present=False)


# Daily digest ------------------------------------------------------------------

DIGEST_INTERVAL = timedelta(days=1)


@transaction.atomic
def set_digest_emails(*, by, enabled):
    """Opt in to (or out of) the daily digest e-mail."""
    from network.discussion.models import DigestSubscription

    subscription, _created = DigestSubscription.objects.get_or_create(user=by)
    DigestSubscription.objects.filter(pk=subscription.pk).update(enabled=bool(enabled))
    return subscription


def unsubscribe_digest(token):
    """The one-click unsubscribe of a digest link; returns the user, or ``None`` for a bad token."""
    from network.discussion.digest import user_id_from_token

    user = get_user_model().objects.filter(pk=user_id_from_token(token), is_active=True).first()
    if user is not None:
        set_digest_emails(by=user, enabled=False)
    return user


def send_digests(*, now=None):
    """Queue the digest of every member who has something waiting (an unread
    mention or direct message since their last digest, or in the last day for
    a first one) and
    has not opted out. The task checks again that each room is still readable.

    Each member is claimed by moving ``last_sent`` under a conditional update
    before the e-mail is queued: two runs never send the same digest twice.
    Returns the ids of the members whose digest was queued."""
    from network.discussion.digest import unread_mentions_queryset, waiting_direct_messages
    from network.discussion.models import DigestSubscription
    from network.discussion.tasks import send_digest_email

    now = now or timezone.now()
    day_ago = now - DIGEST_INTERVAL
    last_sent = Subquery(DigestSubscription.objects.filter(user=OuterRef("user")).values("last_sent")[:1])
    since = Coalesce(last_sent, Value(day_ago))
    recent = now - DIGEST_INTERVAL + timedelta(minutes=30)
    mentioned = (
        unread_mentions_queryset()
        .annotate(since=since)
        .filter(created__gt=F("since"))
        .exclude(user__discussion_digest__enabled=False)
        .exclude(user__discussion_digest__last_sent__gt=recent)
        .values_list("user_id", flat=True)
    )
    written_to = (
        waiting_direct_messages(since)
        .exclude(user__discussion_digest__enabled=False)
        .exclude(user__discussion_digest__last_sent__gt=recent)
        .values_list("user_id", flat=True)
    )
    candidates = sorted(set(mentioned) | set(written_to))
    queued = []
    for user_id in candidates:
        with transaction.atomic():
            subscription, _created = DigestSubscription.objects.get_or_create(user_id=user_id)
            since = subscription.last_sent or day_ago
            claimed = (
                DigestSubscription.objects.filter(pk=subscription.pk, enabled=True)
                .filter(Q(last_sent__isnull=True) | Q(last_sent=subscription.last_sent))
                .update(last_sent=now)
            )
            if claimed:
                transaction.on_commit(
                    lambda pk=user_id, since=since: send_digest_email.enqueue(pk, since.isoformat()),
                    robust=True,
                )
                queued.append(user_id)
    return queued


# Replay ----------------------------------------------------------------------


def replay_events(room, *, by, after_id, after_seq=None, membership=None):
    """The frames a reconnecting client missed, oldest event first, and the
    highest seq they cover.

    The client sends the last message id it saw (``after``) and, when it knows
    it, the last seq (``seq``). Replayed: every message with a greater id, and
    with ``seq`` also every older message edited, deleted or hidden since, each
    once in its latest state. Seqs are committed in order (room row lock), so
    a live event whose seq is at most the returned high-water mark is already
    reflected in the replay and the consumer drops it.

    One query per ``replay_batch`` events (authors joined in), plus the read
    check: the consumer passes the ``membership`` it checked at connect, so a
    replay of up to a batch costs one query whatever the history length.
    """
    if not can_read_room(by, room, membership):
        raise NotAllowed(_("Vous ne pouvez pas lire ce salon."))
    queryset = Message.objects.filter(room=room).changed_since(after_id, after_seq)
    size = conf.replay_batch()
    frames, cursor = [], 0
    while True:
        # One row more than a batch tells whether another query is needed.
        batch = list(queryset.filter(seq__gt=cursor)[: size + 1])
        more = len(batch) > size
        batch = batch[:size]
        frames.extend(message_payload(message, room=room) for message in batch)
        if batch:
            cursor = batch[-1].seq
        if not more:
            return frames, cursor


from network.discussion.attachments import (  # noqa: E402
    access_attachment,
    purge_unattached,
    upload_attachment,
)
from network.discussion.direct import (  # noqa: E402
    block_member,
    start_direct_conversation,
    unblock_member,
)
from network.discussion.moderation import (  # noqa: E402
    check_not_muted,
    dismiss_report,
    hide_message,
    mute_member,
    report_message,
)

__all__ = [
    "access_attachment",
    "access_message",
    "add_reaction",
    "add_room_member",
    "archive_room",
    "block_member",
    "create_room",
    "delete_message",
    "dismiss_report",
    "edit_message",
    "hide_message",
    "invite_to_room",
    "mark_all_read",
    "mark_read",
    "mute_member",
    "post_message",
    "purge_unattached",
    "recheck_access",
    "remove_reaction",
    "remove_room_member",
    "replay_events",
    "report_message",
    "send_digests",
    "set_digest_emails",
    "set_mention_emails",
    "start_direct_conversation",
    "unblock_member",
    "unsubscribe_digest",
    "upload_attachment",
]
