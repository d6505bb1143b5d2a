"""Reads of the discussion space: who sees which room, unread counts, history."""

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce


def _count(queryset):
    """A correlated subquery counting ``queryset`` rows (0 when none)."""
    counted = queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


class RoomQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rooms listed for ``user``, by their visibility: public rooms for every
        verified member, any room for its members (an open room, read by all,
        is listed once joined by posting in it); staff also find every room
        they read (``SEEN_BY_STAFF``), never a members-only one they are not in."""
        from network.discussion.permissions import SEEN_BY_STAFF, is_verified, sees_every_public_room

        if not is_verified(user):
            return self.none()
        from network.discussion.models import Room, RoomMembership

        is_member = Exists(RoomMembership.objects.filter(room=OuterRef("pk"), user=user))
        condition = Q(visibility=Room.Visibility.PUBLIC) | is_member
        if sees_every_public_room(user):
            condition |= Q(visibility__in=SEEN_BY_STAFF)
        return self.filter(condition)

    def moderated_by(self, user):
        """Rooms ``user`` moderates (as ``can_moderate_room`` says): the rooms where
        they are a moderator; for staff also every room they read without being
        a member (``SEEN_BY_STAFF``); direct conversations never (staff see only
        their reported messages)."""
        from network.discussion.permissions import SEEN_BY_STAFF, is_verified, sees_every_public_room

        if not is_verified(user):
            return self.none()
        from network.discussion.models import Room, RoomMembership

        condition = Q(memberships__user=user, memberships__role=RoomMembership.Role.MODERATOR)
        if sees_every_public_room(user):
            condition |= Q(visibility__in=SEEN_BY_STAFF)
        condition &= ~Q(kind=Room.Kind.DIRECT)  # nobody moderates a direct conversation
        return self.filter(pk__in=self.model.objects.filter(condition).values("pk"))

    def with_unread(self, user):
        """Annotate ``last_read``, ``unread`` (messages by others after the last
        read one) and ``unread_mentions``: one query whatever the number of rooms."""
        from network.discussion.models import Mention, Message, RoomMembership

        last_read = Subquery(
            RoomMembership.objects.filter(room=OuterRef("pk"), user=user).values("last_read_id")[:1]
        )
        unread = Message.objects.filter(
            room=OuterRef("pk"), id__gt=OuterRef("last_read"), deleted=False, hidden=False
        ).exclude(author=user)
        mentions = Mention.objects.filter(
            user=user,
            message__room=OuterRef("pk"),
            message__id__gt=OuterRef("last_read"),
            message__deleted=False,
            message__hidden=False,
        )
        return self.annotate(last_read=Coalesce(last_read, 0)).annotate(
            unread=_count(unread), unread_mentions=_count(mentions)
        )

    def unread_totals(self, user):
        """``{"unread": n, "mentions": m}`` summed over these rooms: one query
        (a row per room, whatever the history)."""
        rows = self.with_unread(user).values_list("unread", "unread_mentions")
        totals = [sum(column) for column in zip(*rows, strict=True)] or [0, 0]
        return {"unread": totals[0], "mentions": totals[1]}


class MessageQuerySet(models.QuerySet):
    def for_display(self):
        return self.select_related("author", "attachment").defer("search_vector")

    def page_before(self, before_id, size):
        """The ``size`` messages before ``before_id`` (or the latest ones), oldest first."""
        queryset = self.for_display()
        if before_id:
            queryset = queryset.filter(id__lt=before_id)
        return list(reversed(queryset.order_by("-id")[:size]))

    def changed_since(self, after_id, after_seq):
        """Messages a client that saw up to ``after_id`` (and seq ``after_seq``,
        when it knows it) is missing: newer messages, and older ones edited,
        deleted or hidden since, ordered by seq so each appears once, in its
        latest state."""
        condition = Q(id__gt=after_id)
        if after_seq is not None:
            condition |= Q(seq__gt=after_seq)
        return self.for_display().filter(condition).order_by(F("seq").asc())

    def unread_for(self, rooms, user):
        """Unread messages of ``user`` in ``rooms`` (annotated by ``with_unread``),
        newest first, with ``mentions_me``: one query whatever the number of
        rooms and the length of their history (only rooms with something
        unread are asked, each from its last read message on)."""
        from network.discussion.models import Mention

        condition = Q()
        for room in rooms:
            if room.unread:
                condition |= Q(room_id=room.pk, id__gt=room.last_read)
        if not condition:
            return self.none()
        return (
            self.filter(condition, deleted=False, hidden=False)
            .exclude(author=user)
            .annotate(mentions_me=Exists(Mention.objects.filter(message=OuterRef("pk"), user=user)))
            .select_related("author", "room", "attachment")
            .defer("search_vector")
            .order_by("-id")
        )


def label_direct_rooms(rooms, viewer):
    """Name each direct conversation of ``rooms`` for ``viewer`` by its other
    members (``Room.display_title``; ``Room.direct_members`` lists them): one
    query for all of them, none when there is no direct conversation."""
    from network.discussion.models import RoomMembership

    direct = [room for room in rooms if room.is_direct]
    if not direct:
        return rooms
    others = {}
    memberships = (
        RoomMembership.objects.filter(room__in=direct)
        .exclude(user=viewer)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )
    for membership in memberships:
        others.setdefault(membership.room_id, []).append(membership.user)
    for room in direct:
        room.direct_members = others.get(room.pk, [])
        names = ", ".join(user.display_name for user in room.direct_members)
        room._display_title = names or room.title
    return rooms
