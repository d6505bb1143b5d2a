"""Channel-layer messages, always sent after the commit of the change they announce.

A service announces a change with ``broadcast_event``; the message leaves
once the transaction commits. Called from the socket (``protocol.handle_frame``
runs inside ``collected()``), the committed messages are handed back to the
consumer, which sends them from the event loop; called from a view or a
command, they are sent right away. The database thread never waits on the
event loop.
"""

import contextlib
import contextvars
import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

EVENT = "room.event"  # handled by RoomConsumer.room_event
TYPING = "room.typing"
PRESENCE = "room.presence"
MEMBER_REMOVED = "room.member_removed"
RESYNC = "room.resync"  # sockets may have missed events: each asks for a replay
RECHECK = "user.recheck"  # a user's rights changed: each of their sockets checks its room again

logger = logging.getLogger(__name__)

_collector = contextvars.ContextVar("discussion_broadcasts", default=None)


@contextlib.contextmanager
def collected():
    """Hold the ``(group, message)`` pairs committed inside the block instead of sending them."""
    pending = []
    token = _collector.set(pending)
    try:
        yield pending
    finally:
        _collector.reset(token)


def _send(group, message):
    pending = _collector.get()
    if pending is not None:
        pending.append((group, message))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception as error:  # noqa: BLE001 - any layer failure (Redis down...): the change is stored
        # Live delivery waits; every client gets the change from the database
        # when its socket (re)connects and replays.
        kind, reason = message["type"], f"{type(error).__name__}: {error}"
        logger.warning("discussion: broadcast of %s to %s failed (%s)", kind, group, reason)


def on_commit_send(room, message):
    """Send ``message`` to the room's group once the current transaction commits.

    ``robust``: the change is stored whatever happens to the broadcast; a
    client that missed it gets it from the database when it reconnects.
    """
    group = room.group_name
    transaction.on_commit(lambda: _send(group, message), robust=True)


def encode(payload):
    """The text frame of ``payload``, encoded once for every socket of the group."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def group_message(kind, payload, **fields):
    """A layer message carrying ``payload`` already encoded (``text``) and the
    plain ``fields`` consumers filter on without parsing the text."""
    return {"type": kind, "text": encode(payload), **fields}


def broadcast_event(room, payload):
    """``payload`` to every socket of the room; its ``seq`` travels beside the text
    so a consumer drops what its replay already sent."""
    on_commit_send(room, group_message(EVENT, payload, seq=payload.get("seq", 0)))


def broadcast_member_removed(room, user_id):
    on_commit_send(room, {"type": MEMBER_REMOVED, "user_id": user_id})


def user_group(user_id):
    """Channel-layer group of every socket a user holds, whatever the room."""
    return f"discussion.user.{user_id}"


def broadcast_recheck(user_id):
    """After the commit, have every socket of the user check again that it may stay in its room."""
    group = user_group(user_id)
    transaction.on_commit(lambda: _send(group, {"type": RECHECK}), robust=True)
