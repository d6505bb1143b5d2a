from events.models.occurrences import CalendarToken, Occurrence, Registration
from events.models.pages import EventExtraDate, EventIndexPage, EventPage, EventTag

__all__ = [
    "CalendarToken",
    "EventExtraDate",
    "EventIndexPage",
    "EventPage",
    "EventTag",
    "Occurrence",
    "Registration",
]
