"""Mentoring e-mails read right: the project name as typed, on one subject line."""

from django.core import mail

from mentoring.tasks import send_mentoring_email
from tests.factories.mentoring import MentoringRequestFactory

PROJECT = "Café R&D\r\nl'atelier <b>"


def test_request_emails_read_as_typed(site_tree, newcomer, staff_user):
    request = MentoringRequestFactory(applicant=newcomer, project_name=PROJECT)
    assert send_mentoring_email.call("submitted", request.pk) == 2
    by_recipient = {email.to[0]: email for email in mail.outbox}
    for email in by_recipient.values():
        assert email.subject.endswith("Demande de compagnonnage reçue : Café R&D l'atelier <b>")
        email.message()  # the headers build: no BadHeaderError
    assert "« Café R&D\r\nl'atelier <b> »" in by_recipient[newcomer.email].body
