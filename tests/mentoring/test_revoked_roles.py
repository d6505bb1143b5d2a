"""A manager removed from a venue's group in Wagtail's user admin stops moderating
the venue's room and leaves its private mentoring rooms (the group is the one
source of truth of who manages a venue)."""

import pytest

from members.services import attach_manager
from network.discussion.models import RoomMembership
from network.discussion.permissions import can_moderate_room, can_read_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    return client


def _fresh(user):
    """The user as stored now (a new instance: the permission helpers cache roles on the old one)."""
    return type(user).objects.get(pk=user.pk)


def test_removing_the_venue_group_in_the_user_admin_revokes_the_rooms(
    admin_client, pairing, mentor_venue, mentor_manager
):
    mentor_venue.refresh_from_db()
    venue_room, private_room = mentor_venue.room, pairing.room
    assert can_moderate_room(mentor_manager, venue_room)
    assert can_read_room(mentor_manager, private_room)

    response = admin_client.post(
        f"/admin/users/edit/{mentor_manager.pk}/",
        {"email": mentor_manager.email, "display_name": mentor_manager.display_name, "is_active": "on"},
    )  # no "groups": every group unticked

    assert response.status_code == 302, response.content.decode()[:2000]
    manager = _fresh(mentor_manager)
    assert not manager.groups.exists()
    assert not can_moderate_room(manager, venue_room)
    assert RoomMembership.objects.get(room=venue_room, user=manager).role == RoomMembership.Role.MEMBER
    assert not can_read_room(manager, private_room)
    assert not RoomMembership.objects.filter(room=private_room, user=manager).exists()
    # The pairing's other people keep the room.
    assert can_read_room(pairing.request.applicant, private_room)


def test_ticking_the_venue_group_again_in_the_user_admin_restores_the_rooms(
    admin_client, pairing, mentor_venue, mentor_manager
):
    group = mentor_venue.manager_group
    group.user_set.remove(mentor_manager)  # from the group's side this time
    assert not can_read_room(_fresh(mentor_manager), pairing.room)
    response = admin_client.post(
        f"/admin/users/edit/{mentor_manager.pk}/",
        {
            "email": mentor_manager.email,
            "display_name": mentor_manager.display_name,
            "is_active": "on",
            "groups": [group.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    manager = _fresh(mentor_manager)
    mentor_venue.refresh_from_db()
    assert can_moderate_room(manager, mentor_venue.room)
    assert can_read_room(manager, pairing.room)


def test_a_group_emptied_at_once_revokes_each_manager(pairing, mentor_venue, mentor_manager, staff_user):
    from tests.factories import VerifiedUserFactory

    second = VerifiedUserFactory()
    attach_manager(mentor_venue, second, by=staff_user)
    mentor_venue.refresh_from_db()
    assert can_moderate_room(_fresh(second), mentor_venue.room)
    mentor_venue.manager_group.user_set.clear()
    for user in (mentor_manager, second):
        assert not can_moderate_room(_fresh(user), mentor_venue.room)
        assert not can_read_room(_fresh(user), pairing.room)


def test_staff_who_leave_the_team_leave_the_mentoring_rooms(pairing, staff_user):
    from django.conf import settings

    membership = RoomMembership.objects.get(room=pairing.room, user=staff_user)
    assert membership.role == RoomMembership.Role.MODERATOR
    staff_user.groups.remove(staff_user.groups.get(name=settings.STAFF_GROUP_NAME))
    assert not can_read_room(_fresh(staff_user), pairing.room)


def test_staff_whose_team_loses_the_staff_permission_leave_the_mentoring_rooms(pairing, staff_user):
    """Staff is a permission: taking it from the group (Wagtail's group editor) is
    leaving the team, for the rooms too."""
    from django.contrib.auth.models import Permission

    from members.services import ensure_staff_group

    assert RoomMembership.objects.filter(room=pairing.room, user=staff_user).exists()
    ensure_staff_group().permissions.remove(Permission.objects.get(codename="act_as_network_staff"))
    assert not RoomMembership.objects.filter(room=pairing.room, user=staff_user).exists()
    assert not can_read_room(_fresh(staff_user), pairing.room)


def test_a_deactivated_manager_loses_the_rooms(pairing, mentor_venue, mentor_manager):
    mentor_manager.is_active = False
    mentor_manager.save()
    mentor_venue.refresh_from_db()
    assert not RoomMembership.objects.filter(
        room=mentor_venue.room, user=mentor_manager, role=RoomMembership.Role.MODERATOR
    ).exists()
    assert not RoomMembership.objects.filter(room=pairing.room, user=mentor_manager).exists()
