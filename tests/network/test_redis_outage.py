"""Redis down is not the site down, and Redis back needs no restart.

Production's cache and channel-layer settings (``network.settings.base``) on
a private ``redis-server`` that each test stops and starts (never the
machine's shared one). What fails open: the page cache, the fragments and
figures, presence (misses). What does not: the rate limits, which move to
the database cache while Redis is down. A message posted from the plain form
is stored; its live broadcast waits for Redis.
"""

import asyncio
import json
import logging
from html import unescape

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from members.page_cache import CACHE_HEADER
from network.discussion import presence, services
from network.discussion.errors import RateLimited
from network.discussion.models import Message, Room
from network.settings.base import redis_caches, redis_channel_layers
from tests.factories.members import PASSWORD
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.django_db

HEALTHY = (200, {"status": "ok", "checks": dict.fromkeys(("database", "cache", "channel_layer"), "ok")})
TIMEOUT = 0.5  # seconds: connection attempts and commands, small so that the tests stay fast


@pytest.fixture
def redis(settings, private_redis):
    """The site on the private Redis, as in production."""
    settings.CACHES = redis_caches(private_redis.url, timeout=TIMEOUT)
    settings.CHANNEL_LAYERS = redis_channel_layers(private_redis.url, timeout=TIMEOUT)
    return private_redis


@pytest.fixture
def venue(site_tree):
    return VenuePageFactory(parent=site_tree["lieux"], title="La Coroutine", slug="la-coroutine")


@pytest.fixture
def room(db):
    return services.create_room(kind=Room.Kind.TOPIC, title="Fab labs", by=None)


def redis_client(server):
    import redis

    return redis.Redis.from_url(server.url)


def _pages(venue):
    return ["/", "/lieux/", venue.url, "/agenda/", "/compagnonnage/"]


def _health(client):
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


def _post_message(client, room, body):
    return client.post(reverse("discussion:message_post", args=[room.slug]), {"body": body})


def test_pages_are_served_uncached_while_redis_is_down(redis, venue):
    redis.stop()
    for url in _pages(venue):
        response = Client().get(url)
        assert response.status_code == 200, url
    assert "La Coroutine" in Client().get("/lieux/").content.decode()
    # Nothing could be stored: every anonymous request renders the page.
    assert Client().get("/lieux/")[CACHE_HEADER] == "miss"


def test_login_works_while_redis_is_down(redis, client, member):
    redis.stop()
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200


def test_login_rate_limit_holds_in_the_database_while_redis_is_down(redis, client, member):
    redis.stop()
    for attempt in range(6):
        response = client.post("/accounts/login/", {"login": member.email, "password": f"faux-{attempt}"})
    assert "Trop de tentatives de connexion" in unescape(response.content.decode())
    # The right password is refused too, until the limit expires: the failures were counted.
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_chat_form_stores_the_message_while_redis_is_down(
    redis, client, member, room, django_capture_on_commit_callbacks, caplog
):
    client.force_login(member)
    redis.stop()
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = _post_message(client, room, "Quelqu'un a une découpeuse laser ?")
    message = Message.objects.get(room=room)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#m{message.pk}")
    assert message.body == "Quelqu'un a une découpeuse laser ?"
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert any("broadcast" in text and room.group_name in text for text in warnings)
    page = client.get(reverse("discussion:room_detail", args=[room.slug]))
    assert page.status_code == 200
    assert "découpeuse laser" in page.content.decode()


def test_discussion_rate_limit_holds_in_the_database_while_redis_is_down(redis, settings, member, room):
    # The limit counts per fixed window: a day's, so that the three posts cannot
    # straddle two windows (a minute's did, once in a CI run, near :59).
    settings.DISCUSSION_RATE_LIMIT = (2, 86400)
    redis.stop()
    services.post_message(room, by=member, body="Un")
    services.post_message(room, by=member, body="Deux")
    with pytest.raises(RateLimited):
        services.post_message(room, by=member, body="Trois")
    assert Message.objects.filter(room=room).count() == 2


def test_healthz_answers_503_naming_redis_while_it_is_down(redis, client):
    assert _health(client) == HEALTHY
    redis.stop()
    status, body = _health(client)
    assert status == 503
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert "redis" in body["checks"]["cache"]
    assert "redis" in body["checks"]["channel_layer"]


def test_presence_fails_open_while_redis_is_down(redis, member):
    redis.stop()
    presence.join(7, member, "specific.a")
    presence.touch(7, member, "specific.a")
    assert presence.present_users(7) == []  # nobody shown, nothing broken
    presence.leave(7, "specific.a")
    redis.start()
    presence.touch(7, member, "specific.a")  # the socket's next ping registers it again
    assert presence.present_users(7) == [{"id": member.pk, "name": member.display_name}]


def test_only_rate_limit_keys_fall_back_to_the_database(redis):
    cache, fallback = caches["default"], caches["rate_limits"]
    cache.set("allauth:rl:probe", [1.0], 60)
    cache.set("members:probe", "page", 60)
    assert cache.get("allauth:rl:probe") == [1.0]
    assert fallback.get("allauth:rl:probe") is None  # kept in Redis while it answers

    redis.stop()
    assert cache.get("members:probe") is None  # a miss
    assert cache.set("members:probe", "page", 60) is None
    assert fallback.get("members:probe") is None  # pages never go to the database
    assert cache.add("allauth:rl:probe", [2.0], 60) is True
    assert cache.add("allauth:rl:probe", [3.0], 60) is False  # add is still add
    assert cache.get("allauth:rl:probe") == [2.0] == fallback.get("allauth:rl:probe")
    cache.add("discussion:rate:1:0", 0, timeout=60)
    assert cache.incr("discussion:rate:1:0") == 1
    assert cache.delete("allauth:rl:probe") is True

    redis.start()  # empty, as after a restart
    assert cache.get("discussion:rate:1:0") is None  # read from Redis again
    cache.set("discussion:rate:1:0", 5, 60)
    assert fallback.get("discussion:rate:1:0") == 1
    assert redis_client(redis).keys("*discussion:rate:1:0")


async def test_one_channel_layer_recovers_when_redis_is_back(redis):
    """The same layer (one process's event loop) before, during and after an outage."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("room-outage", channel)
    await layer.group_send("room-outage", {"type": "room.event", "n": 1})
    assert (await asyncio.wait_for(layer.receive(channel), timeout=5))["n"] == 1

    await sync_to_async(redis.stop)()
    with pytest.raises(RedisConnectionError):
        await layer.group_send("room-outage", {"type": "room.event", "n": 2})

    await sync_to_async(redis.start)()
    await layer.group_send("room-outage", {"type": "room.event", "n": 3})  # publishing works at once
    # The subscription comes back with the receiver's next reconnection (within
    # about a second; what is published before that is not heard: docs/deploy.md).
    receiving = asyncio.ensure_future(layer.receive(channel))
    for _attempt in range(50):  # 10 s at most
        await layer.group_send("room-outage", {"type": "room.event", "n": 4})
        done, _pending = await asyncio.wait({receiving}, timeout=0.2)
        if done:
            break
    assert receiving.done(), "the layer never heard its group again"
    assert receiving.result()["n"] in (3, 4)
    await layer.flush()


async def _broadcast_reaches_a_subscriber(client, room, body, capture):
    """Post ``body`` from the plain form while a channel of the room's group listens."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(room.group_name, channel)

    def post():
        with capture(execute=True):
            return _post_message(client, room, body)

    response = await sync_to_async(post)()
    assert response.status_code == 302
    event = await asyncio.wait_for(layer.receive(channel), timeout=5)
    await layer.group_discard(room.group_name, channel)
    return json.loads(event["text"])


def test_everything_recovers_when_redis_is_back_without_a_restart(
    redis, client, member, venue, room, django_capture_on_commit_callbacks
):
    visitor = Client()
    assert visitor.get("/lieux/")[CACHE_HEADER] == "miss"
    assert visitor.get("/lieux/")[CACHE_HEADER] == "hit"
    client.force_login(member)

    redis.stop()
    assert visitor.get("/lieux/")[CACHE_HEADER] == "miss"
    assert _health(client)[0] == 503
    with django_capture_on_commit_callbacks(execute=True):
        assert _post_message(client, room, "Pendant la panne").status_code == 302

    redis.start()  # an empty Redis, as after a restart without persistence
    assert visitor.get("/lieux/")[CACHE_HEADER] == "miss"
    assert visitor.get("/lieux/")[CACHE_HEADER] == "hit"
    assert _health(client) == HEALTHY
    payload = async_to_sync(_broadcast_reaches_a_subscriber)(
        client, room, "Après la panne", django_capture_on_commit_callbacks
    )
    assert (payload["type"], payload["body"]) == ("message", "Après la panne")
    assert Message.objects.filter(room=room).count() == 2
    # The rate limits count in Redis again.
    Client().post("/accounts/login/", {"login": member.email, "password": "faux"})
    assert redis_client(redis).keys("*allauth:rl:*")


def _commands_run(server):
    """``{command: calls}`` since the last ``CONFIG RESETSTAT`` (the test's own asking aside)."""
    stats = redis_client(server).info("commandstats")
    calls = {name.removeprefix("cmdstat_"): stat["calls"] for name, stat in stats.items()}
    return {name: count for name, count in calls.items() if name != "info" and not name.startswith("config")}


def test_an_api_answer_from_the_cache_costs_one_redis_command(redis, settings, venue):
    settings.API_RATE_LIMIT = (3, 60)
    visitor = Client(REMOTE_ADDR="198.51.100.4")
    assert visitor.get("/api/v1/figures")[CACHE_HEADER] == "miss"
    redis_client(redis).config_resetstat()
    response = visitor.get("/api/v1/figures")
    assert (response.status_code, response[CACHE_HEADER]) == (200, "hit")
    # The rate limit's count and the page cache's lookup in one script (INCR and MGET in it,
    # counted too); a new connection's handshake aside.
    commands = _commands_run(redis)
    handshake = {name for name in commands if name in ("hello", "select") or name.startswith("client")}
    assert {name: commands[name] for name in set(commands) - handshake} == {
        "evalsha": 1,
        "incr": 1,
        "mget": 1,
    }
    (counter,) = redis_client(redis).keys("*api:rl:198.51.100.4:*")
    assert int(redis_client(redis).get(counter)) == 2
    assert 0 < redis_client(redis).ttl(counter) <= 61
    assert visitor.get("/api/v1/figures").status_code == 200
    assert visitor.get("/api/v1/figures").status_code == 429


def test_api_rate_limit_holds_in_the_database_while_redis_is_down(redis, settings, venue):
    settings.API_RATE_LIMIT = (2, 60)
    redis.stop()
    visitor = Client(REMOTE_ADDR="198.51.100.5")
    answers = [visitor.get("/api/v1/figures") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[1][CACHE_HEADER] == "miss"  # nothing could be stored
    redis.start()  # an empty Redis: a new count
    assert visitor.get("/api/v1/figures").status_code == 200
    assert redis_client(redis).keys("*api:rl:198.51.100.5:*")
