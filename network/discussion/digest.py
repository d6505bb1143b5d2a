"""The daily e-mail digest: what waits for a member across the rooms they read.

Each kind of item is a *source*: a function ``(user, since) -> [DigestItem]``
listed in ``SOURCES``: unread mentions, and unread messages of the member's
direct conversations (the e-mail lists items grouped by source label).
"""

from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network import unsubscribe
from network.site_url import absolute_url

UNSUBSCRIBE_SALT = "discussion.digest.unsubscribe"


@dataclass(frozen=True)
class DigestItem:
    author: str
    place: str  # the room (or conversation) title
    excerpt: str
    url: str
    created: object


@dataclass(frozen=True)
class Source:
    label: str
    items: object  # (user, since) -> list[DigestItem]


def unread_mentions_queryset():
    """Mentions in visible messages after the mentioned member's read marker in
    that room (no membership: nothing read), of active members."""
    from network.discussion.models import Mention, RoomMembership

    last_read = Subquery(
        RoomMembership.objects.filter(room=OuterRef("message__room"), user=OuterRef("user")).values(
            "last_read_id"
        )[:1]
    )
    return (
        Mention.objects.filter(message__deleted=False, message__hidden=False, user__is_active=True)
        .annotate(last_read=Coalesce(last_read, 0))
        .filter(message__id__gt=F("last_read"))
    )


def unread_mentions(user, since):
    """Mentions of ``user`` after ``since`` in messages still visible and unread
    (after the room's read marker), in rooms the user may still read."""
    from network.discussion.permissions import can_read_room

    mentions = (
        unread_mentions_queryset()
        .filter(user=user, message__created__gt=since)
        .select_related("message__author", "message__room")
        .order_by("message__id")[:50]
    )
    readable = {}
    items = []
    for mention in mentions:
        message, room = mention.message, mention.message.room
        if room.pk not in readable:
            readable[room.pk] = can_read_room(user, room)
        if readable[room.pk]:
            url = absolute_url(reverse("discussion:room_detail", args=[room.slug]) + f"#m{message.pk}")
            excerpt = " ".join(message.body.split())[:200]
            items.append(DigestItem(message.author.display_name, room.title, excerpt, url, message.created))
    return items


def waiting_direct_messages(since):
    """Memberships of direct conversations holding a visible message by someone
    else after the member's read marker and after ``since`` (an expression
    over the membership's row, e.g. the member's last digest), of active members."""
    from django.db.models import Exists

    from network.discussion.models import Message, Room, RoomMembership

    waiting = Message.objects.filter(
        room=OuterRef("room"),
        id__gt=OuterRef("last_read_id"),
        created__gt=OuterRef("since"),
        deleted=False,
        hidden=False,
    ).exclude(author=OuterRef("user"))
    return (
        RoomMembership.objects.filter(room__kind=Room.Kind.DIRECT, user__is_active=True)
        .annotate(since=since)
        .filter(Exists(waiting))
    )


def unread_direct_messages(user, since):
    """Messages to ``user`` in their direct conversations after ``since``, unread
    (after the conversation's read marker) and still visible."""
    from network.discussion.models import Message, Room, RoomMembership
    from network.discussion.querysets import label_direct_rooms

    last_read = Subquery(
        RoomMembership.objects.filter(room=OuterRef("room"), user=user).values("last_read_id")[:1]
    )
    messages = list(
        Message.objects.filter(
            room__kind=Room.Kind.DIRECT,
            room__memberships__user=user,
            created__gt=since,
            deleted=False,
            hidden=False,
        )
        .exclude(author=user)
        .annotate(last_read=Coalesce(last_read, 0))
        .filter(id__gt=F("last_read"))
        .select_related("author", "room")
        .order_by("id")[:50]
    )
    rooms = label_direct_rooms(list({message.room_id: message.room for message in messages}.values()), user)
    names = {room.pk: room.display_title for room in rooms}
    items = []
    for message in messages:
        url = absolute_url(reverse("discussion:room_detail", args=[message.room.slug]) + f"#m{message.pk}")
        excerpt = " ".join(message.body.split())[:200]
        place = names[message.room_id]
        items.append(DigestItem(message.author.display_name, place, excerpt, url, message.created))
    return items


SOURCES = [
    Source(_("On vous a mentionné"), unread_mentions),
    Source(_("On vous a écrit"), unread_direct_messages),
]


def collect(user, since):
    """``[(label, items)]`` of every source with something for ``user`` since ``since``."""
    sections = []
    for source in SOURCES:
        items = source.items(user, since)
        if items:
            sections.append((source.label, items))
    return sections


def unsubscribe_token(user):
    return unsubscribe.unsubscribe_token(user, salt=UNSUBSCRIBE_SALT)


def user_id_from_token(token):
    """The user id a token was made for, or ``None`` when it was tampered with."""
    return unsubscribe.user_id_from_token(token, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user):
    return absolute_url(reverse("discussion:digest_unsubscribe", args=[unsubscribe_token(user)]))
