"""Through the project's real ASGI stack: origin check, session auth, Redis layer."""

import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from network.asgi import application
from network.discussion import services
from network.discussion.models import Message
from tests.discussion.ws import next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


def _headers(client=None, origin="http://localhost"):
    headers = [(b"origin", origin.encode())]
    if client is not None:
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


async def _connect(path, headers):
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _code = await communicator.connect(timeout=5)
    return communicator, connected


async def test_session_authenticates_the_socket(client, member, room):
    await database_sync_to_async(client.force_login)(member)
    communicator, connected = await _connect(f"/ws/discussions/{room.slug}/", _headers(client))
    assert connected
    await communicator.send_json_to({"type": "message", "body": "Par la session"})
    assert (await next_of(communicator, "message"))["author"]["id"] == member.pk
    await communicator.disconnect()


async def test_foreign_origin_is_refused(client, member, room):
    await database_sync_to_async(client.force_login)(member)
    headers = _headers(client, origin="https://evil.example")
    _communicator, connected = await _connect(f"/ws/discussions/{room.slug}/", headers)
    assert not connected


async def test_no_session_is_refused(room):
    _communicator, connected = await _connect(f"/ws/discussions/{room.slug}/", _headers())
    assert not connected


@pytest.mark.redis
async def test_broadcast_through_the_redis_channel_layer(settings, redis_url, room, member, other_member):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
        }
    }
    sender, _, _ = await open_socket(member, room)
    reader, _, _ = await open_socket(other_member, room)
    await sender.send_json_to({"type": "message", "body": "Via Redis", "client_id": str(uuid.uuid4())})
    frame = await next_of(reader, "message", timeout=5)
    assert frame["id"] == (await database_sync_to_async(Message.objects.get)()).pk
    message = await database_sync_to_async(Message.objects.get)()
    await database_sync_to_async(services.edit_message)(message, by=member, body="Via Redis, modifié")
    assert (await next_of(reader, "message", timeout=5))["html"] == "<p>Via Redis, modifié</p>"
    await sender.disconnect()
    await reader.disconnect()


@pytest.mark.redis
async def test_post_from_a_process_without_event_loop_reaches_sockets(settings, redis_url, room, member):
    """A page worker (gunicorn, no event loop) posts through the form; the socket
    servers deliver it through the Redis pub/sub layer."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
        }
    }
    reader, _, _ = await open_socket(member, room)

    def post_from_a_page_worker(body):
        message, _created = services.post_message(room, by=member, body=body)
        return message.pk

    for body in ("Depuis le formulaire", "Et encore"):
        posted = await asyncio.to_thread(post_from_a_page_worker, body)
        frame = await next_of(reader, "message", timeout=5)
        assert (frame["id"], frame["body"]) == (posted, body)
    await reader.disconnect()
