"""Tunables of the compagnonnage, read from settings with defaults.

Each is a function so that tests (and ``override_settings``) see changes.
"""

from datetime import timedelta

from django.conf import settings

from mentoring.matching import Weights


def weights():
    """Engine weights: ``MENTORING_WEIGHTS`` overrides some fields of ``matching.Weights``."""
    return Weights(**getattr(settings, "MENTORING_WEIGHTS", {}))


def answer_delay():
    """How long a mentor venue has to accept or decline an approved proposal."""
    return timedelta(days=getattr(settings, "MENTORING_ANSWER_DAYS", 14))


def suggestion_count():
    """Suggestions shown per request in the staff view."""
    return getattr(settings, "MENTORING_SUGGESTIONS", 5)


def auto_next_suggestion():
    """After a decline or an expiry, queue the next suggestion for staff review."""
    return getattr(settings, "MENTORING_AUTO_NEXT_SUGGESTION", True)


def visit_duration():
    """Length of a planned visit to the mentor venue (its event's end)."""
    return timedelta(minutes=getattr(settings, "MENTORING_VISIT_MINUTES", 120))


def visit_max_years_ahead():
    """How far ahead a visit may be planned: the coming months, not the year 9999
    (whose calendar file and e-mail could not be written)."""
    return getattr(settings, "MENTORING_VISIT_MAX_YEARS_AHEAD", 2)
