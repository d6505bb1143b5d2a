"""Typed, range-checked values taken at the edge (query strings, posted
fields, socket frames, imported rows): each either gives a clean value or
says no, so nothing malformed reaches the database or a template."""

import re
from datetime import timedelta

from django.utils import timezone

# Identifiers: what JavaScript numbers hold exactly, well inside PostgreSQL's bigint.
MAX_ID = 2**53
_ASCII_DIGITS = re.compile(r"[0-9]{1,16}")
# A lone UTF-16 surrogate cannot be encoded to UTF-8 (PostgreSQL, files, e-mails).
_UNENCODABLE = re.compile("[\x00\ud800-\udfff]")


def parse_id(raw):
    """The positive integer id written in ``raw`` (ASCII digits only), or None.

    ``str.isdigit()`` is not enough: it accepts ``²`` and other digits that
    ``int()`` refuses, and numbers past any database column."""
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def is_id(value):
    """Whether a decoded JSON value is a usable id (an int, not a bool, in 1..MAX_ID)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def is_storable_text(value):
    """Whether ``value`` is a str free of NUL and of lone surrogates."""
    return isinstance(value, str) and _UNENCODABLE.search(value) is None


def within_years(moment, *, past=None, future=None):
    """Whether an aware datetime lies between ``past`` years ago and ``future`` years ahead."""
    now = timezone.now()
    if past is not None and moment < now - timedelta(days=365 * past):
        return False
    return future is None or moment <= now + timedelta(days=365 * future)
