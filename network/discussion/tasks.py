"""Emails of the discussion space, off the request path (django-tasks)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import send_mail, send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from network.site_url import absolute_url


def _absolute(path):
    return absolute_url(path)


@task()
def send_mention_email(mention_id):
    from network.discussion.models import Mention

    mention = (
        Mention.objects.select_related("user", "message__author", "message__room")
        .filter(pk=mention_id)
        .first()
    )
    if mention is None or not mention.message.visible:
        return
    message, user = mention.message, mention.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("%(name)s vous a mentionné dans « %(room)s »") % {
            "name": message.author.display_name,
            "room": message.room.title,
        }
        body = _("%(name)s a écrit :\n\n%(body)s\n\nRépondre : %(url)s") % {
            "name": message.author.display_name,
            "body": message.body,
            "url": _absolute(message.room.get_absolute_url()),
        }
    send_mail(subject, body, None, [user.email])


@task()
def notify_report(report_id):
    """Email staff and the room's moderators that a message was reported."""
    from network.discussion.models import Report, RoomMembership

    report = (
        Report.objects.select_related("reporter", "message__author", "message__room")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return
    room = report.message.room
    staff = Group.objects.filter(name=settings.STAFF_GROUP_NAME).values_list("user__email", flat=True)
    moderators = RoomMembership.objects.filter(room=room, role=RoomMembership.Role.MODERATOR).values_list(
        "user__email", flat=True
    )
    recipients = sorted({email for email in [*staff, *moderators] if email})
    if not recipients:
        return
    subject = _("Message signalé dans « %(room)s »") % {"room": room.title}
    body = _(
        "%(reporter)s a signalé un message de %(author)s :\n\n%(body)s\n\nMotif : %(reason)s\n\n%(url)s"
    ) % {
        "reporter": report.reporter.display_name,
        "author": report.message.author.display_name,
        "body": report.message.body,
        "reason": report.reason or "-",
        "url": _absolute(reverse("discussion:room_detail", args=[room.slug]) + f"#m{report.message_id}"),
    }
    send_mass_mail([(subject, body, None, [email]) for email in recipients])
