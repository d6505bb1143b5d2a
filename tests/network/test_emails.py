"""E-mails read right: plain-text subjects on one line, bodies not HTML-escaped."""

import pytest
from django.core import mail

from network.emails import render_text, subject_line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Visite de l'atelier", "Visite de l'atelier"),
        ("R&amp;D l&#x27;impression", "R&D l'impression"),
        ("<img src=x> & co", "<img src=x> & co"),
        ("a\r\nb", "a b"),
        ("a\nb\rc\td\x00e\x1bf\u2028g\x85h", "a b c d e f g h"),
        ("   plenty   of\n\n  space  ", "plenty of space"),
    ],
)
def test_subject_line_is_one_line_of_plain_text(text, expected):
    assert subject_line(text) == expected


def test_subject_line_is_truncated():
    subject = subject_line("mot " * 100, max_length=40)
    assert len(subject) == 40 and subject.endswith("…")


def test_render_text_never_escapes(tmp_path, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]},
    ]
    (tmp_path / "sample.txt").write_text(
        "{% load i18n %}{{ name }} {% blocktranslate %}à {{ name }}{% endblocktranslate %}"
    )
    assert render_text("sample.txt", {"name": "R&D <b>l'atelier</b>"}) == (
        "R&D <b>l'atelier</b> à R&D <b>l'atelier</b>"
    )


def test_mention_email_subject_is_one_line(db, django_capture_on_commit_callbacks):
    from network.discussion import services
    from network.discussion.models import Room
    from tests.factories import VerifiedUserFactory

    author = VerifiedUserFactory(display_name="Camille")
    reader = VerifiedUserFactory(display_name="Sacha Martin")
    room = services.create_room(kind=Room.Kind.TOPIC, title="R&D\r\nl'atelier", by=None)
    services.set_mention_emails(room, by=reader, enabled=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(room, by=author, body="@SachaMartin R&D ?")
    [message] = mail.outbox
    assert "\n" not in message.subject and "R&D l'atelier" in message.subject
    assert "R&D ?" in message.body and "&amp;" not in message.body
    message.message()  # builds the headers: no BadHeaderError
