"""Channel-layer side effects, always sent after the commit of the change they announce."""

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

EVENT = "room.event"  # handled by RoomConsumer.room_event
MEMBER_REMOVED = "room.member_removed"


def _send(group, message):
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, message)


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


def broadcast_event(room, payload):
    """``payload`` to every socket of the room, already encoded (``text``); its
    ``seq`` travels beside it so a consumer filters without parsing the text."""
    on_commit_send(room, {"type": EVENT, "text": encode(payload), "seq": payload.get("seq", 0)})


def broadcast_member_removed(room, user_id):
    on_commit_send(room, {"type": MEMBER_REMOVED, "user_id": user_id})
