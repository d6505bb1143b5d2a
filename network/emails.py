"""Plain-text e-mails: every subject and text body of the site is built here.

E-mails are plain text, so nothing in them is HTML-escaped: a title "R&D
l'atelier" reads "R&D l'atelier", not "R&amp;D l&#x27;atelier". Templates
are rendered with autoescaping off, whatever they say, and a subject is one
line of printable text (a header with a newline makes Django refuse the whole
e-mail with ``BadHeaderError``).
"""

import html
import unicodedata

from django.conf import settings
from django.template import Context, Engine
from django.utils.text import Truncator

SUBJECT_MAX_LENGTH = 150


def subject_line(text, *, max_length=SUBJECT_MAX_LENGTH):
    """``text`` as one e-mail subject line: HTML entities decoded, control
    characters and line breaks turned into spaces, runs of white space
    collapsed, truncated to ``max_length`` characters (with "…")."""
    text = html.unescape(str(text))
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    # str.split() also splits on the Unicode line and paragraph separators.
    return Truncator(" ".join(text.split())).chars(max_length)


def prefixed_subject(text):
    """``subject_line`` behind the site's subject prefix (``ACCOUNT_EMAIL_SUBJECT_PREFIX``)."""
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return subject_line(prefix + str(text))


def render_text(template_name, context):
    """Render a ``.txt`` template as plain text: autoescaping off."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def render_email(template_prefix, context):
    """``(subject, body)`` from ``<template_prefix>_subject.txt`` and ``_body.txt``."""
    subject = prefixed_subject(render_text(f"{template_prefix}_subject.txt", context))
    body = render_text(f"{template_prefix}_body.txt", context)
    return subject, body
