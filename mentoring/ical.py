"""The planned visit of a pairing as an iCalendar file, built by ``events.ical``."""

from django.utils.translation import gettext as _

from events import ical


def visit_file(occurrence, *, url):
    """The bytes of the .ics of the visit ``occurrence``; ``url`` is the pairing page."""
    return ical.build_calendar([occurrence], name=_("Visite du lieu compagnon"), url_for=lambda _event: url)


def visit_filename(occurrence):
    return ical.filename_for(occurrence.event.title)


def visit_calendar(pairing, *, url):
    """``(bytes, filename)`` of the visit's .ics, or ``None`` when no visit is planned.

    ``url`` is the pairing page: the visit's own page is a private draft nobody can open.
    """
    occurrence = pairing.visit_occurrence()
    if occurrence is None:
        return None
    return visit_file(occurrence, url=url), visit_filename(occurrence)
