"""The room sockets' consumer loop (network/discussion/transport.py)."""

import asyncio
import uuid
from functools import partial

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer

from tests.discussion.ws import next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


class LayerThatLosesRedis(InMemoryChannelLayer):
    """An in-memory layer whose ``receive`` fails on a ``test.lose`` message and
    whose ``group_send`` fails the next ``failing_sends`` times, as the Redis
    layers do while Redis restarts."""

    failing_sends = 0

    async def receive(self, channel):
        message = await super().receive(channel)
        if message["type"] == "test.lose":
            raise ConnectionError("the channel layer lost its connection")
        return message

    async def group_send(self, group, message):
        if LayerThatLosesRedis.failing_sends > 0:
            LayerThatLosesRedis.failing_sends -= 1
            raise ConnectionError("the channel layer lost its connection")
        await super().group_send(group, message)


@pytest.fixture
def losing_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.LayerThatLosesRedis"}}
    yield
    LayerThatLosesRedis.failing_sends = 0


async def test_a_failing_layer_receive_keeps_the_socket_and_asks_for_a_replay(losing_layer, room, member):
    """Channels would close the socket (1011); here it stays open, is told it
    may have missed events, and keeps receiving once the layer works again."""
    communicator, connected, _ = await open_socket(member, room)
    assert connected
    await next_of(communicator, "presence")
    await get_channel_layer().group_send(room.group_name, {"type": "test.lose"})
    assert await next_of(communicator, "resync") == {"type": "resync"}
    await communicator.send_json_to({"type": "message", "body": "toujours là"})
    assert (await next_of(communicator, "message"))["body"] == "toujours là"
    await communicator.disconnect()


async def test_a_failing_group_send_is_retried_not_a_closed_socket(losing_layer, room, member, other_member):
    sender, _, _ = await open_socket(member, room)
    reader, _, _ = await open_socket(other_member, room)
    for communicator in (sender, reader):
        await next_of(communicator, "presence")
    LayerThatLosesRedis.failing_sends = 2  # the first broadcast after a Redis restart
    await sender.send_json_to({"type": "message", "body": "après le redémarrage"})
    for communicator in (sender, reader):
        assert (await next_of(communicator, "message"))["body"] == "après le redémarrage"
    for communicator in (sender, reader):  # the layer came back: every socket checks what it missed
        assert await next_of(communicator, "resync", timeout=5) == {"type": "resync"}
    await sender.send_json_to({"type": "ping"})
    assert await next_of(sender, "pong") == {"type": "pong", "seq": 1}
    await sender.disconnect()
    await reader.disconnect()


async def test_a_layer_down_for_good_still_shows_the_author_their_stored_message(losing_layer, room, member):
    sender, _, _ = await open_socket(member, room)
    await next_of(sender, "presence")
    LayerThatLosesRedis.failing_sends = 100
    await sender.send_json_to({"type": "message", "body": "stocké", "client_id": str(uuid.uuid4())})
    frame = await next_of(sender, "message", timeout=10)
    assert (frame["body"], frame["seq"]) == ("stocké", 1)
    await sender.send_json_to({"type": "ping"})
    assert (await next_of(sender, "pong"))["seq"] == 1  # the socket is still open
    await sender.disconnect()


@pytest.mark.redis
async def test_closed_sockets_leave_no_subscription_behind(settings, redis_url, room, member):
    import redis.asyncio as redis

    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": prefix},
        }
    }
    client = redis.Redis.from_url(redis_url)
    # Pub/sub channels are server-wide: count only this test's (others run alongside).
    channels = partial(client.pubsub_channels, f"{prefix}*")
    before = set(await channels())
    sockets = [(await open_socket(member, room))[0] for _ in range(3)]
    for communicator in sockets:
        await next_of(communicator, "presence")
    # A channel per socket, the room's group, the user's group (rights re-checks).
    assert len(set(await channels()) - before) == 5
    for communicator in sockets:
        await communicator.disconnect()
    for _ in range(50):
        if not set(await channels()) - before:
            break
        await asyncio.sleep(0.1)
    assert set(await channels()) - before == set()
    await client.aclose()


async def test_a_busy_database_thread_does_not_hold_up_the_fan_out(room, member):
    """What ``FanOutConsumer`` is kept for (docs/discussion.md, bench/machinery_bench.py):
    a group message is handed to its handler without a trip to the database
    thread. Channels' own ``dispatch`` awaits ``aclose_old_connections()`` on that
    one thread before every handler, so each frame delivered to each socket
    waits behind whatever the thread is doing (at 500 sockets x 10 messages/s,
    5,000 trips a second: it fell behind in the bench)."""
    import json
    import threading

    from asgiref.sync import sync_to_async

    communicator, connected, _ = await open_socket(member, room)
    assert connected
    await next_of(communicator, "presence")
    released = threading.Event()
    busy = asyncio.ensure_future(sync_to_async(released.wait, thread_sensitive=True)())
    try:
        await asyncio.sleep(0.05)  # the database thread is now taken
        frame = {"type": "message", "body": "livré", "seq": 1}
        await get_channel_layer().group_send(
            room.group_name, {"type": "room.event", "text": json.dumps(frame), "seq": 1}
        )
        assert await next_of(communicator, "message", timeout=1) == frame
    finally:
        released.set()
        await busy
    await communicator.disconnect()
