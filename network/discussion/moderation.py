"""Reports and moderation: services too (re-exported by ``services``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from network.discussion import broadcast
from network.discussion.errors import MessageNotFound, NotAllowed
from network.discussion.models import Message, ModerationAction, Report
from network.discussion.payloads import message_payload
from network.discussion.permissions import can_moderate_room, can_read_room


@transaction.atomic
def report_message(message, *, by, reason=""):
    """A reader reports a message; staff and the room's moderators are emailed after the commit.

    Reporting twice returns the first report.
    """
    from network.discussion.tasks import notify_report

    if not can_read_room(by, message.room):
        raise MessageNotFound(_("Ce message n'existe pas."))
    if message.author_id == by.pk:
        raise NotAllowed(_("Vous ne pouvez pas signaler votre propre message."), code="own_message")
    report, created = Report.objects.get_or_create(
        message=message, reporter=by, defaults={"reason": (reason or "").strip()[:1000]}
    )
    if created:
        transaction.on_commit(lambda: notify_report.enqueue(report.pk), robust=True)
    return report


@transaction.atomic
def hide_message(message, *, by, reason="", hidden=True):
    """A moderator hides (or restores) a message for everyone, with an audit row."""
    from network.discussion.services import _next_seq

    if not can_moderate_room(by, message.room):
        raise NotAllowed(_("Seuls les modérateurs peuvent masquer un message."))
    room = _next_seq(message.room)
    message = Message.objects.select_for_update().select_related("author").get(pk=message.pk)
    if message.hidden == hidden:
        return message
    message.hidden, message.seq = hidden, room.last_seq
    message.save(update_fields=["hidden", "seq"])
    ModerationAction.objects.create(
        room=room,
        message=message,
        actor=by,
        action=ModerationAction.Action.HIDE if hidden else ModerationAction.Action.UNHIDE,
        reason=(reason or "").strip()[:1000],
    )
    if hidden:
        message.reports.update(resolved=True)
    broadcast.broadcast_event(room, message_payload(message, room=room))
    return message
