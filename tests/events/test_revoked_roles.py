"""Staff read every event room; one who leaves the team keeps only the rooms of
the events they are registered for (the membership their reading made goes)."""

import pytest
from django.conf import settings

from events import services
from network.discussion import services as discussion
from network.discussion.models import RoomMembership
from network.discussion.permissions import can_read_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def occurrence(event):
    return event.occurrences.get()


@pytest.fixture
def other_event(make_event):
    return make_event(title="Atelier compost", slug="atelier-compost")


def _fresh(user):
    """The user as stored now (a new instance: the permission helpers cache roles on the old one)."""
    return type(user).objects.get(pk=user.pk)


def test_staff_who_leave_the_team_lose_the_event_rooms_they_read(staff_user, occurrence, other_event):
    services.register_for_event(occurrence, by=staff_user)  # a participant as well, in this one
    registered_room = services.ensure_event_room(occurrence.event)
    read_room = services.ensure_event_room(other_event)
    discussion.mark_read(read_room, by=staff_user, message_id=0)  # makes a membership row
    assert RoomMembership.objects.filter(room=read_room, user=staff_user).exists()

    team = staff_user.groups.get(name=settings.STAFF_GROUP_NAME)
    team.user_set.remove(staff_user)

    user = _fresh(staff_user)
    assert not can_read_room(user, read_room)
    assert not RoomMembership.objects.filter(room=read_room, user=user).exists()
    assert can_read_room(user, registered_room)


def test_staff_who_stay_keep_the_rooms_they_read(staff_user, other_event, member):
    from members.services import ensure_staff_group

    read_room = services.ensure_event_room(other_event)
    discussion.mark_read(read_room, by=staff_user, message_id=0)
    ensure_staff_group().user_set.add(member)  # someone else joins the team
    assert can_read_room(_fresh(staff_user), read_room)
