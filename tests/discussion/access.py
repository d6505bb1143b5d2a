"""What a person gets in a room, as one set, for the tests of every owning app."""

from network.discussion.models import Room
from network.discussion.permissions import can_moderate_room, can_post_in_room, can_read_room

NOTHING = frozenset()
READ = frozenset({"read", "post"})  # reads and writes from the room's address, not listed
LISTED = READ | {"listed"}
MODERATES = LISTED | {"moderate"}


def access(user, room):
    """The subset of ``{"read", "listed", "post", "moderate"}`` ``user`` gets in
    ``room``; the room list (``visible_to``) and the moderation screens
    (``moderated_by``) must agree with the checks on the room itself."""
    got = set()
    if can_read_room(user, room):
        got.add("read")
    if can_post_in_room(user, room):
        got.add("post")
    if can_moderate_room(user, room):
        got.add("moderate")
    if Room.objects.visible_to(user).filter(pk=room.pk).exists():
        got.add("listed")
    moderated = Room.objects.moderated_by(user).filter(pk=room.pk).exists()
    assert moderated == ("moderate" in got), (user, room, got)
    return got
