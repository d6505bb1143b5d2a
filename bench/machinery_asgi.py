"""The socket servers of bench/machinery_bench.py: production's ASGI application,
with one piece of custom machinery swapped for the library's public API.

    BENCH_CONSUMER=channels   the room consumer on Channels' own loop
                              (``AsyncConsumer.__call__`` and ``dispatch``)
                              instead of ``FanOutConsumer``'s
    BENCH_GC_FREEZE=0         no ``gc.freeze()`` after start-up
    BENCH_GC_LOG=<path>       every collection's time, generation and pause (ms),
                              written
                              there as JSON when the process exits

Everything else (routes, middleware, services) is production's.
"""

import gc
import json
import os
import time

from network.asgi import application as site_application  # runs network.startup.settle()
from network.asgi import django_asgi_app

if os.environ.get("BENCH_GC_FREEZE") == "0":
    gc.unfreeze()

application = site_application

if os.environ.get("BENCH_CONSUMER") == "channels":
    from channels.auth import AuthMiddlewareStack
    from channels.consumer import AsyncConsumer
    from channels.routing import ProtocolTypeRouter, URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator
    from django.urls import path

    from network.discussion.consumers import RoomConsumer

    class ChannelsLoopRoomConsumer(RoomConsumer):
        """The same handlers, on Channels' loop: ``asyncio.wait`` over the socket and
        the layer, and ``aclose_old_connections()`` before every handler."""

        __call__ = AsyncConsumer.__call__
        dispatch = AsyncConsumer.dispatch

    routes = [path("ws/discussions/<slug:slug>/", ChannelsLoopRoomConsumer.as_asgi())]
    application = ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(routes))),
        }
    )

if os.environ.get("BENCH_GC_LOG"):
    # One line per collection, written as it ends: the server is stopped by a
    # signal, so nothing can wait for the exit.
    gc_log, started = open(os.environ["BENCH_GC_LOG"], "a", buffering=1), {}  # noqa: SIM115

    def _time_collections(phase, info):
        if phase == "start":
            started["at"] = (time.perf_counter(), time.thread_time())
        elif "at" in started:
            wall, cpu = started.pop("at")
            pause, cpu = (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000
            gc_log.write(json.dumps([time.time(), info["generation"], pause, cpu]) + "\n")

    gc.callbacks.append(_time_collections)
