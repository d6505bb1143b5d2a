"""Emails of the discussion space, off the request path (django-tasks)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, send_mail, send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from network.discussion.permissions import can_read_room, is_verified, sees_every_public_room
from network.emails import prefixed_subject, render_text
from network.permissions import staff_members
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
        subject = prefixed_subject(
            _("%(name)s vous a mentionné dans « %(room)s »")
            % {"name": message.author.display_name, "room": message.room.title}
        )
        body = _("%(name)s a écrit :\n\n%(body)s\n\nRépondre : %(url)s") % {
            "name": message.author.display_name,
            "body": message.body,
            "url": _absolute(message.room.get_absolute_url()),
        }
    send_mail(subject, body, None, [user.email])


@task()
def notify_report(report_id):
    """Email staff and the room's moderators that a message was reported, each
    in their language; only people who may read the room get its message (a
    private room's staff outsiders hear nothing of it). A message reported in
    a direct conversation goes to staff, with the moderation screen's link:
    the conversation itself stays closed to them."""
    from network.discussion.models import Report, RoomMembership

    report = (
        Report.objects.select_related("reporter", "message__author", "message__room")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return 0
    room = report.message.room
    User = get_user_model()
    candidates = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(pk__in=staff_members().values("pk"))
            | Q(room_memberships__room=room, room_memberships__role=RoomMembership.Role.MODERATOR)
        )
    )
    if room.is_direct:
        recipients = [user for user in candidates.distinct().order_by("email") if is_verified(user)]
        recipients = [user for user in recipients if sees_every_public_room(user)]
        url = _absolute(reverse("discussion_moderation:report", args=[report.pk]))
    else:
        recipients = [user for user in candidates.distinct().order_by("email") if can_read_room(user, room)]
        url = _absolute(reverse("discussion:room_detail", args=[room.slug]) + f"#m{report.message_id}")
    emails = []
    for user in recipients:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = prefixed_subject(_("Message signalé dans « %(room)s »") % {"room": room.title})
            body = _(
                "%(reporter)s a signalé un message de %(author)s :\n\n%(body)s\n\nMotif : %(reason)s\n\n%(url)s"  # noqa: E501
            ) % {
                "reporter": report.reporter.display_name,
                "author": report.message.author.display_name,
                "body": report.message.body,
                "reason": report.reason or "-",
                "url": url,
            }
        emails.append((subject, body, None, [user.email]))
    return send_mass_mail(emails)


@task()
def send_digest_email(user_id, since):
    """The daily digest of ``user_id``: every source's items since ``since`` (ISO
    date), with a one-click unsubscribe (RFC 8058). Nothing to say, no e-mail."""
    from datetime import datetime

    from network.discussion import digest

    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return 0
    sections = digest.collect(user, datetime.fromisoformat(since))
    if not sections:
        return 0
    unsubscribe = digest.unsubscribe_url(user)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        count = sum(len(items) for _label, items in sections)
        subject = prefixed_subject(
            ngettext("%(count)s message vous attend", "%(count)s messages vous attendent", count)
            % {"count": count}
        )
        body = render_text(
            "discussion/email/digest_body.txt",
            {"user": user, "sections": sections, "unsubscribe_url": unsubscribe},
        )
    email = EmailMessage(
        subject,
        body,
        None,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return email.send()
