"""Who may read, post in and moderate a room. ``access_room`` fetches and authorizes
in one step and answers the same for a missing room and a forbidden one."""

from django.utils.translation import gettext as _

from network.errors import NotAllowed, ServiceError
from network.permissions import has_verified_email, is_staff_member


class RoomNotFound(ServiceError):
    code = "not_found"


# Visibilities (``Room.Visibility``) of the rooms every member reads, and of
# those staff read (and moderate) without being members.
OPEN_TO_MEMBERS = ("public", "open")
SEEN_BY_STAFF = ("public", "open", "staff")


def is_verified(user):
    """``has_verified_email``, cached on the user for the life of a socket or request."""
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_discussion_verified", None)
    if cached is None:
        cached = has_verified_email(user)
        user._discussion_verified = cached
    return cached


def sees_every_public_room(user):
    cached = getattr(user, "_discussion_staff", None)
    if cached is None:
        cached = is_staff_member(user)
        user._discussion_staff = cached
    return cached


def membership_of(user, room):
    from network.discussion.models import RoomMembership

    if not user.is_authenticated:
        return None
    return RoomMembership.objects.filter(room=room, user=user).first()


def can_read_room(user, room, membership=None):
    """Whether ``user`` reads ``room``, from its visibility (set by the owning
    app) and the user's membership: the one rule, whatever owns the room."""
    if not is_verified(user):
        return False
    if room.visibility in OPEN_TO_MEMBERS:
        return True
    if membership is None:
        membership = membership_of(user, room)
    if membership is not None:
        return True
    # A members-only room (a direct conversation among them) is never read by
    # staff as such: they see a reported direct message on the moderation screen.
    return room.visibility in SEEN_BY_STAFF and sees_every_public_room(user)


def is_blocked_in(user, room):
    """Whether another member of the direct conversation ``room`` blocked ``user``."""
    from network.discussion.models import Block

    return Block.objects.filter(
        blocked=user, blocker__room_memberships__room=room, blocker__is_active=True
    ).exists()


def can_post_in_room(user, room, membership=None):
    if room.is_archived or not can_read_room(user, room, membership):
        return False
    return not (room.kind == room.Kind.DIRECT and is_blocked_in(user, room))


def can_moderate_room(user, room, membership=None):
    """Moderating a room from its page. Nobody moderates a direct conversation
    there (see ``can_moderate_reported`` for its reported messages)."""
    from network.discussion.models import RoomMembership

    if room.kind == room.Kind.DIRECT or not can_read_room(user, room, membership):
        return False
    if room.visibility in SEEN_BY_STAFF and sees_every_public_room(user):
        return True
    if membership is None:
        membership = membership_of(user, room)
    return membership is not None and membership.role == RoomMembership.Role.MODERATOR


def can_moderate_reported(user, room, *, message=None, author=None):
    """Moderation of what was reported: a room's moderators as ``can_moderate_room``;
    in a direct conversation, staff, for a reported ``message`` or a member
    ``author`` of a reported message there, and nothing else of it."""
    from network.discussion.models import Report

    if room.kind != room.Kind.DIRECT:
        return can_moderate_room(user, room)
    if not (is_verified(user) and sees_every_public_room(user)):
        return False
    reports = Report.objects.filter(message__room=room)
    if message is not None:
        reports = reports.filter(message=message)
    if author is not None:
        reports = reports.filter(message__author=author)
    return reports.exists()


def can_manage_topic_rooms(user):
    return is_verified(user) and sees_every_public_room(user)


def access_room(user, slug):
    """The room ``slug`` if ``user`` may read it, else ``RoomNotFound`` (missing or forbidden alike)."""
    from network.discussion.models import Room

    room = Room.objects.filter(slug=slug).first()
    if room is None or not can_read_room(user, room):
        raise RoomNotFound(_("Ce salon n'existe pas."))
    return room


def reload_reader(user_id, room):
    """The user ``user_id`` as stored now if they may still read ``room``, else None
    (deactivated, deleted, no longer a member or staff): a socket re-checks the
    rights it was opened with."""
    from django.contrib.auth import get_user_model

    from network.discussion.models import Room

    user = get_user_model().objects.filter(pk=user_id).first()
    room = Room.objects.filter(pk=room.pk).first()
    if user is None or room is None or not can_read_room(user, room):
        return None
    return user


def check_can_post(user, room, *, lock=False):
    """The room as stored now (archived meanwhile? membership removed?), its row
    locked when ``lock``, if ``user`` may post in it."""
    from network.discussion.models import Room

    rooms = Room.objects.select_for_update() if lock else Room.objects
    room = rooms.get(pk=room.pk)
    if not can_read_room(user, room):
        raise RoomNotFound(_("Ce salon n'existe pas."))
    if room.is_archived:
        raise NotAllowed(_("Ce salon est archivé : on ne peut plus y écrire."), code="archived")
    if room.kind == room.Kind.DIRECT and is_blocked_in(user, room):
        raise NotAllowed(_("Vous ne pouvez pas écrire dans cette conversation."), code="blocked")
    return room
