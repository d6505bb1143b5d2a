"""Direct conversations over the socket, through the Redis channel layer: a
direct message is stored first, broadcast to the members' sockets, replayed
by seq after a reconnect (nothing lost, nothing twice); outsiders and staff
are refused; a blocked member gets an error frame and keeps a usable socket."""

import uuid

import pytest
from channels.db import database_sync_to_async

from network.discussion import services
from network.discussion.models import Message
from tests.discussion.ws import frames_until_quiet, next_of, open_socket
from tests.factories import VerifiedUserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]

db = database_sync_to_async


@pytest.fixture
def redis_layer(settings, redis_url):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
        }
    }


@pytest.fixture
def conversation(member, other_member):
    room, _created = services.start_direct_conversation([other_member], by=member)
    return room


def _messages(frames):
    return [frame for frame in frames if frame["type"] == "message"]


async def test_a_direct_message_is_live_and_replayed_once_after_a_reconnect(
    redis_layer, conversation, member, other_member
):
    first, _ = await db(services.post_message)(conversation, by=member, body="Tu es là ?")
    reader, connected, _ = await open_socket(other_member, conversation, f"?after={first.pk}&seq={first.seq}")
    assert connected
    writer, _, _ = await open_socket(member, conversation)
    client_id = str(uuid.uuid4())
    await writer.send_json_to({"type": "message", "body": "Rendez-vous à 18 h", "client_id": client_id})
    live = await next_of(reader, "message", timeout=5)
    assert (live["body"], live["client_id"], live["room"]) == (
        "Rendez-vous à 18 h",
        client_id,
        conversation.slug,
    )
    assert live["seq"] == first.seq + 1
    await reader.disconnect()

    # While the reader is away: a retry of the same send (stored once), a new
    # message and an edit of the first one.
    await writer.send_json_to({"type": "message", "body": "Rendez-vous à 18 h", "client_id": client_id})
    await writer.send_json_to({"type": "message", "body": "Ou 19 h", "client_id": str(uuid.uuid4())})
    await writer.send_json_to({"type": "edit", "id": first.pk, "body": "Tu es là, Sacha ?"})
    await frames_until_quiet(writer)
    assert await db(Message.objects.filter(room=conversation).count)() == 3
    await writer.disconnect()

    again, _, _ = await open_socket(other_member, conversation, f"?after={live['id']}&seq={live['seq']}")
    frames = await frames_until_quiet(again)
    replayed = _messages(frames)
    assert [frame["body"] for frame in replayed] == ["Ou 19 h", "Tu es là, Sacha ?"]
    assert [frame["seq"] for frame in replayed] == sorted({frame["seq"] for frame in replayed})
    synced = next(frame for frame in frames if frame["type"] == "synced")
    assert synced["seq"] == replayed[-1]["seq"]
    await again.disconnect()


@pytest.mark.parametrize("who", ["outsider", "staff"])
async def test_outsiders_and_staff_cannot_open_a_conversation_socket(
    redis_layer, conversation, member, other_member, staff_user, who
):
    message, _created = await db(services.post_message)(conversation, by=member, body="Entre nous")
    if who == "staff":  # even once a message there is reported: the moderation screen only
        await db(services.report_message)(message, by=other_member, reason="Déplacé")
    user = staff_user if who == "staff" else await db(VerifiedUserFactory)()
    _communicator, connected, code = await open_socket(user, conversation, "?after=0&seq=0")
    assert not connected and code == 4403


async def test_a_blocked_member_gets_an_error_frame_and_keeps_the_socket(
    redis_layer, conversation, member, other_member
):
    await db(services.block_member)(other_member, by=member)
    blocked, connected, _ = await open_socket(other_member, conversation)
    assert connected  # they still read what was said
    reader, _, _ = await open_socket(member, conversation)
    client_id = str(uuid.uuid4())
    await blocked.send_json_to({"type": "message", "body": "Débloque-moi", "client_id": client_id})
    error = await next_of(blocked, "error")
    assert (error["code"], error["client_id"]) == ("blocked", client_id)
    await blocked.send_json_to({"type": "typing"})
    assert (await next_of(blocked, "error"))["code"] == "blocked"
    await blocked.send_json_to({"type": "ping"})
    assert (await next_of(blocked, "pong"))["type"] == "pong"  # still usable
    assert _messages(await frames_until_quiet(reader)) == []
    assert not await db(Message.objects.filter(room=conversation).exists)()

    # The blocker writes; once unblocked, the other answers.
    await reader.send_json_to({"type": "message", "body": "Je te débloque"})
    assert (await next_of(blocked, "message", timeout=5))["body"] == "Je te débloque"
    assert (await next_of(reader, "message", timeout=5))["body"] == "Je te débloque"  # its own echo
    await db(services.unblock_member)(other_member, by=member)
    await blocked.send_json_to({"type": "message", "body": "Merci"})
    assert (await next_of(reader, "message", timeout=5))["body"] == "Merci"
    await blocked.disconnect()
    await reader.disconnect()
