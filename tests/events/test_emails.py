"""Event e-mails read right: the title as typed, in the subject and the body."""

from django.core import mail

from events import services

TITLE = "Atelier R&D : l'impression <3D>"


def test_registration_email_shows_the_title_as_typed(make_event, member, django_capture_on_commit_callbacks):
    event = make_event(title=TITLE, slug="atelier-rd", capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.register_for_event(event.occurrences.get(), by=member)
    [email] = mail.outbox
    assert email.subject.endswith(f"Inscription confirmée : {TITLE}")
    assert f"Votre inscription à « {TITLE} » est confirmée." in email.body
    assert "&amp;" not in email.body + email.subject and "&#x27;" not in email.body + email.subject
