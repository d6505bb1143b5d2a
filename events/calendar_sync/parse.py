"""ICS text -> one ``FeedEvent`` per UID with its dates in a window (no Django model).

``x_wr_timezone.to_standard`` first repairs Google's X-WR-TIMEZONE calendars,
then ``recurring_ical_events`` expands RRULE, RDATE, EXDATE and RECURRENCE-ID
overrides. Floating times are read in the site's time zone; an all-day event
keeps its days (DTEND is exclusive in iCalendar, inclusive on the site).

OpenAgenda's export (``events.v2.ics``) writes one VEVENT per timing, its UID
``<agenda>//<event>//<start in UTC>``, and no URL property: the event's page
ends the DESCRIPTION (`` - voir plus: <url>``). The timings of one event are
gathered under ``<agenda>//<event>``, so a moved timing moves a date of the
same page instead of cancelling it and creating another; the link becomes
the event's ``url``.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import recurring_ical_events
import x_wr_timezone
from django.utils.translation import gettext_lazy as _

from events.calendar_sync.fetch import FeedError


@dataclass
class FeedEvent:
    uid: str
    title: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    all_day: bool = False
    # (start, end) aware datetimes; for all-day events, local midnight of the first
    # and of the last day
    slots: list = field(default_factory=list)
    cancelled_slots: list = field(default_factory=list)

    def source_hash(self):
        data = [
            self.uid,
            self.title,
            self.description,
            self.location,
            self.url,
            self.cancelled,
            self.all_day,
            [(s.isoformat(), e.isoformat()) for s, e in self.slots],
            [(s.isoformat(), e.isoformat()) for s, e in self.cancelled_slots],
        ]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def looks_like_ics(content):
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:15].upper() == b"BEGIN:VCALENDAR"


def _text(component, name):
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value).strip()


# "<series>//20270130T090000Z" (OpenAgenda today) or "<series>//2027-01-30//09:00:00" (its older export)
_TIMING_UID = re.compile(r"^(?P<series>.+?)//(?P<timing>\d{8}T\d{6}Z|\d{4}-\d{2}-\d{2}//\d{2}:\d{2}:\d{2})$")
_SEE_MORE = re.compile(
    r"\s*-\s*(?:voir plus|see more|mehr sehen)\s*:\s*(?P<url>https?://\S+)\s*$", re.IGNORECASE
)


def _series_uid(uid, start):
    """The UID of the event a per-timing UID belongs to, when its last part is its own start."""
    match = _TIMING_UID.match(uid)
    if match is None or not isinstance(start, datetime) or start.tzinfo is None:
        return uid
    utc = start.astimezone(UTC)
    if match["timing"] in (f"{utc:%Y%m%dT%H%M%SZ}", f"{utc:%Y-%m-%d//%H:%M:%S}"):
        return match["series"]
    return uid


def _description_and_link(description, url):
    """OpenAgenda's "<text> - voir plus: <url>" as the text and the link (a URL property wins)."""
    match = _SEE_MORE.search(description)
    if match is None:
        return description, url
    return description[: match.start()].strip(), url or match["url"]


def _aware(value, tz):
    """A DTSTART/DTEND value as an aware datetime; floating times are local times."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    return datetime.combine(value, time.min).replace(tzinfo=tz)


def _slot(occurrence, tz):
    start = occurrence.get("DTSTART").dt
    end_prop = occurrence.get("DTEND")
    end = end_prop.dt if end_prop is not None else None
    all_day = isinstance(start, date) and not isinstance(start, datetime)
    if all_day:
        last = (end - timedelta(days=1)) if isinstance(end, date) and end > start else start
        return True, _aware(start, tz), _aware(last, tz)
    start_at = _aware(start, tz)
    end_at = _aware(end, tz) if end is not None else start_at
    return False, start_at, max(start_at, end_at)


def parse_feed(content, *, tz, window_start, window_end, max_per_event=200):
    """``{uid: FeedEvent}`` of the events with a date in the window; ``FeedError`` if not ICS."""
    if not looks_like_ics(content):
        raise FeedError(_("Ce n'est pas un calendrier iCalendar (ICS)."))
    try:
        calendar = icalendar.Calendar.from_ical(content)
        calendar = x_wr_timezone.to_standard(calendar)
        occurrences = recurring_ical_events.of(calendar, skip_bad_series=True).between(
            window_start, window_end
        )
    except Exception as error:  # noqa: BLE001 — a malformed feed of any kind must not break the sync
        raise FeedError(_("Le calendrier est mal formé : %(error)s") % {"error": str(error)[:200]}) from None
    events = {}
    for occurrence in occurrences:
        if occurrence.name != "VEVENT" or occurrence.get("DTSTART") is None:
            continue
        uid = _text(occurrence, "UID")
        if not uid:
            continue
        uid = _series_uid(uid, occurrence.get("DTSTART").dt)
        event = events.get(uid)
        recurrence_id = occurrence.get("RECURRENCE-ID")
        if event is None or recurrence_id is None:
            # the master's text wins over an override's
            description, url = _description_and_link(
                _text(occurrence, "DESCRIPTION"), _text(occurrence, "URL")
            )
            fields = {
                "title": _text(occurrence, "SUMMARY")[:255] or str(_("Sans titre")),
                "description": description,
                "location": _text(occurrence, "LOCATION"),
                "url": url,
            }
            if event is None:
                event = events[uid] = FeedEvent(uid=uid, **fields)
            elif recurrence_id is None:
                for name, value in fields.items():
                    setattr(event, name, value)
        all_day, start, end = _slot(occurrence, tz)
        event.all_day = event.all_day or all_day
        cancelled = _text(occurrence, "STATUS").upper() == "CANCELLED"
        target = event.cancelled_slots if cancelled else event.slots
        if len(event.slots) + len(event.cancelled_slots) < max_per_event:
            target.append((start, end))
    for event in events.values():
        event.slots.sort()
        event.cancelled_slots.sort()
        event.cancelled = not event.slots and bool(event.cancelled_slots)
    return events
