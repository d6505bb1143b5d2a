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

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Event, vCategory, vDDDTypes, vDuration, vGeo, vInt, vText, vUri

from events import conf
from events.models.occurrences import effective_status
from events.querysets import tags_by_event
from events.vocabulary import AttendanceMode, Kind, OccurrenceStatus
from events.vtimezone import vtimezone
from network.site_url import page_url_function

PRODID = "-//Compagnie des Tiers-lieux//Agenda//FR"
STATUS = {
    OccurrenceStatus.SCHEDULED: "CONFIRMED",
    OccurrenceStatus.POSTPONED: "TENTATIVE",
    OccurrenceStatus.CANCELLED: "CANCELLED",
}
CONTENT_TYPE = "text/calendar; charset=utf-8"
REFRESH = timedelta(hours=6)  # how often subscribers should fetch a feed again
FOLD_AT = 75  # octets: a longer content line is folded (RFC 5545, 3.1)


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
    venue = event.venue if event.venue_id else None
    commune = event.location_commune
    return _location(
        online_url=event.online_url if event.is_online else None,
        venue_title=venue.title if venue is not None else None,
        street_address=venue.street_address if venue is not None else event.street_address,
        postcodes=commune.postcodes if commune is not None else None,
        commune_name=commune.name if commune is not None else None,
    )


def _location(*, online_url, venue_title, street_address, postcodes, commune_name):
    """LOCATION: the online address, else the venue, its street and its commune (first postcode)."""
    if online_url is not None:
        return online_url
    parts = [venue_title, street_address]
    if commune_name is not None:
        postcode = postcodes.split()[0] if postcodes else ""
        parts.append(f"{postcode} {commune_name}".strip())
    return ", ".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class FeedDate:
    """What a VEVENT says of one date, read from an ``Occurrence`` or from a ``values()`` row."""

    id: int
    event_id: int
    title: str
    summary: str
    kind: str
    start: datetime
    end: datetime
    all_day: bool
    status: str  # effective: the event's cancellation or postponement included
    sequence: int
    location: str
    position: tuple | None
    created: datetime
    last_modified: datetime

    @classmethod
    def of(cls, occurrence):
        event = occurrence.event
        return cls(
            id=occurrence.pk,
            event_id=event.pk,
            title=event.title,
            summary=event.summary,
            kind=event.kind,
            start=occurrence.start,
            end=occurrence.end,
            all_day=occurrence.all_day,
            status=occurrence.effective_status,
            sequence=occurrence.ical_sequence,
            location=location_text(event),
            position=event.position,
            created=occurrence.created_at,
            last_modified=last_modified(occurrence),
        )

    @classmethod
    def from_row(cls, row):
        """From a row of ``ROW_COLUMNS``: as ``of()`` reads the joined page instances."""
        has_venue = row["event__venue_id"] is not None
        prefix = (
            "event__venue__commune__" if has_venue and row["event__venue__commune_id"] else "event__commune__"
        )
        online = row["event__attendance_mode"] == AttendanceMode.ONLINE
        position = None
        if has_venue and not online:  # VenuePage.position: its own, else its commune's
            for venue in ("event__venue__", "event__venue__commune__"):
                if row[f"{venue}latitude"] is not None and row[f"{venue}longitude"] is not None:
                    position = (row[f"{venue}latitude"], row[f"{venue}longitude"])
                    break
        return cls(
            id=row["id"],
            event_id=row["event_id"],
            title=row["event__title"],
            summary=row["event__summary"],
            kind=row["event__kind"],
            start=row["start"],
            end=row["end"],
            all_day=row["all_day"],
            status=effective_status(row["status"], row["event__status"]),
            sequence=row["event__sequence"] + row["sequence"],
            location=_location(
                online_url=row["event__online_url"] if online else None,
                venue_title=row["event__venue__title"] if has_venue else None,
                street_address=row["event__venue__street_address" if has_venue else "event__street_address"],
                postcodes=row[f"{prefix}postcodes"],
                commune_name=row[f"{prefix}name"],
            ),
            position=position,
            created=row["created_at"],
            last_modified=latest_change(row["updated_at"], row["event__last_published_at"]),
        )


# What ``FeedDate.from_row`` reads: a listing of hundreds of dates as plain rows, not
# three page instances per date (building them cost more than the rest of the feed).
_COMMUNE = ("postcodes", "name", "latitude", "longitude")
ROW_COLUMNS = (
    *("id", "event_id", "start", "end", "all_day", "status", "sequence", "created_at", "updated_at"),
    *(f"event__{name}" for name in ("title", "summary", "kind", "status", "sequence", "url_path")),
    *(f"event__{name}" for name in ("attendance_mode", "online_url", "street_address", "last_published_at")),
    *(f"event__venue__{name}" for name in ("title", "street_address", "latitude", "longitude")),
    *("event__venue_id", "event__venue__commune_id"),
    *(f"event__{commune}__{name}" for commune in ("venue__commune", "commune") for name in _COMMUNE),
)


def occurrence_component(date, *, url, stamp, categories, tz):
    """The VEVENT of ``date`` (a ``FeedDate``). Values are given as icalendar's own types
    (what ``add()`` would infer from the property's name): hundreds of dates a feed."""
    component = Event()
    component.add("uid", vText(uid_of(date.id, conf.ical_domain())))
    component.add("dtstamp", stamp)
    component.add("sequence", vInt(date.sequence))
    component.add("summary", vText(date.title))
    start, end = timezone.localtime(date.start, tz), timezone.localtime(date.end, tz)
    if date.all_day:
        start, end = start.date(), end.date()
    component.add("dtstart", start)
    component.add("dtend", end)
    component.add("status", vText(STATUS.get(date.status, "CONFIRMED")))
    description = "\n\n".join(part for part in (date.summary, url) if part)
    if description:
        component.add("description", vText(description))
    if date.location:
        component.add("location", vText(date.location))
    if url:
        component.add("url", vUri(url))
    if date.position:
        component.add("geo", vGeo(date.position))
    component.add("categories", vCategory(categories))
    component.add("class", vText("PUBLIC"))
    component.add("created", vDDDTypes(date.created.astimezone(UTC)))
    component.add("last-modified", vDDDTypes(date.last_modified))
    return component


def build_calendar(occurrences, *, name, request=None, url_for=None):
    """The bytes of a VCALENDAR holding ``occurrences``.

    ``occurrences``: a queryset (read as ``values()`` rows, each event's URL
    from its ``url_path``) or a list of occurrences with their events and
    venues joined (each event's URL from ``url_for(event)``, else
    ``event.get_full_url(request)``).
    """
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
    if isinstance(occurrences, QuerySet):
        rows = list(occurrences.values(*ROW_COLUMNS))
        dates = [FeedDate.from_row(row) for row in rows]
        url_of = page_url_function()
        urls = {row["event_id"]: url_of(row["event__url_path"]) for row in rows}
    else:
        occurrences = list(occurrences)
        dates = [FeedDate.of(occurrence) for occurrence in occurrences]
        urls = {}
        for occurrence in occurrences:
            event = occurrence.event
            if event.pk not in urls:
                urls[event.pk] = url_for(event) if url_for else event.get_full_url(request)
    tags = tags_by_event({date.event_id for date in dates})  # one query
    kinds = {code: str(text) for code, text in Kind.choices}
    categories = {}
    tz = ZoneInfo(settings.TIME_ZONE)
    for date in dates:
        if date.event_id not in categories:
            categories[date.event_id] = categories_of(
                kinds[date.kind], [tag for _slug, tag in tags[date.event_id]]
            )
        calendar.add_component(
            occurrence_component(
                date, url=urls[date.event_id], stamp=stamp, categories=categories[date.event_id], tz=tz
            )
        )
    # VTIMEZONE covering the dates of the feed (a year either side), not 1970-2038.
    days = [date.start.date() for date in dates]
    today = stamp.date()
    first, last = min([*days, today]), max([*days, today])
    calendar.subcomponents.insert(0, vtimezone(settings.TIME_ZONE, first.year - 1, last.year + 1))
    return serialize(calendar)


def serialize(calendar):
    """``calendar.to_ical()``, byte for byte, faster: icalendar folds every content line
    one character at a time; a line shorter than the 75 octets that RFC 5545 allows is
    left as it is, so only the longer ones go through the library's folding."""
    lines = []
    for line in calendar.content_lines():
        encoded = line.encode()
        lines.append(encoded if len(encoded) < FOLD_AT else line.to_ical())
    return b"\r\n".join(lines)


def filename_for(text):
    from django.utils.text import slugify

    return f"{slugify(text)[:60] or 'agenda'}.ics"
