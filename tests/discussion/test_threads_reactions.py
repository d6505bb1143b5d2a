"""Threads (reply) and reactions (react, unreact): live, replayed after a
reconnect, validated, and each change an event of the room's seq."""

import uuid

import pytest
from channels.db import database_sync_to_async

from network.discussion import services
from network.discussion.models import Message, Reaction
from tests.discussion.ws import frames_until_quiet, next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


def _messages(frames):
    return [f for f in frames if f["type"] == "message"]


async def test_a_reply_is_broadcast_in_its_thread_and_replayed(room, member, other_member):
    parent, _ = await db(services.post_message)(room, by=other_member, body="Qui vient samedi ?")
    reader, _, _ = await open_socket(other_member, room)
    writer, _, _ = await open_socket(member, room)
    client_id = str(uuid.uuid4())
    await writer.send_json_to({"type": "reply", "parent": parent.pk, "body": "Moi", "client_id": client_id})
    live = await next_of(reader, "message")
    assert (live["parent"], live["html"], live["client_id"]) == (parent.pk, "<p>Moi</p>", client_id)
    # A retry of the same reply is acknowledged, never stored twice.
    await writer.send_json_to({"type": "reply", "parent": parent.pk, "body": "Moi", "client_id": client_id})
    # (the writer holds its live copy and the acknowledgement: one message, id and seq unchanged)
    assert {(f["id"], f["seq"]) for f in _messages(await frames_until_quiet(writer))} == {
        (live["id"], live["seq"])
    }
    assert await db(Message.objects.filter(parent=parent).count)() == 1
    await reader.disconnect()
    await writer.disconnect()

    # The reader missed it: the replay carries it once, with its parent.
    again, _, _ = await open_socket(other_member, room, f"?after={parent.pk}&seq={parent.seq}")
    replayed = _messages(await frames_until_quiet(again))
    assert [(f["id"], f["parent"]) for f in replayed] == [(live["id"], parent.pk)]
    await again.disconnect()


async def test_a_reply_to_a_reply_joins_the_same_thread(room, member, other_member):
    parent, _ = await db(services.post_message)(room, by=other_member, body="Question")
    first, _ = await db(services.post_message)(room, by=member, body="Réponse", parent=parent)
    writer, _, _ = await open_socket(other_member, room)
    await writer.send_json_to({"type": "reply", "parent": first.pk, "body": "Merci"})
    assert (await next_of(writer, "message"))["parent"] == parent.pk
    await writer.disconnect()


async def test_reactions_are_toggled_counted_named_and_replayed(room, member, other_member):
    message, _ = await db(services.post_message)(room, by=other_member, body="On fête ça")
    reader, _, _ = await open_socket(other_member, room)
    await next_of(reader, "presence")
    first, _, _ = await open_socket(member, room)
    await first.send_json_to({"type": "react", "id": message.pk, "emoji": "🎉"})
    live = await next_of(reader, "message")
    assert await next_of(first, "message") == live  # the reactor sees it too
    assert live["id"] == message.pk and live["seq"] == message.seq + 1
    assert live["reactions"] == [{"emoji": "🎉", "users": [{"id": member.pk, "name": member.display_name}]}]
    # Reacting again changes nothing and sends no event.
    await first.send_json_to({"type": "react", "id": message.pk, "emoji": "🎉"})
    assert _messages(await frames_until_quiet(reader)) == []
    await reader.send_json_to({"type": "react", "id": message.pk, "emoji": "🎉"})
    both = await next_of(first, "message")
    assert [u["id"] for u in both["reactions"][0]["users"]] == [member.pk, other_member.pk]
    await reader.disconnect()

    # Unreact while the reader is away: the replay holds the message once, in its last state.
    await first.send_json_to({"type": "unreact", "id": message.pk, "emoji": "🎉"})
    last = await next_of(first, "message")
    assert last["reactions"] == [
        {"emoji": "🎉", "users": [{"id": other_member.pk, "name": other_member.display_name}]}
    ]
    await first.disconnect()
    again, _, _ = await open_socket(other_member, room, f"?after={message.pk}&seq={live['seq']}")
    replayed = _messages(await frames_until_quiet(again))
    assert [(f["id"], f["seq"], f["reactions"]) for f in replayed] == [
        (message.pk, last["seq"], last["reactions"])
    ]
    await again.disconnect()
    assert await db(Reaction.objects.filter(message=message).count)() == 1


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "reply", "parent": "1", "body": "x"}, "bad_frame"),
        ({"type": "reply", "parent": 10**9, "body": "x"}, "message_not_found"),
        ({"type": "reply", "parent": 0, "body": {"a": 1}}, "bad_frame"),
        ({"type": "react", "id": "{id}", "emoji": "💩"}, "bad_reaction"),
        ({"type": "react", "id": "{id}", "emoji": ["👍"]}, "bad_reaction"),
        ({"type": "react", "id": -1, "emoji": "👍"}, "bad_frame"),
        ({"type": "unreact", "id": "{id}"}, "bad_reaction"),
        ({"type": "unreact", "id": 10**9, "emoji": "👍"}, "message_not_found"),
    ],
)
async def test_bad_thread_and_reaction_frames_get_an_error_and_the_socket_stays_usable(
    room, member, frame, code
):
    message, _ = await db(services.post_message)(room, by=member, body="Base")
    frame = {k: (message.pk if v == "{id}" else v) for k, v in frame.items()}
    if frame.get("parent") == 0:
        frame["parent"] = message.pk
    communicator, _, _ = await open_socket(member, room)
    await communicator.send_json_to(frame)
    error = await next_of(communicator, "error")
    assert error["code"] == code and error["detail"]
    await communicator.send_json_to({"type": "react", "id": message.pk, "emoji": "👍"})
    assert (await next_of(communicator, "message"))["reactions"][0]["emoji"] == "👍"
    await communicator.disconnect()


async def test_no_reply_or_reaction_on_a_deleted_message(room, member, other_member):
    message, _ = await db(services.post_message)(room, by=other_member, body="Bientôt effacé")
    await db(services.delete_message)(message, by=other_member)
    communicator, _, _ = await open_socket(member, room)
    client_id = str(uuid.uuid4())
    await communicator.send_json_to(
        {"type": "reply", "parent": message.pk, "body": "x", "client_id": client_id}
    )
    error = await next_of(communicator, "error")
    assert (error["code"], error["client_id"]) == ("gone", client_id)
    await communicator.send_json_to({"type": "react", "id": message.pk, "emoji": "👍"})
    assert (await next_of(communicator, "error"))["code"] == "gone"
    await communicator.disconnect()
    assert await db(Message.objects.count)() == 1


async def test_reactions_are_refused_in_an_archived_room(room, member, staff_user):
    message, _ = await db(services.post_message)(room, by=member, body="Fin")
    await db(services.archive_room)(room, by=staff_user)
    communicator, _, _ = await open_socket(member, room)
    await communicator.send_json_to({"type": "react", "id": message.pk, "emoji": "👍"})
    assert (await next_of(communicator, "error"))["code"] == "archived"
    await communicator.disconnect()
