"""Presence announcements, gathered: at most one frame per room, process and
``presence_delay``, however many sockets join or leave meanwhile.

Announcing every join to everyone costs O(N²) frames while N members
connect (a restart, a busy meetup); a gathered announcement carries the
full list read from the shared cache, so it is right across processes.
"""

import asyncio
import logging
import weakref

from asgiref.sync import sync_to_async

from network.discussion import conf, protocol

logger = logging.getLogger(__name__)

_scheduled = weakref.WeakKeyDictionary()  # event loop -> ids of rooms with an announcement due
_running = set()  # tasks in flight (the loop keeps only weak references)


def announce_presence_soon(layer, room):
    """Announce who is in ``room`` after ``presence_delay``, unless already due."""
    loop = asyncio.get_running_loop()
    due = _scheduled.setdefault(loop, set())
    if room.pk in due:
        return
    due.add(room.pk)
    loop.call_later(conf.presence_delay(), _start, layer, room, due)


def _start(layer, room, due):
    due.discard(room.pk)  # joins from now on need an announcement of their own
    task = asyncio.ensure_future(_announce(layer, room))
    _running.add(task)
    task.add_done_callback(_running.discard)


async def _announce(layer, room):
    try:
        message = await sync_to_async(protocol.presence_message)(room)
        await layer.group_send(room.group_name, message)
    except Exception:  # the cache or the layer is down: the next join or leave announces again
        logger.exception("discussion: presence announcement failed in room %s", room.pk)
