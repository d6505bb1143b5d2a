"""The JSON frames the server sends; built here so views, services and the
consumer agree on one shape."""

from django.urls import reverse

from network.discussion.rendering import time_label, time_title


def _iso(value):
    return value.isoformat() if value else None


_LOOKUP = object()


def message_payload(message, *, room=None, attachment=_LOOKUP):
    """``{"type": "message", ...}`` for a new, edited, deleted, hidden or reacted-to message.

    A deleted or hidden message keeps its id and seq but carries no text and
    no reactions. ``parent`` is the id of the message a reply belongs under
    (``None`` for a message of the room itself); ``reactions`` lists each emoji
    with who reacted: ``[{"emoji": "👍", "users": [{"id": 1, "name": "…"}]}]``;
    ``attachment`` is the attached file (``attachment_payload``) or ``None``:
    read from the message (joined by ``for_display``) unless the caller, who
    just stored it, passes it.
    """
    room = room or message.room
    gone = message.deleted or message.hidden
    if gone:
        attachment = None  # and no query for it
    elif attachment is _LOOKUP:
        attachment = getattr(message, "attachment", None)
    return {
        "type": "message",
        "id": message.pk,
        "seq": message.seq,
        "room": room.slug,
        "author": {"id": message.author_id, "name": message.author.display_name},
        "html": "" if gone else message.html,
        "body": "" if gone else message.body,
        "created": _iso(message.created),
        "time": time_label(message.created),  # shown as is: the page renders the same
        "time_title": time_title(message.created),
        "edited": _iso(message.edited),
        "deleted": gone,
        "hidden": message.hidden,
        "client_id": str(message.client_id) if message.client_id else None,
        "parent": message.parent_id,
        "reactions": [] if gone else message.reactions,
        "attachment": attachment_payload(attachment, room),
    }


def attachment_payload(attachment, room):
    """``{"id", "name", "size", "type", "kind", "url", "thumbnail", "width", "height"}``
    of a file (``thumbnail`` is the URL of an image's thumbnail, else ``None``)."""
    if attachment is None:
        return None
    args = [room.slug, attachment.pk]
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "size": attachment.size,
        "type": attachment.content_type,
        "kind": attachment.kind,
        "url": reverse("discussion:attachment_file", args=args),
        "thumbnail": reverse("discussion:attachment_thumbnail", args=args) if attachment.thumbnail else None,
        "width": attachment.width,
        "height": attachment.height,
    }


def error_payload(code, detail="", **fields):
    return {"type": "error", "code": code, "detail": str(detail), **fields}


def synced_payload(seq):
    """Sent after a replay: the client has every event of the room up to ``seq``."""
    return {"type": "synced", "seq": seq}


def resync_payload():
    """A hint: the socket may have missed events (the channel layer lost Redis); ask with ``resync``."""
    return {"type": "resync"}


def pong_payload(seq):
    """The answer to a ping: the room's last event, so a client that missed one asks for it."""
    return {"type": "pong", "seq": seq}


def typing_payload(user):
    return {"type": "typing", "user": {"id": user.pk, "name": user.display_name}}


def presence_payload(users):
    return {"type": "presence", "users": users}
