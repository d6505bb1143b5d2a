"""The public description of venues, events and dates, as plain dicts for the schemas.

Each function reads a fixed number of queries whatever the number of items:
the rows (events and dates as ``values()``, with their venue and whether the
venue is public joined in), then their tags in one query; the communes and
the sites' root paths are kept per process and content generation. Nothing private is
read: no registration, attendee, organizer contact, discussion or
mentoring, and the ids given are those of published events and dates
(``published_occurrences()``).
"""

import functools
from collections import defaultdict
from datetime import UTC, datetime

from django.db.models import BooleanField, ExpressionWrapper, F, Func, Lookup, Q, TextField
from django.db.models.functions import Cast
from django.db.models.lookups import In
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page, PageViewRestriction

from events import conf, ical
from events.models import EventPage, EventTag, Occurrence
from events.models.occurrences import effective_status
from events.vocabulary import AttendanceMode, EventStatus, Kind, OccurrenceStatus
from members.models import Commune
from members.vocabulary import ACTIVITY_CHOICES
from network.site_url import absolute_url, page_url_function  # noqa: F401 (the endpoints read it here)

COMMUNE_COLUMNS = ("insee_code", "name", "postcodes", "latitude", "longitude")


def label(code, text):
    return {"code": code, "label": str(text)}


def choice_labels(choices):
    """``{code: label}`` of Django ``TextChoices`` in the active language (read-only: kept
    per process and language, the catalogues do not change while it runs)."""
    return _labels(choices, get_language())


def activity_labels():
    """``{code: label}`` of the activities in the active language (read-only)."""
    return _labels(None, get_language())


@functools.lru_cache(maxsize=32)
def _labels(choices, language):
    pairs = ACTIVITY_CHOICES if choices is None else choices.choices
    return {code: str(text) for code, text in pairs}


def venue_result(record, activities):
    """A record of ``members.opendata.venue_records`` as the API's ``Venue``
    (``activities``: ``activity_labels()``)."""

    def activity(code):
        return {"code": code, "label": activities.get(code, code)}

    return {
        **record,
        "main_activity": activity(record["main_activity"]),
        "activities": [activity(code) for code in record["activities"]],
        "commune": (
            {"insee_code": record["insee_code"], "name": record["commune"]} if record["insee_code"] else None
        ),
    }


# -- events and dates, read as ``values()`` rows ------------------------------------------
# A Wagtail page is a heavy object (multi-table, cluster, revisions); a page of 50
# events with their venues built 150 of them and asked each for its URL. The rows
# below are the columns the answer shows, with the venue joined; the communes (95
# rows, changed by the import only) are read once per process and content generation
# (``communes_by_id``): two joins and ten columns less in every row.

# Where the event takes place (``location``), for the events and for the dates.
LOCATION_COLUMNS = (
    "attendance_mode",
    "street_address",
    "online_url",
    "commune_id",
    "venue_id",
    "venue__title",
    "venue__url_path",
    "venue__street_address",
    "venue__latitude",
    "venue__longitude",
    "venue__commune_id",
)
# What an event and each of its dates show alike (with the location and the tags).
SHARED_EVENT_COLUMNS = ("id", "title", "url_path", "summary", "kind", "status")
EVENT_COLUMNS = (
    *SHARED_EVENT_COLUMNS,
    "all_day",
    "is_free",
    "price",
    "audience",
    "accessibility",
    "organizer_name",
    *LOCATION_COLUMNS,
)
# A date shows its event's sequence (added to its own), not the event's times or prices.
OCCURRENCE_EVENT_COLUMNS = (*SHARED_EVENT_COLUMNS, "sequence", *LOCATION_COLUMNS)
OCCURRENCE_COLUMNS = (
    "id",
    "all_day",
    "status",
    "sequence",
    *(f"event__{name}" for name in OCCURRENCE_EVENT_COLUMNS),
)


def communes_by_id(generation=None):
    """``{id: {"insee_code", "name", "postcode", "position"}}`` of every commune.

    Read once per process and content ``generation`` (``members.freshness``; a
    commune saved renews it, ``members.signals``), or at once without one.
    """
    return _communes(generation) if generation is not None else _read_communes()


def _read_communes():
    return {
        pk: {
            "insee_code": insee_code,
            "name": name,
            "postcode": next(iter(postcodes.split()), ""),
            "position": (latitude, longitude) if latitude is not None and longitude is not None else None,
        }
        for pk, insee_code, name, postcodes, latitude, longitude in Commune.objects.order_by().values_list(
            "pk", *COMMUNE_COLUMNS
        )
    }


@functools.lru_cache(maxsize=2)
def _communes(generation):
    return _read_communes()


class _OutsidePrivateSections(Func):
    """``NOT EXISTS`` a view restriction on the page at ``path`` or above it, written as
    SQL of fixed text around the one column: the same condition as the ``Exists`` of a
    ``PageViewRestriction`` queryset, which Django resolved and compiled as a whole
    query (aliases, joins, lookups) each time, twice in a page of events."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        quote = connection.ops.quote_name
        restrictions, pages = PageViewRestriction._meta.db_table, Page._meta.db_table
        page_column = PageViewRestriction._meta.get_field("page").column
        restricted = f"api_restricted_page.{quote('path')}"
        # Table and column names from the models' metadata, quoted: no outside input.
        extra["template"] = (
            f"NOT EXISTS (SELECT 1 FROM {quote(restrictions)} api_restriction"  # noqa: S608
            f" INNER JOIN {quote(pages)} api_restricted_page"
            f" ON api_restriction.{quote(page_column)} = api_restricted_page.{quote('id')}"
            f" WHERE SUBSTR(%(expressions)s, 1, LENGTH({restricted})) = {restricted})"
        )
        return super().as_sql(compiler, connection, **extra)


def outside_private_sections(path="path"):
    """A condition: the page whose ``path`` column is named is in no private section.

    As ``PageQuerySet.public()`` says it (none of the restricted pages nor below
    one), in SQL: ``public()`` reads the restrictions in a query of its own first.
    """
    return _OutsidePrivateSections(F(path))


def published_condition(prefix=""):
    """A condition: the event (``prefix``: the path to it, e.g. ``"event__"``) is live, not
    private and in no private section, as ``EventPage.objects.published()`` says it, with
    joins instead of a subquery of the published ids (less to build, compile and plan)."""
    return Q(**{f"{prefix}live": True, f"{prefix}is_private": False}) & outside_private_sections(
        f"{prefix}path"
    )


@functools.cache
def _published_occurrences():
    return Occurrence.objects.filter(published_condition("event__"))


def published_occurrences():
    """``Occurrence.objects.published()`` (dates of live, public, non-private events),
    with no query of the restrictions beforehand."""
    return _published_occurrences().all()


def public_venue(venue="venue__"):
    """Whether the public may see the venue joined at ``venue`` (a restricted or unpublished
    venue is not named, even when a public event points to it), as
    ``VenuePage.objects.published()`` says it: ``None`` for no venue."""
    return ExpressionWrapper(
        Q(**{f"{venue}live": True}) & outside_private_sections(f"{venue}path"), BooleanField()
    )


def as_text(**columns):
    """``{f"{name}_text": column as text}`` for ``values()``: timestamps read as text and
    parsed by ``moment``. psycopg's loader of timestamps with Django's time zone is
    Python (a few microseconds each, 150-200 in a page); ``fromisoformat`` is C."""
    return {f"{name}_text": Cast(column, TextField()) for name, column in columns.items()}


def moment(text, tz=None):
    """A timestamp read by ``as_text`` as an aware datetime (in ``tz`` when given)."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:  # SQLite: UTC, with no offset written
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz) if tz is not None else value


@functools.cache
def _event_rows():
    rows = EventPage.objects.order_by().filter(published_condition())
    return rows.values(
        *EVENT_COLUMNS,
        venue_public=public_venue(),
        **as_text(start="start", end="end", published="last_published_at"),
    )


@functools.cache
def _occurrence_rows():
    rows = _published_occurrences().order_by()
    times = as_text(start="start", end="end", updated="updated_at", published="event__last_published_at")
    return rows.values(*OCCURRENCE_COLUMNS, venue_public=public_venue("event__venue__"), **times)


# The querysets above are built once per process (resolving some forty columns
# through their joins cost more than running the query); each listing filters a clone.


def event_rows(occurrences):
    """The published events having one of ``occurrences`` (a queryset of dates, published
    or not), as the rows ``event_results`` reads, in no particular order."""
    return _event_rows().filter(pk__in=occurrences.values("event_id"))


def event_row(event_id):
    """The published event ``event_id`` as a row of ``event_rows()`` (none if not published)."""
    return _event_rows().filter(pk=event_id)


def occurrence_rows():
    """The published dates as the rows ``occurrence_results`` reads (to filter)."""
    return _occurrence_rows().all()


class AnyOf(Lookup):
    """``lhs = ANY(%s)``: a list of values as one array parameter on PostgreSQL, where
    ``__in`` prepares and writes a placeholder per value (some ten Python calls an id);
    ``IN`` elsewhere. Used as an expression: ``.filter(AnyOf(F("pk"), ids))``."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, list(self.rhs))


@functools.cache
def _tag_rows():
    """``(event id, slug, name)`` of every event tag, in the order added (built once)."""
    return EventTag.objects.order_by("pk").values_list("content_object_id", "tag__slug", "tag__name")


def tags_by_event(event_ids):
    """``{event id: [(slug, name), ...]}`` for these events, in one query (order added):
    ``events.querysets.tags_by_event`` with the ids as one parameter."""
    tags = defaultdict(list)
    for event_id, slug, name in _tag_rows().filter(AnyOf(F("content_object_id"), event_ids)):
        tags[event_id].append((slug, name))
    return tags


@functools.cache
def _location_keys(p):
    """The row's keys ``location`` reads, for columns prefixed ``p`` (built once)."""
    return tuple(f"{p}{name}" for name in LOCATION_COLUMNS)


def location(row, p, url_of, communes):
    """Where the event of ``row`` (columns prefixed ``p``) takes place: the venue when it is
    public, the address, the commune, the position; as ``events.ical.location_text`` says it.
    ``communes``: ``communes_by_id()`` (a commune added since it was read is not in it, for
    the one request that began before the change: no commune, not an error)."""
    mode, street_address, online_url, commune_id, venue_id, *venue = map(row.__getitem__, _location_keys(p))
    venue_title, venue_url_path, venue_address, venue_latitude, venue_longitude, venue_commune_id = venue
    online = mode == AttendanceMode.ONLINE
    has_venue = venue_id is not None
    public = has_venue and row["venue_public"]
    # As EventPage.location_commune: the venue's commune, else the event's own.
    place = communes.get(venue_commune_id if has_venue and venue_commune_id is not None else commune_id)
    commune = {"insee_code": place["insee_code"], "name": place["name"]} if place else None
    postcode = place["postcode"] if place else ""
    position = None
    if public and not online:  # as VenuePage.position: its own, else its commune's
        if venue_latitude is not None and venue_longitude is not None:
            position = (venue_latitude, venue_longitude)
        elif venue_commune_id in communes:
            position = communes[venue_commune_id]["position"]
    if online:
        text = online_url
    elif public or not has_venue:
        parts = [venue_title, venue_address] if public else [street_address]
        if commune is not None:
            parts.append(f"{postcode} {commune['name']}".strip())
        text = ", ".join(part for part in parts if part)
    else:  # a venue the public cannot see is not named: only its commune
        text = commune["name"] if commune else ""
    return {
        "text": text,
        "venue": {"id": venue_id, "name": venue_title, "url": url_of(venue_url_path)} if public else None,
        "address": "" if online else (venue_address if public else street_address),
        "postcode": postcode,
        "commune": commune,
        "latitude": position[0] if position else None,
        "longitude": position[1] if position else None,
        "online_url": online_url if mode != AttendanceMode.OFFLINE else "",
    }


def event_results(rows, url_of, communes):
    """``event_rows()`` as the API's ``Event`` (two queries: the rows, their tags);
    ``url_of``: ``page_url_function()``, ``communes``: ``communes_by_id()``."""
    rows = list(rows)
    tz = timezone.get_current_timezone()
    tags = tags_by_event([row["id"] for row in rows])
    occurrences_url = absolute_url(reverse("api-1:occurrences"))
    kinds, statuses, modes = choice_labels(Kind), choice_labels(EventStatus), choice_labels(AttendanceMode)
    results = []
    for row in rows:
        url = url_of(row["url_path"])
        results.append(
            {
                "id": row["id"],
                "title": row["title"],
                "url": url,
                "summary": row["summary"],
                "kind": label(row["kind"], kinds[row["kind"]]),
                "status": label(row["status"], statuses[row["status"]]),
                "attendance_mode": label(row["attendance_mode"], modes[row["attendance_mode"]]),
                "tags": [{"slug": slug, "name": name} for slug, name in tags[row["id"]]],
                "location": location(row, "", url_of, communes),
                "start": moment(row["start_text"], tz),
                "end": moment(row["end_text"], tz),
                "all_day": row["all_day"],
                "is_free": row["is_free"],
                "price": row["price"],
                "audience": row["audience"],
                "accessibility": row["accessibility"],
                "organizer_name": row["organizer_name"],
                "occurrences": f"{occurrences_url}?event={row['id']}",
                "ical_url": f"{url}ics/",
                "last_modified": moment(row["published_text"]),
            }
        )
    return results


def occurrence_results(rows, url_of, communes):
    """``occurrence_rows()`` as the API's ``Occurrence`` (the rows, then their events' tags);
    ``url_of``: ``page_url_function()``, ``communes``: ``communes_by_id()``."""
    rows = list(rows)
    tz = timezone.get_current_timezone()
    tags = tags_by_event({row["event__id"] for row in rows})
    domain = conf.ical_domain()
    kinds, statuses = choice_labels(Kind), choice_labels(OccurrenceStatus)
    events, results = {}, []
    for row in rows:
        event_id = row["event__id"]
        if event_id not in events:  # what every date of the event shares
            event_tags = [{"slug": slug, "name": name} for slug, name in tags[event_id]]
            kind = row["event__kind"]
            events[event_id] = {
                "url": url_of(row["event__url_path"]),
                "kind": label(kind, kinds[kind]),
                "categories": ical.categories_of(kinds[kind], [tag["name"] for tag in event_tags]),
                "tags": event_tags,
                "location": location(row, "event__", url_of, communes),
            }
        event = events[event_id]
        status = effective_status(row["status"], row["event__status"])
        results.append(
            {
                "id": row["id"],
                "uid": ical.uid_of(row["id"], domain),
                "event_id": event_id,
                "title": row["event__title"],
                "url": event["url"],
                "summary": row["event__summary"],
                "start": moment(row["start_text"], tz),
                "end": moment(row["end_text"], tz),
                "all_day": row["all_day"],
                "status": label(status, statuses[status]),
                "kind": event["kind"],
                "categories": event["categories"],
                "tags": event["tags"],
                "location": event["location"],
                "sequence": row["event__sequence"] + row["sequence"],
                "last_modified": ical.latest_change(
                    moment(row["updated_text"]), moment(row["published_text"])
                ),
            }
        )
    return results
