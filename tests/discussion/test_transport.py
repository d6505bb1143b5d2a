"""The room sockets' consumer loop (network/discussion/transport.py)."""

import asyncio
import uuid

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer

from tests.discussion.ws import next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


class LayerThatLosesRedis(InMemoryChannelLayer):
    """An in-memory layer whose ``receive`` fails on a ``test.lose`` message."""

    async def receive(self, channel):
        message = await super().receive(channel)
        if message["type"] == "test.lose":
            raise ConnectionError("the channel layer lost its connection")
        return message


async def test_a_failing_channel_layer_ends_the_socket(settings, room, member):
    """As in Channels: the socket closes, the client reconnects and replays
    (rather than staying open and silently missing every broadcast)."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.LayerThatLosesRedis"}}
    communicator, connected, _ = await open_socket(member, room)
    assert connected
    await next_of(communicator, "presence")
    await get_channel_layer().group_send(room.group_name, {"type": "test.lose"})
    with pytest.raises(ConnectionError):
        await communicator.receive_from(timeout=2)


@pytest.mark.redis
async def test_closed_sockets_leave_no_subscription_behind(settings, redis_url, room, member):
    import redis.asyncio as redis

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
        }
    }
    client = redis.Redis.from_url(redis_url)
    before = set(await client.pubsub_channels())
    sockets = [(await open_socket(member, room))[0] for _ in range(3)]
    for communicator in sockets:
        await next_of(communicator, "presence")
    assert len(set(await client.pubsub_channels()) - before) == 4  # a channel per socket, the room's group
    for communicator in sockets:
        await communicator.disconnect()
    for _ in range(50):
        if not set(await client.pubsub_channels()) - before:
            break
        await asyncio.sleep(0.1)
    assert set(await client.pubsub_channels()) - before == set()
    await client.aclose()
