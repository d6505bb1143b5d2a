"""The room socket: a transport adapter over ``protocol`` and ``services``."""

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from network.discussion import protocol, services
from network.discussion.announce import announce_presence_soon
from network.discussion.payloads import error_payload
from network.discussion.transport import FanOutConsumer

CLOSE_FORBIDDEN = 4403


class RoomConsumer(FanOutConsumer):
    room = None

    async def connect(self):
        user = self.scope.get("user")
        slug = self.scope["url_route"]["kwargs"]["slug"]
        room, membership = await database_sync_to_async(protocol.open_room)(user, slug)
        if room is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.room, self.user, self.high_water = room, user, 0
        self.typing = protocol.TypingThrottle()
        # Join the group before reading the database: nothing committed in
        # between can fall through the gap; duplicates are dropped by seq.
        await self.channel_layer.group_add(room.group_name, self.channel_name)
        await self.accept()
        after, seq = protocol.parse_resume(self.scope.get("query_string", b""))
        if after is not None:
            frames, self.high_water = await database_sync_to_async(services.replay_events)(
                room, by=user, after_id=after, after_seq=seq, membership=membership
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
        for frame in outcome.reply:
            await self.send_json(frame)
        for group, message in outcome.broadcasts:
            await self.channel_layer.group_send(group, message)

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
            await self.send_json(error_payload("removed", _("Vous ne faites plus partie de ce salon.")))
            await self.close(code=CLOSE_FORBIDDEN)
