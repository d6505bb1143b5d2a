"""Settings of the events app, each with a default (settings files stay untouched)."""

from django.conf import settings


def _get(name, default):
    return getattr(settings, name, default)


def per_page():
    """Occurrences per page of the calendar and the archives."""
    return _get("EVENTS_PER_PAGE", 30)


def max_occurrences():
    """Ceiling on the occurrences a recurrence rule may generate."""
    return _get("EVENTS_MAX_OCCURRENCES", 200)


def recurrence_horizon_days():
    """An open-ended rule generates occurrences this many days ahead."""
    return _get("EVENTS_RECURRENCE_HORIZON_DAYS", 365)


def feed_past_days():
    """The public feed keeps the occurrences of the last N days ("recent")."""
    return _get("EVENTS_FEED_PAST_DAYS", 30)


def feed_max_items():
    return _get("EVENTS_FEED_MAX_ITEMS", 500)


def ical_domain():
    """Right-hand side of the stable UIDs (never change it once feeds are public)."""
    return _get("EVENTS_ICAL_DOMAIN", "compagnie-tiers-lieux.example.org")


def reminder_hours():
    """The reminder goes out for occurrences starting within this many hours."""
    return _get("EVENTS_REMINDER_HOURS", 24)


def home_meetups():
    return _get("EVENTS_HOME_MEETUPS", 3)


def venue_events():
    return _get("EVENTS_VENUE_EVENTS", 5)


def hold_minutes():
    """A visitor's seat is held this long for them to follow the confirmation link."""
    return _get("EVENTS_HOLD_MINUTES", 30)


def guest_data_days():
    """Visitors' names, e-mails and answers are erased this many days after the date."""
    return _get("EVENTS_GUEST_DATA_DAYS", 30)


def visitor_rate_limit():
    """(posts, seconds): how many registrations without an account one client may send."""
    return _get("EVENTS_VISITOR_RATE_LIMIT", (10, 3600))


def unconfirmed_proposal_days():
    """A visitor's event proposal never confirmed is deleted (with its draft page) this many days on."""
    return _get("EVENTS_UNCONFIRMED_PROPOSAL_DAYS", 7)
