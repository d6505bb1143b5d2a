"""iCalendar (RFC 5545) feeds of occurrences, built with the ``icalendar`` library.

One VEVENT per occurrence: a stable UID (``occurrence-<id>@<domain>``), a
SEQUENCE that grows with each published change, STATUS:CANCELLED for a
cancelled date, and a VTIMEZONE for Europe/Paris whose changes of time are
yearly RRULEs (``events.vtimezone``), which every client reads alike.
CATEGORIES holds the kind of event then its tags, LOCATION the full postal
address, GEO the venue's position, LAST-MODIFIED the later of the date's
own change and its event's publication: what aggregators (OpenAgenda, the
Métropole's agenda) read (docs/data.md). ``REFRESH-INTERVAL`` (RFC 7986)
and ``X-PUBLISHED-TTL`` (Outlook, Google) tell subscribers how often to
come back. The library escapes text, folds lines at 75 octets and ends
them with CRLF.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from events import conf
from events.querysets import tags_by_event
from events.vocabulary import Kind, OccurrenceStatus
from events.vtimezone import vtimezone

PRODID = "-//Compagnie des Tiers-lieux//Agenda//FR"
STATUS = {
    OccurrenceStatus.SCHEDULED: "CONFIRMED",
    OccurrenceStatus.POSTPONED: "TENTATIVE",
    OccurrenceStatus.CANCELLED: "CANCELLED",
}
CONTENT_TYPE = "text/calendar; charset=utf-8"
REFRESH = timedelta(hours=6)  # how often subscribers should fetch a feed again


def uid_of(occurrence_id, domain):
    """The UID of the date ``occurrence_id``; ``domain``: ``conf.ical_domain()``, read once a listing."""
    return f"occurrence-{occurrence_id}@{domain}"


def occurrence_uid(occurrence):
    return uid_of(occurrence.pk, conf.ical_domain())


def latest_change(updated_at, event_published_at):
    """LAST-MODIFIED of a date from its own change and its event's publication (in UTC)."""
    return max(moment for moment in (updated_at, event_published_at) if moment is not None).astimezone(UTC)


def last_modified(occurrence):
    """When this date last changed as the feeds show it: the date itself or its event's publication."""
    return latest_change(occurrence.updated_at, occurrence.event.last_published_at)


def categories_of(kind_label, tag_names=()):
    """CATEGORIES: the kind of event (translated), then its tags, without repeats."""
    return list(dict.fromkeys([kind_label, *tag_names]))


def categories(event, tag_names=(), kind_labels=None):
    """CATEGORIES of ``event``.

    ``kind_labels``: ``{code: label}`` already translated, for a listing
    (``get_kind_display()`` costs far more, once per event).
    """
    kind = kind_labels[event.kind] if kind_labels else str(event.get_kind_display())
    return categories_of(kind, tag_names)


def location_text(event):
    """Full postal form of where the event takes place, for LOCATION."""
    if event.is_online:
        return event.online_url
    parts = []
    if event.venue_id and event.venue is not None:
        parts.append(event.venue.title)
        parts.append(event.venue.street_address)
    else:
        parts.append(event.street_address)
    commune = event.location_commune
    if commune is not None:
        parts.append(f"{commune.postcode_list[0] if commune.postcodes else ''} {commune.name}".strip())
    return ", ".join(part for part in parts if part)


def occurrence_component(occurrence, *, url, stamp, tag_names=(), kind_labels=None):
    event = occurrence.event
    tz = ZoneInfo(settings.TIME_ZONE)
    component = Event()
    component.add("uid", occurrence_uid(occurrence))
    component.add("dtstamp", stamp)
    component.add("sequence", occurrence.ical_sequence)
    component.add("summary", event.title)
    if occurrence.all_day:
        component.add("dtstart", timezone.localtime(occurrence.start, tz).date())
        component.add("dtend", timezone.localtime(occurrence.end, tz).date())
    else:
        component.add("dtstart", timezone.localtime(occurrence.start, tz))
        component.add("dtend", timezone.localtime(occurrence.end, tz))
    component.add("status", STATUS.get(occurrence.effective_status, "CONFIRMED"))
    description = "\n\n".join(part for part in (event.summary, url) if part)
    if description:
        component.add("description", description)
    location = location_text(event)
    if location:
        component.add("location", location)
    if url:
        component.add("url", url)
    position = event.position
    if position:
        component.add("geo", position)
    component.add("categories", categories(event, tag_names, kind_labels))
    component.add("class", "PUBLIC")
    component.add("created", occurrence.created_at.astimezone(UTC))
    component.add("last-modified", last_modified(occurrence))
    return component


def build_calendar(occurrences, *, name, request=None, url_for=None):
    """The bytes of a VCALENDAR holding ``occurrences`` (with their events and venues joined)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    stamp = datetime.now(UTC).replace(microsecond=0)
    urls, days = {}, []
    occurrences = list(occurrences)
    tags = tags_by_event({occurrence.event_id for occurrence in occurrences})  # one query
    kinds = {code: str(text) for code, text in Kind.choices}
    for occurrence in occurrences:
        days.append(occurrence.start.date())
        event = occurrence.event
        if event.pk not in urls:
            urls[event.pk] = url_for(event) if url_for else event.get_full_url(request)
        names = [name for _slug, name in tags[event.pk]]
        component = occurrence_component(
            occurrence, url=urls[event.pk], stamp=stamp, tag_names=names, kind_labels=kinds
        )
        calendar.add_component(component)
    # VTIMEZONE covering the dates of the feed (a year either side), not 1970-2038.
    today = stamp.date()
    first, last = min([*days, today]), max([*days, today])
    calendar.subcomponents.insert(0, vtimezone(settings.TIME_ZONE, first.year - 1, last.year + 1))
    return calendar.to_ical()


def filename_for(text):
    from django.utils.text import slugify

    return f"{slugify(text)[:60] or 'agenda'}.ics"
