"""The room socket: a transport adapter over ``protocol`` and ``services``."""

import asyncio

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from network.discussion import broadcast, protocol
from network.discussion.announce import announce_presence_soon
from network.discussion.payloads import error_payload, resync_payload
from network.discussion.permissions import reload_reader
from network.discussion.transport import FanOutConsumer

CLOSE_FORBIDDEN = 4403
RESYNC_DELAY = 2.0  # seconds: longer than channels_redis takes to re-subscribe after Redis returns
_hints = set()  # resync hints in flight


class RoomConsumer(FanOutConsumer):
    room = None

    async def connect(self):
        user = self.scope.get("user")
        slug = self.scope["url_route"]["kwargs"]["slug"]
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        # Join the groups before reading the database: nothing committed in
        # between can fall through the gap (a right revoked meanwhile is
        # re-checked, duplicate events are dropped by seq).
        await self.channel_layer.group_add(broadcast.user_group(user.pk), self.channel_name)
        room, membership = await database_sync_to_async(protocol.open_room)(user, slug)
        if room is None:
            await self.channel_layer.group_discard(broadcast.user_group(user.pk), self.channel_name)
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.room, self.user, self.high_water = room, user, 0
        self.typing = protocol.TypingThrottle()
        await self.channel_layer.group_add(room.group_name, self.channel_name)
        await self.accept()
        after, seq = protocol.parse_resume(self.scope.get("query_string", b""))
        if after is not None:
            frames, self.high_water = await database_sync_to_async(protocol.replay)(
                room, user, after, seq, membership
            )
            for frame in frames:
                await self.send_json(frame)
        here = await database_sync_to_async(protocol.join_presence)(room, user, self.channel_name)
        await self.send_json(here)  # the others hear of this join in the next gathered announcement
        announce_presence_soon(self.channel_layer, room)

    async def disconnect(self, code):
        if self.room is None:
            return
        await self.channel_layer.group_discard(self.room.group_name, self.channel_name)
        await self.channel_layer.group_discard(broadcast.user_group(self.user.pk), self.channel_name)
        await database_sync_to_async(protocol.leave_presence)(self.room, self.channel_name)
        announce_presence_soon(self.channel_layer, self.room)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_json(error_payload("bad_frame", _("Seuls les messages texte sont acceptés.")))
            return
        try:
            frame = protocol.decode_frame(text_data)
        except protocol.BadFrame as error:
            await self.send_json(error_payload(error.code, error.message))
            return
        await self.receive_json(frame)

    async def receive_json(self, content, **kwargs):
        if self.typing.drops(content):
            return
        outcome = await database_sync_to_async(protocol.handle_frame)(
            self.room, self.user, content, self.channel_name
        )
        if outcome.high_water is not None:
            self.high_water = max(self.high_water, outcome.high_water)
        for frame in outcome.reply:
            await self.send_json(frame)
        for group, message in outcome.broadcasts:
            if not await self.group_send(group, message) and message["type"] == broadcast.EVENT:
                await self.room_event(message)  # the layer is down: at least the author sees it stored

    async def layer_recovered(self, group):
        # Other processes re-subscribe to Redis within about a second of its
        # return and may have missed what was published meanwhile: have every
        # socket of the room check, once they listen again.
        def hint():
            task = asyncio.ensure_future(self.group_send(group, {"type": broadcast.RESYNC}, 1))
            _hints.add(task)  # the loop keeps only weak references to tasks
            task.add_done_callback(_hints.discard)

        asyncio.get_running_loop().call_later(RESYNC_DELAY, hint)

    async def layer_interrupted(self, event):
        await self.send_json(resync_payload())

    async def room_resync(self, event):
        await self.send_json(resync_payload())

    # Group events: frames the services built, encoded once by the sender
    # (``text``); filters read the plain fields beside it, never the text.

    async def room_event(self, event):
        if event.get("seq", 0) <= self.high_water:
            return  # already sent by the replay
        await self.send(text_data=event["text"])

    async def room_typing(self, event):
        if event["user_id"] != self.user.pk:
            await self.send(text_data=event["text"])

    async def room_presence(self, event):
        await self.send(text_data=event["text"])

    async def room_member_removed(self, event):
        if event["user_id"] == self.user.pk:
            await self._removed()

    async def user_recheck(self, event):
        """The user's rights changed: stay (with the user as stored now) or leave."""
        if self.room is None:
            return  # refused at connect
        user = await database_sync_to_async(reload_reader)(self.user.pk, self.room)
        if user is None:
            await self._removed()
            return
        self.user = user

    async def _removed(self):
        await self.send_json(error_payload("removed", _("Vous ne faites plus partie de ce salon.")))
        await self.close(code=CLOSE_FORBIDDEN)
