"""Message text -> clean HTML, and the ``@mention`` rule.

Light Markdown (links, emphasis, code, lists) rendered by ``markdown`` with
its raw-HTML processors removed (HTML the author types comes out as text),
then passed through ``network.sanitize.sanitize_html`` all the same.

Mentions: ``@`` followed by a member's display name written without spaces,
case-insensitive: "Camille Membre" is mentioned by ``@CamilleMembre`` or
``@camillemembre``.
"""

import re

import markdown
from django.conf import settings
from django.utils import dateformat, timezone, translation
from markdown.extensions import Extension

from network.sanitize import sanitize_html

MENTION_RE = re.compile(r"(?<![\w@])@([\w·'.\-]{2,80})")


class _NoRawHtml(Extension):
    """Treat HTML tags typed in a message as text, not markup."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


_EXTENSIONS = [_NoRawHtml(), "sane_lists", "fenced_code", "nl2br"]


def render_body(body):
    """Return the sanitized HTML of a message ``body`` (plain text with light Markdown)."""
    rendered = markdown.markdown(body, extensions=_EXTENSIONS, output_format="html")
    return sanitize_html(rendered)


def mention_handle(display_name):
    """The handle that mentions a member: the display name without whitespace, lowercased."""
    return re.sub(r"\s+", "", display_name or "").lower()


def mentioned_handles(body):
    """Lowercased handles written in ``body`` (trailing punctuation dropped), in order, unique."""
    seen = []
    for match in MENTION_RE.finditer(body):
        handle = match.group(1).rstrip(".'-").lower()
        if handle and handle not in seen:
            seen.append(handle)
    return seen


# One timestamp format, the same on the page and in the frames (the client
# shows what the server wrote): the site's language and time zone.
TIME_FORMAT = "j N, H:i"  # "1 déc., 07:34"
TIME_TITLE_FORMAT = "l j F Y, H:i"  # "mardi 1 décembre 2026, 07:34"


def _format_time(value, fmt):
    if not value:
        return ""
    if translation.get_language() == settings.LANGUAGE_CODE:  # a room of messages: no switch each
        return dateformat.format(timezone.localtime(value), fmt)
    with translation.override(settings.LANGUAGE_CODE):
        return dateformat.format(timezone.localtime(value), fmt)


def time_label(value):
    """The short timestamp of a message, in the site's language and time zone."""
    return _format_time(value, TIME_FORMAT)


def time_title(value):
    """The full date of a message (its ``title``), in the site's language and time zone."""
    return _format_time(value, TIME_TITLE_FORMAT)
