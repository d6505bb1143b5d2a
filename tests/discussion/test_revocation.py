"""Rights held by an open socket are checked again when they change: a
deactivated account, a member who leaves the team, a membership removed."""

import pytest
from channels.db import database_sync_to_async
from django.conf import settings

from network.discussion import services
from network.discussion.models import Room
from tests.discussion.ws import next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


async def _closed(communicator, timeout=3):
    """The socket says why, then closes (4403), within ``timeout`` seconds."""
    assert (await next_of(communicator, "error", timeout=timeout))["code"] == "removed"
    output = await communicator.receive_output(timeout=timeout)
    assert output == {"type": "websocket.close", "code": 4403}


async def test_a_deactivated_users_socket_closes_within_seconds(room, member):
    communicator, connected, _ = await open_socket(member, room)
    assert connected
    await next_of(communicator, "presence")

    def deactivate():
        member.is_active = False
        member.save()

    await db(deactivate)()
    await _closed(communicator)


async def test_a_member_who_leaves_the_team_is_closed_out_of_an_event_room(staff_user):
    room = await db(services.create_room)(
        kind=Room.Kind.EVENT, visibility=Room.Visibility.MEMBERS_AND_STAFF, title="Apéro", by=None
    )
    communicator, connected, _ = await open_socket(staff_user, room)
    assert connected  # staff read every event room
    await next_of(communicator, "presence")

    def leave_team():
        staff_user.groups.remove(staff_user.groups.get(name=settings.STAFF_GROUP_NAME))

    await db(leave_team)()
    await _closed(communicator)


async def test_a_socket_whose_rights_still_hold_stays_open(room, member):
    from members.services import ensure_staff_group

    communicator, connected, _ = await open_socket(member, room)
    assert connected
    await next_of(communicator, "presence")
    await db(lambda: ensure_staff_group().user_set.add(member))()  # rights re-checked: still a reader
    await communicator.send_json_to({"type": "message", "body": "toujours là"})
    assert (await next_of(communicator, "message"))["body"] == "toujours là"
    await communicator.disconnect()
