"""The WebSocket protocol: frame validation and dispatch to the services.

Synchronous (the consumer calls these through ``database_sync_to_async``).
Every client frame is validated; anything wrong is answered with an error
frame carrying a stable code, never with a dropped socket.

Client -> server::

    {"type": "message", "body": "...", "client_id": "<uuid>"}
    {"type": "message", "body": "", "attachment": N, "client_id": "<uuid>"}   N: an upload's id
    {"type": "reply", "parent": N, "body": "...", "client_id": "<uuid>"}   in N's thread
    {"type": "react", "id": N, "emoji": "👍"}     one of Reaction.EMOJIS
    {"type": "unreact", "id": N, "emoji": "👍"}
    {"type": "edit", "id": N, "body": "..."}
    {"type": "delete", "id": N}
    {"type": "typing"}
    {"type": "read", "id": N}
    {"type": "ping"}                      keeps presence alive (every 30 s)
    {"type": "resync", "after": N, "seq": N}   a gap in seq: send what I missed

Files are uploaded over HTTP first (``POST /discussions/<slug>/fichiers/``,
answered with the upload's id); a ``message`` or ``reply`` frame naming it
with ``attachment`` sends it, and the message frame then carries it.

Resuming: connect to ``/ws/discussions/<slug>/?after=<last id>&seq=<last seq>``.
A replay (on connect or on ``resync``) ends with ``{"type": "synced", "seq": N}``:
the client holds every event up to N. A ping is answered ``{"type": "pong",
"seq": <room's last seq>}``. The error answering a ``message`` frame carries
its ``client_id``, and ``retry_after`` (seconds) when the post may be sent
again (``rate_limited``, ``server_error``); any other code is final.
"""

import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from django.utils.translation import gettext as _

from network.discussion import broadcast, conf, presence, services
from network.discussion.errors import RateLimited, ServiceError, UnknownReaction
from network.discussion.models import Reaction, Room
from network.discussion.payloads import (
    error_payload,
    message_payload,
    pong_payload,
    presence_payload,
    synced_payload,
    typing_payload,
)
from network.discussion.permissions import can_read_room, check_can_post, membership_of
from network.validation import is_id, is_storable_text, parse_id

logger = logging.getLogger(__name__)


class BadFrame(ServiceError):
    code = "bad_frame"


class BadJson(BadFrame):
    code = "bad_json"


class UnknownType(ServiceError):
    code = "unknown_type"


@dataclass
class Outcome:
    """What a frame produced: frames for the sender only, and the ``(group,
    message)`` pairs the consumer sends to the channel layer (committed
    changes and ephemeral events alike)."""

    reply: list = field(default_factory=list)
    broadcasts: list = field(default_factory=list)
    high_water: int | None = None  # set by a replay: the seq the socket now holds up to


def open_room(user, slug):
    """``(room, membership)`` for a socket that may join the room, ``(None, None)``
    when refused (anonymous, unverified, not a member, missing).

    The membership (``None`` for a non-member of an open room) is kept by the
    consumer so the replay that follows does not check it again.
    """
    if user is None or not user.is_authenticated:
        return None, None
    room = Room.objects.filter(slug=slug).first()
    if room is None:
        return None, None
    membership = membership_of(user, room)
    if not can_read_room(user, room, membership):
        return None, None
    return room, membership


def parse_resume(query_string):
    """``(after_id, after_seq)`` from ``?after=<id>&seq=<seq>``; ``(None, None)`` when absent or invalid."""
    if isinstance(query_string, bytes):
        query_string = query_string.decode("latin-1")
    params = parse_qs(query_string or "")

    def number(name):
        raw = params.get(name, [""])[0]
        return 0 if raw == "0" else parse_id(raw)

    after, seq = number("after"), number("seq")
    if after is None and seq is not None:
        after = 0
    return after, seq


def decode_frame(text):
    """The JSON value a text frame holds; BadFrame when too long, not JSON, or
    nested past what the parser takes (the socket stays open)."""
    if len(text) > conf.max_frame_length():
        raise BadFrame(_("Message du protocole trop long."))
    try:
        return json.loads(text)
    except RecursionError:
        raise BadFrame(_("Message du protocole trop imbriqué.")) from None
    except ValueError:
        raise BadJson(_("JSON invalide.")) from None


def _int_field(frame, name):
    value = frame.get(name)
    if not is_id(value):
        raise BadFrame(_("Le champ « %(name)s » doit être un identifiant de message.") % {"name": name})
    return value


def _body_field(frame):
    body = frame.get("body")
    if not isinstance(body, str):
        raise BadFrame(_("Le champ « body » doit être un texte."))
    if not is_storable_text(body):
        raise BadFrame(_("Le champ « body » contient un caractère interdit."))
    return body


def _client_id_field(frame):
    value = frame.get("client_id")
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise BadFrame(_("Le champ « client_id » doit être un UUID."))
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadFrame(_("Le champ « client_id » doit être un UUID.")) from None


def _attachment_field(frame):
    if frame.get("attachment") is None:
        return None
    return _int_field(frame, "attachment")


def _on_message(room, user, frame, outcome, parent=None):
    client_id = _client_id_field(frame)
    try:
        message, created = services.post_message(
            room,
            by=user,
            body=_body_field(frame),
            client_id=client_id,
            parent=parent,
            attachment_id=_attachment_field(frame),
        )
    except RateLimited as error:
        outcome.reply.append(_post_error(error, client_id, retry_after=error.retry_after))
        return
    except ServiceError as error:
        outcome.reply.append(_post_error(error, client_id))
        return
    except Exception:
        logger.exception("discussion: post failed in room %s", room.pk)
        error = ServiceError(_("Une erreur est survenue."), code="server_error")
        outcome.reply.append(_post_error(error, client_id, retry_after=2))
        return
    if not created:  # a retry: acknowledge the original to this client only
        outcome.reply.append(message_payload(message, room=room))


def _on_reply(room, user, frame, outcome):
    parent_id, client_id = _int_field(frame, "parent"), _client_id_field(frame)
    _body_field(frame), _attachment_field(frame)  # the whole frame before the database
    try:
        parent = services.access_message(user, room, parent_id)
    except ServiceError as error:
        outcome.reply.append(_post_error(error, client_id))  # final: the client gives the reply up
        return
    _on_message(room, user, frame, outcome, parent=parent)


def _emoji_field(frame):
    emoji = frame.get("emoji")
    if not isinstance(emoji, str) or emoji not in Reaction.EMOJIS:
        raise UnknownReaction(_("Cette réaction n'est pas proposée."))
    return emoji


def _on_react(room, user, frame, outcome):
    message_id, emoji = _int_field(frame, "id"), _emoji_field(frame)
    services.add_reaction(services.access_message(user, room, message_id), by=user, emoji=emoji)


def _on_unreact(room, user, frame, outcome):
    message_id, emoji = _int_field(frame, "id"), _emoji_field(frame)
    services.remove_reaction(services.access_message(user, room, message_id), by=user, emoji=emoji)


def _post_error(error, client_id, **fields):
    """The error frame of a refused post, naming it so the client retries or gives it up."""
    if client_id is not None:
        fields["client_id"] = str(client_id)
    return error_payload(error.code, error.message, **fields)


def _resume_field(frame, name):
    value = frame.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**53:
        raise BadFrame(_("Le champ « %(name)s » doit être un nombre positif.") % {"name": name})
    return value


def replay(room, user, after_id, after_seq, membership=None):
    """The frames of a replay (what the client missed, then ``synced``) and their high-water seq."""
    frames, high_water = services.replay_events(
        room, by=user, after_id=after_id, after_seq=after_seq, membership=membership
    )
    high_water = max(high_water, after_seq or 0)
    return [*frames, synced_payload(high_water)], high_water


def _on_resync(room, user, frame, outcome):
    outcome.reply, outcome.high_water = replay(
        room, user, _resume_field(frame, "after"), _resume_field(frame, "seq")
    )


def _on_edit(room, user, frame, outcome):
    message_id, body = _int_field(frame, "id"), _body_field(frame)  # the whole frame before the database
    services.edit_message(services.access_message(user, room, message_id), by=user, body=body)


def _on_delete(room, user, frame, outcome):
    message = services.access_message(user, room, _int_field(frame, "id"))
    services.delete_message(message, by=user)


class TypingThrottle:
    """Per socket: passes at most one typing frame every ``conf.typing_interval()``
    seconds; the consumer drops the others before any query or fan-out."""

    def __init__(self, clock=time.monotonic):
        self.clock, self.last = clock, None

    def drops(self, frame):
        if not isinstance(frame, dict) or frame.get("type") != "typing":
            return False
        now = self.clock()
        if self.last is not None and now - self.last < conf.typing_interval():
            return True
        self.last = now
        return False


def _on_typing(room, user, frame, outcome):
    check_can_post(user, room)
    message = broadcast.group_message(broadcast.TYPING, typing_payload(user), user_id=user.pk)
    outcome.broadcasts.append((room.group_name, message))


def _on_read(room, user, frame, outcome):
    services.mark_read(room, by=user, message_id=_int_field(frame, "id"))


def _on_ping(room, user, frame, outcome, channel_name=None):
    outcome.reply.append(pong_payload(Room.objects.values_list("last_seq", flat=True).get(pk=room.pk)))
    if channel_name:
        presence.touch(room.pk, user, channel_name)


HANDLERS = {
    "message": _on_message,
    "reply": _on_reply,
    "react": _on_react,
    "unreact": _on_unreact,
    "edit": _on_edit,
    "delete": _on_delete,
    "typing": _on_typing,
    "read": _on_read,
    "resync": _on_resync,
}


def handle_frame(room, user, frame, channel_name=None):
    """Validate ``frame`` and run it; returns an ``Outcome``. Never raises."""
    outcome = Outcome()
    with broadcast.collected() as committed:
        _dispatch(room, user, frame, channel_name, outcome)
    outcome.broadcasts[:0] = committed
    return outcome


def _dispatch(room, user, frame, channel_name, outcome):
    try:
        if not isinstance(frame, dict):
            raise BadFrame(_("Un message du protocole est un objet JSON."))
        kind = frame.get("type")
        if kind == "ping":
            _on_ping(room, user, frame, outcome, channel_name)
            return
        handler = HANDLERS.get(kind) if isinstance(kind, str) else None
        if handler is None:
            raise UnknownType(_("Type de message inconnu."))
        handler(room, user, frame, outcome)
    except ServiceError as error:
        outcome.reply.append(error_payload(error.code, error.message))
    except Exception:
        logger.exception("discussion: frame failed in room %s", room.pk)
        outcome.reply.append(error_payload("server_error", _("Une erreur est survenue.")))


def join_presence(room, user, channel_name):
    """Register the connection; returns the presence frame the joiner is sent at once."""
    presence.join(room.pk, user, channel_name)
    return presence_payload(presence.present_users(room.pk))


def leave_presence(room, channel_name):
    presence.leave(room.pk, channel_name)


def presence_message(room):
    """The layer message announcing who is in ``room`` now."""
    return broadcast.group_message(broadcast.PRESENCE, presence_payload(presence.present_users(room.pk)))
