"""``/healthz``: is every service the site needs answering?

200 when every one answers; 503 otherwise, naming what is down, e.g.
``"cache": "error: redis unreachable (ConnectionError)"``. The Redis cache
ignores its errors (a miss keeps the pages serving), so its check asks
Redis itself.
"""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_redis import get_redis_connection
from django_redis.cache import RedisCache

LAYER_TIMEOUT = 5  # seconds for the channel layer's round trip


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        get_redis_connection("default").ping()
        return
    key = f"healthz:{uuid.uuid4().hex}"
    backend.set(key, "ok", timeout=10)
    if backend.get(key) != "ok":
        raise RuntimeError("cache did not return the value it was given")
    backend.delete(key)


async def _round_trip(layer):
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "healthz.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "healthz.ping":
        raise RuntimeError("channel layer returned another message")


def check_channel_layer():
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    async_to_sync(asyncio.wait_for)(_round_trip(layer), LAYER_TIMEOUT)


def _service(backend):
    """What a backend talks to, as an operator names it."""
    talks_to_redis = any("redis" in cls.__module__ for cls in type(backend).__mro__)
    return "redis" if talks_to_redis else type(backend).__name__


CHECKS = {
    "database": (check_database, lambda: connection.vendor),
    "cache": (check_cache, lambda: _service(caches["default"])),
    "channel_layer": (check_channel_layer, lambda: _service(get_channel_layer())),
}


def run_checks():
    """Return ``{name: "ok" | "error: <service> unreachable (<exception>)"}`` for every service."""
    results = {}
    for name, (check, service) in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            results[name] = f"error: {service()} unreachable ({exc.__class__.__name__})"
        else:
            results[name] = "ok"
    return results


@never_cache
@require_GET
def healthz(request):
    results = run_checks()
    healthy = all(state == "ok" for state in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
