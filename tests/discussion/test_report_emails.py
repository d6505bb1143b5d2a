"""A reported message is e-mailed only to people who may read its room."""

from django.core import mail

from network.discussion import services
from network.discussion.models import RoomMembership
from network.discussion.moderation import report_message
from tests.factories import VerifiedUserFactory


def test_private_room_report_reaches_only_its_readers(
    private_room, member, other_member, staff_user, django_capture_on_commit_callbacks
):
    """Staff outside a private room (a mentoring pairing's) never get its messages."""
    services.add_room_member(private_room, other_member)
    moderator = VerifiedUserFactory(display_name="Modératrice")
    services.add_room_member(private_room, moderator, role=RoomMembership.Role.MODERATOR)
    message, _ = services.post_message(private_room, by=member, body="Secret R&D <b>")
    with django_capture_on_commit_callbacks(execute=True):
        report_message(message, by=other_member, reason="Spam")
    assert [email.to for email in mail.outbox] == [[moderator.email]]
    assert "Secret R&D <b>" in mail.outbox[0].body and "&amp;" not in mail.outbox[0].body


def test_private_room_report_reaches_staff_who_are_members(
    private_room, member, other_member, staff_user, django_capture_on_commit_callbacks
):
    services.add_room_member(private_room, other_member)
    services.add_room_member(private_room, staff_user)
    message, _ = services.post_message(private_room, by=member, body="Hors sujet")
    with django_capture_on_commit_callbacks(execute=True):
        report_message(message, by=other_member)
    assert [email.to for email in mail.outbox] == [[staff_user.email]]


def test_public_room_report_reaches_staff_and_moderators_in_their_language(
    room, member, other_member, staff_user, django_capture_on_commit_callbacks
):
    moderator = VerifiedUserFactory(language="en")
    services.add_room_member(room, moderator, role=RoomMembership.Role.MODERATOR)
    message, _ = services.post_message(room, by=member, body="Hors sujet")
    with django_capture_on_commit_callbacks(execute=True):
        report_message(message, by=other_member)
    subjects = {email.to[0]: email.subject for email in mail.outbox}
    assert set(subjects) == {staff_user.email, moderator.email}
    assert "Message signalé dans « Fab labs »" in subjects[staff_user.email]
    assert "Fab labs" in subjects[moderator.email]
    assert "signalé" not in subjects[moderator.email]
