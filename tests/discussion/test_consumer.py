"""One test per protocol behaviour, in process (InMemoryChannelLayer)."""

import asyncio
import json
import uuid

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from network.discussion import presence, services
from network.discussion.models import Message, RoomMembership
from tests.discussion.ws import frames_until_quiet, next_of, open_socket
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


async def test_anonymous_is_refused_before_accept(room):
    _communicator, connected, code = await open_socket(AnonymousUser(), room)
    assert not connected
    assert code == 4403


async def test_unverified_account_is_refused(room, unverified_user):
    _communicator, connected, _code = await open_socket(unverified_user, room)
    assert not connected


async def test_non_member_of_private_room_is_refused(private_room, other_member):
    _communicator, connected, _code = await open_socket(other_member, private_room)
    assert not connected


async def test_missing_room_is_refused(member, room):
    room.slug = "nexiste-pas"
    _communicator, connected, _code = await open_socket(member, room)
    assert not connected


async def test_presence_lists_connected_members(room, member, other_member):
    first, connected, _ = await open_socket(member, room)
    assert connected
    assert (await next_of(first, "presence"))["users"] == [{"id": member.pk, "name": member.display_name}]
    second, _, _ = await open_socket(other_member, room)
    assert await presence_reaches(first, {member.pk, other_member.pk})
    await second.disconnect()
    assert await presence_reaches(first, {member.pk})
    await first.disconnect()


async def presence_reaches(communicator, expected, frames=5):
    """Whether one of the next presence frames lists exactly ``expected``.

    Joins are gathered before they are announced, so under load a frame
    sent before the change may still be on its way."""
    for _ in range(frames):
        if {u["id"] for u in (await next_of(communicator, "presence"))["users"]} == expected:
            return True
    return False


async def test_a_burst_of_joins_is_announced_once(room, member, settings):
    settings.DISCUSSION_PRESENCE_DELAY = 0.5
    watcher, _, _ = await open_socket(member, room)
    await next_of(watcher, "presence")  # the joiner's own list comes at once
    newcomers = await db(lambda: [VerifiedUserFactory() for _ in range(5)])()
    sockets = [(await open_socket(user, room))[0] for user in newcomers]
    announced = [f for f in await frames_until_quiet(watcher, timeout=1) if f["type"] == "presence"]
    assert len(announced) == 1
    assert {u["id"] for u in announced[0]["users"]} == {member.pk, *(u.pk for u in newcomers)}
    for communicator in [watcher, *sockets]:
        await communicator.disconnect()


async def test_ping_keeps_a_quiet_member_present(room, member, settings):
    settings.DISCUSSION_PRESENCE_TTL = 1
    quiet, _, _ = await open_socket(member, room)
    await next_of(quiet, "presence")
    await asyncio.sleep(1.2)  # no frame for longer than the TTL: gone from the list
    assert await db(presence.present_users)(room.pk) == []
    await quiet.send_json_to({"type": "ping"})
    await frames_until_quiet(quiet)
    assert await db(presence.present_users)(room.pk) == [{"id": member.pk, "name": member.display_name}]
    await quiet.disconnect()


async def test_message_is_stored_then_broadcast_to_everyone(room, member, other_member):
    sender, _, _ = await open_socket(member, room)
    reader, _, _ = await open_socket(other_member, room)
    client_id = str(uuid.uuid4())
    await sender.send_json_to({"type": "message", "body": "Bonjour *toutes*", "client_id": client_id})
    for communicator in (sender, reader):
        frame = await next_of(communicator, "message")
        assert frame["html"] == "<p>Bonjour <em>toutes</em></p>"
        assert frame["client_id"] == client_id
        assert frame["room"] == room.slug
        assert frame["author"] == {"id": member.pk, "name": member.display_name}
        assert frame["seq"] == 1 and frame["deleted"] is False and frame["edited"] is None
    stored = await db(Message.objects.get)()
    assert frame["id"] == stored.pk
    await sender.disconnect()
    await reader.disconnect()


async def test_resent_client_id_is_acknowledged_not_stored_again(room, member, other_member):
    sender, _, _ = await open_socket(member, room)
    reader, _, _ = await open_socket(other_member, room)
    frame = {"type": "message", "body": "Une fois", "client_id": str(uuid.uuid4())}
    await sender.send_json_to(frame)
    original = await next_of(sender, "message")
    await next_of(reader, "message")
    await sender.send_json_to(frame)
    ack = await next_of(sender, "message")
    assert ack["id"] == original["id"]
    assert [f for f in await frames_until_quiet(reader) if f["type"] == "message"] == []
    assert await db(Message.objects.count)() == 1
    await sender.disconnect()
    await reader.disconnect()


async def test_edit_is_broadcast_with_the_same_id(room, member, other_member):
    message, _ = await db(services.post_message)(room, by=member, body="Avant")
    sender, _, _ = await open_socket(member, room)
    reader, _, _ = await open_socket(other_member, room)
    await sender.send_json_to({"type": "edit", "id": message.pk, "body": "Après"})
    frame = await next_of(reader, "message")
    assert (frame["id"], frame["html"], frame["seq"]) == (message.pk, "<p>Après</p>", 2)
    assert frame["edited"] is not None
    await sender.disconnect()
    await reader.disconnect()


async def test_editing_someone_elses_message_is_an_error_frame(room, member, other_member):
    message, _ = await db(services.post_message)(room, by=member, body="À moi")
    intruder, _, _ = await open_socket(other_member, room)
    await intruder.send_json_to({"type": "edit", "id": message.pk, "body": "Piraté"})
    assert (await next_of(intruder, "error"))["code"] == "not_allowed"
    await intruder.send_json_to({"type": "delete", "id": message.pk})
    assert (await next_of(intruder, "error"))["code"] == "not_allowed"
    assert (await db(Message.objects.get)()).body == "À moi"
    await intruder.disconnect()


async def test_delete_is_broadcast_without_text(room, member, other_member):
    message, _ = await db(services.post_message)(room, by=member, body="Oups")
    sender, _, _ = await open_socket(member, room)
    reader, _, _ = await open_socket(other_member, room)
    await sender.send_json_to({"type": "delete", "id": message.pk})
    frame = await next_of(reader, "message")
    assert (frame["id"], frame["deleted"], frame["html"], frame["body"]) == (message.pk, True, "", "")
    await sender.disconnect()
    await reader.disconnect()


async def test_hide_by_moderator_reaches_every_client(room, member, staff_user):
    message, _ = await db(services.post_message)(room, by=member, body="Limite")
    reader, _, _ = await open_socket(member, room)
    await db(services.hide_message)(message, by=staff_user, reason="Hors charte")
    frame = await next_of(reader, "message")
    assert (frame["id"], frame["deleted"], frame["hidden"], frame["html"]) == (message.pk, True, True, "")
    await reader.disconnect()


async def test_typing_reaches_the_others_only(room, member, other_member):
    typist, _, _ = await open_socket(member, room)
    reader, _, _ = await open_socket(other_member, room)
    await typist.send_json_to({"type": "typing"})
    assert (await next_of(reader, "typing"))["user"] == {"id": member.pk, "name": member.display_name}
    assert [f for f in await frames_until_quiet(typist) if f["type"] == "typing"] == []
    await typist.disconnect()
    await reader.disconnect()


async def test_read_frame_records_the_last_read_message(room, member, other_member):
    message, _ = await db(services.post_message)(room, by=other_member, body="Lu ?")
    reader, _, _ = await open_socket(member, room)
    await reader.send_json_to({"type": "read", "id": message.pk})
    await frames_until_quiet(reader)
    membership = await db(RoomMembership.objects.get)(room=room, user=member)
    assert membership.last_read_id == message.pk
    await reader.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        ('{"type": "shout"}', "unknown_type"),
        ('{"body": "sans type"}', "unknown_type"),
        ('{"type": "message", "body": 42}', "bad_frame"),
        ('{"type": "message", "body": "   "}', "empty"),
        ('{"type": "message", "body": "x", "client_id": "pas-un-uuid"}', "bad_frame"),
        ('{"type": "edit", "id": "1", "body": "x"}', "bad_frame"),
        ('{"type": "edit", "id": 999999, "body": "x"}', "message_not_found"),
        ('{"type": "delete", "id": true}', "bad_frame"),
        ('{"type": "read", "id": -4}', "bad_frame"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_open(room, member, raw, code):
    communicator, _, _ = await open_socket(member, room)
    await communicator.send_to(text_data=raw)
    error = await next_of(communicator, "error")
    assert error["code"] == code
    assert error["detail"]
    await communicator.send_json_to({"type": "message", "body": "Toujours là"})
    assert (await next_of(communicator, "message"))["html"] == "<p>Toujours là</p>"
    await communicator.disconnect()


async def test_too_long_body_is_an_error_frame(room, member):
    communicator, _, _ = await open_socket(member, room)
    await communicator.send_json_to({"type": "message", "body": "x" * 4001})
    assert (await next_of(communicator, "error"))["code"] == "too_long"
    await communicator.disconnect()


async def test_binary_frame_is_an_error_frame(room, member):
    communicator, _, _ = await open_socket(member, room)
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert (await next_of(communicator, "error"))["code"] == "bad_frame"
    await communicator.disconnect()


async def test_rate_limit_is_an_error_frame_not_a_closed_socket(room, member, settings):
    settings.DISCUSSION_RATE_LIMIT = (2, 10)
    communicator, _, _ = await open_socket(member, room)
    for n in range(3):
        await communicator.send_json_to({"type": "message", "body": f"m{n}"})
    assert (await next_of(communicator, "error"))["code"] == "rate_limited"
    await communicator.send_json_to({"type": "typing"})
    assert await db(Message.objects.count)() == 2
    await communicator.disconnect()


async def test_permission_is_checked_again_on_every_send(room, member, staff_user):
    communicator, _, _ = await open_socket(member, room)
    await db(services.archive_room)(room, by=staff_user)
    await communicator.send_json_to({"type": "message", "body": "Trop tard"})
    assert (await next_of(communicator, "error"))["code"] == "archived"
    assert await db(Message.objects.count)() == 0
    await communicator.disconnect()


async def test_removed_member_is_disconnected(private_room, member):
    communicator, _, _ = await open_socket(member, private_room)
    await next_of(communicator, "presence")
    await db(services.remove_room_member)(private_room, member)
    assert (await next_of(communicator, "error"))["code"] == "removed"
    assert (await communicator.receive_output(timeout=3))["type"] == "websocket.close"


async def test_reconnect_with_after_and_seq_replays_what_was_missed(room, member, other_member):
    seen, _ = await db(services.post_message)(room, by=other_member, body="vu")
    missed, _ = await db(services.post_message)(room, by=other_member, body="manqué")
    await db(services.edit_message)(seen, by=other_member, body="vu puis modifié")
    communicator, _, _ = await open_socket(member, room, f"?after={seen.pk}&seq={seen.seq}")
    replayed = [f for f in await frames_until_quiet(communicator) if f["type"] == "message"]
    assert [(f["id"], f["html"]) for f in replayed] == [
        (missed.pk, "<p>manqué</p>"),
        (seen.pk, "<p>vu puis modifié</p>"),
    ]
    await communicator.send_json_to({"type": "message", "body": "en direct"})
    assert (await next_of(communicator, "message"))["seq"] == 4
    await communicator.disconnect()


async def test_reconnect_with_after_only_replays_newer_ids_in_order(room, member, other_member):
    posted = [(await db(services.post_message)(room, by=other_member, body=f"m{n}"))[0] for n in range(5)]
    communicator, _, _ = await open_socket(member, room, f"?after={posted[1].pk}")
    replayed = [f["id"] for f in await frames_until_quiet(communicator) if f["type"] == "message"]
    assert replayed == [m.pk for m in posted[2:]]
    await communicator.disconnect()


async def test_live_events_already_replayed_are_not_sent_twice(room, member, other_member):
    from network.discussion.consumers import RoomConsumer

    first, _ = await db(services.post_message)(room, by=other_member, body="un")
    consumer = RoomConsumer()
    consumer.high_water = first.seq
    sent = []

    async def capture(text_data=None, **kwargs):
        sent.append(json.loads(text_data))

    consumer.send = capture
    for seq in (first.seq, first.seq + 1):
        frame = {"type": "message", "id": first.pk + seq - first.seq, "seq": seq}
        await consumer.room_event({"text": json.dumps(frame), "seq": seq})
    assert [p["seq"] for p in sent] == [first.seq + 1]
