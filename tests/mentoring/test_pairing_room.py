"""A pairing's room: the mentoring app makes it its members' only (the
applicant, the mentor venue's managers, staff as moderators): nobody else
reads it, staff who are not in it included."""

import pytest
from django.contrib.auth.models import AnonymousUser

from members.services import ensure_staff_group
from network.discussion.models import Room
from tests.discussion.access import LISTED, MODERATES, NOTHING, access
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.django_db


def test_the_pairing_room_is_its_members_only(pairing, newcomer, mentor_manager, other_manager, staff_user):
    room = Room.objects.get(pk=pairing.room_id)
    assert (room.kind, room.visibility) == (Room.Kind.PRIVATE, Room.Visibility.MEMBERS)
    assert access(newcomer, room) == LISTED
    assert access(mentor_manager, room) == LISTED  # the mentor, through their venue
    assert access(staff_user, room) == MODERATES  # put in it as its moderator
    assert access(other_manager, room) == NOTHING  # a mentor of another venue
    assert access(VerifiedUserFactory(), room) == NOTHING
    assert access(AnonymousUser(), room) == NOTHING
    # Being staff is not what opens it: a team member outside the room reads nothing.
    outside = VerifiedUserFactory(is_staff=True)
    outside.groups.add(ensure_staff_group())
    assert access(type(outside).objects.get(pk=outside.pk), room) == NOTHING
