"""No silent gap: replays end with ``synced``, a client that sees a gap in seq
asks for ``resync``, pings say the room's last seq, and a refused post says
whether and when to send it again (in process, InMemoryChannelLayer)."""

import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async

from network.discussion import services
from network.discussion.models import Message
from tests.discussion.ws import frames_until_quiet, next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


async def test_a_resumed_connection_is_told_up_to_which_seq_it_holds_everything(room, member, other_member):
    seen, _ = await db(services.post_message)(room, by=other_member, body="vu")
    await db(services.post_message)(room, by=other_member, body="manqué")
    await db(services.edit_message)(seen, by=other_member, body="vu puis modifié")
    communicator, _, _ = await open_socket(member, room, f"?after={seen.pk}&seq={seen.seq}")
    frames = [f for f in await frames_until_quiet(communicator) if f["type"] in ("message", "synced")]
    # seq 2 was superseded by the edit (seq 3): the replay skips it, and says so.
    assert [(f["type"], f["seq"]) for f in frames] == [("message", 2), ("message", 3), ("synced", 3)]
    await communicator.disconnect()


async def test_nothing_missed_is_synced_at_the_clients_own_seq(room, member, other_member):
    posted, _ = await db(services.post_message)(room, by=other_member, body="vu")
    communicator, _, _ = await open_socket(member, room, f"?after={posted.pk}&seq={posted.seq}")
    assert await next_of(communicator, "synced") == {"type": "synced", "seq": 1}
    await communicator.disconnect()


async def test_resync_sends_the_missing_range_then_live_events_once(room, member, other_member):
    communicator, _, _ = await open_socket(member, room, "?after=0&seq=0")
    await next_of(communicator, "synced")
    first, _ = await db(services.post_message)(room, by=other_member, body="un")
    assert (await next_of(communicator, "message"))["seq"] == 1
    # Seq 2 and 3 are stored, but as if their broadcast were lost (Redis restarted).
    from network.discussion import broadcast

    with broadcast.collected():
        lost = [(await db(services.post_message)(room, by=other_member, body=f"lost {n}"))[0] for n in (2, 3)]
    await communicator.send_json_to({"type": "resync", "after": first.pk, "seq": first.seq})
    frames = [f for f in await frames_until_quiet(communicator) if f["type"] in ("message", "synced")]
    assert [(f["type"], f.get("id"), f["seq"]) for f in frames] == [
        ("message", lost[0].pk, 2),
        ("message", lost[1].pk, 3),
        ("synced", None, 3),
    ]
    await communicator.send_json_to({"type": "message", "body": "en direct"})
    assert (await next_of(communicator, "message"))["seq"] == 4
    await communicator.disconnect()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "resync", "after": "1", "seq": 0},
        {"type": "resync", "after": 0, "seq": -1},
        {"type": "resync", "after": True, "seq": 0},
        {"type": "resync", "after": 0, "seq": 2**63},
    ],
)
async def test_a_bad_resync_is_a_bad_frame(room, member, frame):
    communicator, _, _ = await open_socket(member, room)
    await communicator.send_json_to(frame)
    assert (await next_of(communicator, "error"))["code"] == "bad_frame"
    await communicator.disconnect()


async def test_a_ping_is_answered_with_the_rooms_last_seq(room, member, other_member):
    communicator, _, _ = await open_socket(member, room)
    await communicator.send_json_to({"type": "ping"})
    assert await next_of(communicator, "pong") == {"type": "pong", "seq": 0}
    await db(services.post_message)(room, by=other_member, body="un")
    await communicator.send_json_to({"type": "ping"})
    assert await next_of(communicator, "pong") == {"type": "pong", "seq": 1}
    await communicator.disconnect()


async def test_a_rate_limited_post_says_when_to_send_it_again(room, member, settings):
    settings.DISCUSSION_RATE_LIMIT = (1, 2)
    communicator, _, _ = await open_socket(member, room)
    await communicator.send_json_to({"type": "message", "body": "un", "client_id": str(uuid.uuid4())})
    await next_of(communicator, "message")
    refused = None
    while refused is None:  # a post that crossed into the next window is accepted: post again
        client_id = str(uuid.uuid4())
        await communicator.send_json_to({"type": "message", "body": "deux", "client_id": client_id})
        frame = await next_of(communicator, ("message", "error"))
        refused = frame if frame["type"] == "error" else None
    assert refused["client_id"] == client_id
    assert 1 <= refused["retry_after"] <= 2
    await asyncio.sleep(refused["retry_after"])
    await communicator.send_json_to({"type": "message", "body": "deux", "client_id": client_id})
    frame = await next_of(communicator, "message")
    assert (frame["body"], frame["client_id"]) == ("deux", client_id)
    assert await db(Message.objects.filter(client_id=client_id).count)() == 1
    await communicator.disconnect()


async def test_a_post_refused_for_good_names_it_without_a_retry(room, member):
    communicator, _, _ = await open_socket(member, room)
    client_id = str(uuid.uuid4())
    await communicator.send_json_to({"type": "message", "body": "x" * 4001, "client_id": client_id})
    error = await next_of(communicator, "error")
    assert (error["code"], error["client_id"]) == ("too_long", client_id)
    assert "retry_after" not in error
    await communicator.disconnect()
