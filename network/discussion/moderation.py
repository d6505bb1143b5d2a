"""Reports and moderation: services too (re-exported by ``services``)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.discussion import broadcast
from network.discussion.errors import MessageNotFound, Muted, NotAllowed
from network.discussion.models import Message, ModerationAction, Report, RoomMembership
from network.discussion.payloads import message_payload
from network.discussion.permissions import can_moderate_reported, can_read_room


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

    if not can_moderate_reported(by, message.room, message=message):
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


@transaction.atomic
def dismiss_report(report, *, by, reason=""):
    """A moderator closes the reports of a message without hiding it, with an audit row."""
    message = report.message
    if not can_moderate_reported(by, message.room, message=message):
        raise NotAllowed(_("Seuls les modérateurs peuvent classer un signalement."))
    if message.reports.filter(resolved=False).update(resolved=True):
        ModerationAction.objects.create(
            room=message.room,
            message=message,
            actor=by,
            action=ModerationAction.Action.DISMISS,
            reason=(reason or "").strip()[:1000],
        )
    return report


@transaction.atomic
def mute_member(room, member, *, by, until, reason=""):
    """A moderator stops ``member`` from posting in ``room`` until ``until`` (``None``
    gives them the floor back), with an audit row."""
    if not can_moderate_reported(by, room, author=member):
        raise NotAllowed(_("Seuls les modérateurs peuvent réduire un membre au silence."))
    if member.pk == by.pk:
        raise NotAllowed(_("Vous ne pouvez pas vous réduire vous-même au silence."), code="self")
    if until is not None and until <= timezone.now():
        raise NotAllowed(_("Choisissez une fin dans le futur."), code="past")
    membership, _created = RoomMembership.objects.select_for_update().get_or_create(room=room, user=member)
    membership.muted_until = until
    membership.save(update_fields=["muted_until"])
    ModerationAction.objects.create(
        room=room,
        member=member,
        actor=by,
        action=ModerationAction.Action.MUTE if until else ModerationAction.Action.UNMUTE,
        reason=(reason or "").strip()[:1000],
    )
    return membership


def check_not_muted(user, room):
    """Raise ``Muted`` while a moderator keeps ``user`` silent in ``room``."""
    until = (
        RoomMembership.objects.filter(room=room, user=user, muted_until__gt=timezone.now())
        .values_list("muted_until", flat=True)
        .first()
    )
    if until is not None:
        local = timezone.localtime(until)
        raise Muted(
            _("Un modérateur vous a réduit au silence dans ce salon jusqu'au %(date)s.")
            % {"date": local.strftime("%d/%m/%Y %H:%M")}
        )
