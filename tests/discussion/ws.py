"""Helpers for in-process WebSocket tests (WebsocketCommunicator)."""

from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from network.discussion.routing import websocket_urlpatterns

_router = URLRouter(websocket_urlpatterns)


def as_user(user):
    """The discussion routes with ``user`` in the scope, as AuthMiddlewareStack would set it."""

    async def app(scope, receive, send):
        return await _router({**scope, "user": user}, receive, send)

    return app


async def open_socket(user, room, query=""):
    communicator = WebsocketCommunicator(as_user(user), f"/ws/discussions/{room.slug}/{query}")
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


async def next_of(communicator, kind, timeout=3):
    """The next frame of type ``kind`` (a type or a tuple of types), skipping others (presence, typing)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] in kinds:
            return frame


async def frames_until_quiet(communicator, timeout=0.3):
    """Every frame until none comes for ``timeout`` (``receive_nothing`` keeps the app alive)."""
    frames = []
    while not await communicator.receive_nothing(timeout=timeout):
        frames.append(await communicator.receive_json_from())
    return frames
