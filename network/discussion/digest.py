"""The daily e-mail digest: what waits for a member across the rooms they read.

Each kind of item is a *source*: a function ``(user, since) -> [DigestItem]``
listed in ``SOURCES``. Unread mentions are the first; direct messages, once
they exist, add their own source and nothing else changes (the e-mail lists
items grouped by source label).
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


SOURCES = [Source(_("On vous a mentionné"), unread_mentions)]


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
