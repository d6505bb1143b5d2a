"""``/api/v1/``: the public, read-only API (django-ninja; see docs/api.md).

Thin operations: the filters are the directory's and the calendar's own
(``members.directory``, ``events.calendar``), the querysets the published
ones, the records built by ``api.records``. Every answer is the same for
every visitor (no authentication, nothing per user), so the page cache
(``members.page_cache.cache_for_everyone``) stores it for everyone until
the next committed change. CORS, the rate limit and ``304 Not Modified``
are ``api.middleware``'s.
"""

import hashlib

from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query
from ninja.decorators import decorate_view
from ninja.errors import ValidationError

from api import records, schemas
from api.docs import PlainDocs
from api.errors import BadParameters, error_body, form_errors, parameter_errors
from api.pagination import in_order, page_of, page_of_rows
from api.rendering import JSONRenderer, validated_response
from events import calendar as cal
from events.models import Occurrence
from members.directory import apply_filters
from members.figures import compute_figures
from members.forms import VenueFilterForm
from members.freshness import request_generation
from members.models import VenuePage
from members.opendata import geojson_of, venue_records, venue_records_by_id
from members.page_cache import cache_for_everyone
from members.vocabulary import activity_label
from network.validation import MAX_ID

api = NinjaAPI(
    title="Compagnie des Tiers-lieux",
    version="1",
    description=(
        "The venues, events and figures of the network, read-only: public data only, "
        "under the Licence Ouverte 2.0 (Etalab). Labels follow Accept-Language (fr, en)."
    ),
    urls_namespace="api-1",
    docs=PlainDocs(),
    docs_url="/",
    openapi_url="/openapi.json",
    renderer=JSONRenderer(),
)
ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}


def with_etag(view):
    """A weak ``ETag`` from the body of every 200 (stored with it by the page cache)."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("ETag"):
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'W/"{digest}"'
        response.setdefault("Cache-Control", "public, no-cache")  # keep it, ask again with the ETag
        return response

    return wrapped


def cached(*params):
    """Stored by the page cache when the query string holds only ``params``; with an ETag."""
    return decorate_view(cache_for_everyone(params), with_etag)


def _url_function(request):
    """Pages' absolute URLs, the sites read once per process and content generation."""
    return records.page_url_function(request_generation(request))


def _communes(request):
    """The communes, read once per process and content generation."""
    return records.communes_by_id(request_generation(request))


def field_names(schema):
    return tuple(schema.model_fields)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    return api.create_response(request, error_body(parameter_errors(exc)), status=400)


@api.exception_handler(BadParameters)
def bad_parameters(request, exc):
    return api.create_response(request, error_body(exc.errors), status=400)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Introuvable."), "errors": []}, status=404)


# -- venues --------------------------------------------------------------------------


def _published_venues():
    """``VenuePage.objects.published()``, the private sections checked in SQL (``public()``
    reads them in a query of its own first)."""
    return VenuePage.objects.live().filter(records.outside_private_sections())


def _filtered_venues(filters):
    """The directory's filters (``VenueFilterForm``), each bad value a 400 naming it."""
    data = QueryDict(mutable=True)
    for name in ("q", "commune", "activity", "tag"):
        if getattr(filters, name):
            data[name] = getattr(filters, name)
    for name in ("qpv", "mentoring", "accessible"):
        if getattr(filters, name):
            data[name] = "1"
    form = VenueFilterForm(data)
    if not form.is_valid():
        raise BadParameters(form_errors(form))
    return apply_filters(form, _published_venues())


def _venue_results(rows, changed):
    """``rows`` (``venue_records``) as the API's ``Venue``; ``changed``: ``{id: last_published_at}``."""
    activities = records.activity_labels()
    return [
        {**records.venue_result(row, activities), "last_modified": changed.get(row["id"])} for row in rows
    ]


@api.get("/venues", response={200: schemas.VenueList, **ERRORS}, url_name="venues", tags=["venues"])
@cached(*field_names(schemas.VenueFilters))
def list_venues(request, filters: Query[schemas.VenueFilters]):
    """Published venues, by name, with the directory's filters."""
    rows, meta = page_of(request, _filtered_venues(filters), filters, "last_published_at")
    changed = dict(rows)  # in the page's order
    results = _venue_results(venue_records_by_id(list(changed), _url_function(request)), changed)
    return validated_response(schemas.VenueList, {**meta, "results": in_order(results, changed)})


@api.get(
    "/venues.geojson",
    response={200: schemas.VenueFeatureCollection, **ERRORS},
    url_name="venues_geojson",
    tags=["venues"],
)
@cached(*field_names(schemas.VenueFilters))
def venues_as_geojson(request, filters: Query[schemas.VenueFilters]):
    """The same venues as a GeoJSON FeatureCollection (RFC 7946), one page at a time."""
    rows, meta = page_of(request, _filtered_venues(filters), filters)
    ids = [pk for (pk,) in rows]
    collection = geojson_of(venue_records_by_id(ids, _url_function(request)))
    collection["features"] = in_order(collection["features"], ids)
    meta.pop("page_size")
    return validated_response(schemas.VenueFeatureCollection, {**collection, **meta})


@api.get("/venues/{venue_id}", response={200: schemas.Venue, **ERRORS}, url_name="venue", tags=["venues"])
@cached()
def get_venue(request, venue_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published venue, by its id."""
    venues = _published_venues().filter(pk=venue_id)
    changed = dict(venues.values_list("pk", "last_published_at"))
    results = _venue_results(venue_records(venues, _url_function(request)), changed)
    if not results:
        raise Http404
    return validated_response(schemas.Venue, results[0])


# -- events and their dates ------------------------------------------------------------


def _filtered_occurrences(filters, occurrences):
    """``occurrences`` (a queryset of dates) with the calendar's filters
    (``CalendarFilterForm``), plus venue id, status and event."""
    data = QueryDict(mutable=True)
    for name in ("q", "kind", "commune", "tag"):
        if getattr(filters, name):
            data[name] = getattr(filters, name)
    for name in ("start", "end"):
        if getattr(filters, name):
            data[name] = getattr(filters, name).isoformat()
    if data:
        query = cal.filter_occurrences(data, queryset=occurrences)
        if query.errors:
            raise BadParameters(form_errors(query.form))
        occurrences = query.occurrences
    # else no calendar filter: no form to build (its fields' querysets are deep-copied)
    if not filters.start:
        occurrences = occurrences.filter(end__gte=timezone.now())
    if filters.venue:
        venue = _published_venues().filter(pk=filters.venue).only("pk", "path").first()
        if venue is None:
            raise BadParameters(
                [("venue", _("Aucun lieu publié n'a l'identifiant %(id)s.") % {"id": filters.venue})]
            )
        occurrences = occurrences.at_venue(venue)
    if filters.status:
        occurrences = occurrences.with_effective_status(filters.status)
    if getattr(filters, "event", None):
        occurrences = occurrences.filter(event_id=filters.event)
    return occurrences


@api.get("/events", response={200: schemas.EventList, **ERRORS}, url_name="events", tags=["events"])
@cached(*field_names(schemas.EventFilters))
def list_events(request, filters: Query[schemas.EventFilters]):
    """Published events having a date that matches the filters (by default, a date not over yet)."""
    # Whether an event is published is checked on its own row: the dates are any.
    occurrences = _filtered_occurrences(filters, Occurrence.objects.all())
    events = records.event_rows(occurrences).order_by("start", "pk")
    rows, meta = page_of_rows(request, events, filters)
    results = records.event_results(rows, _url_function(request), _communes(request))
    return validated_response(schemas.EventList, {**meta, "results": results})


@api.get("/events/{event_id}", response={200: schemas.Event, **ERRORS}, url_name="event", tags=["events"])
@cached()
def get_event(request, event_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published event, by its id."""
    results = records.event_results(records.event_row(event_id), _url_function(request), _communes(request))
    if not results:
        raise Http404
    return validated_response(schemas.Event, results[0])


@api.get(
    "/occurrences",
    response={200: schemas.OccurrenceList, **ERRORS},
    url_name="occurrences",
    tags=["events"],
)
@cached(*field_names(schemas.OccurrenceFilters))
def list_occurrences(request, filters: Query[schemas.OccurrenceFilters]):
    """Dates of published events, in order, with the calendar's filters (by default, not over yet)."""
    occurrences = _filtered_occurrences(filters, records.occurrence_rows()).order_by("start", "pk")
    rows, meta = page_of_rows(request, occurrences, filters)
    results = records.occurrence_results(rows, _url_function(request), _communes(request))
    return validated_response(schemas.OccurrenceList, {**meta, "results": results})


# -- figures -----------------------------------------------------------------------------


@api.get("/figures", response={200: schemas.Figures, **ERRORS}, url_name="figures", tags=["network"])
@cached()
def figures(request):
    """The network in figures: published venues, surface, capacity, by activity and commune."""
    found = compute_figures(_published_venues())
    upcoming = records.published_occurrences().filter(end__gte=timezone.now()).values("event_id").distinct()
    return validated_response(
        schemas.Figures,
        {
            "venues": found["count"],
            "surface_m2": found["surface_m2"],
            "capacity": found["capacity"],
            "by_activity": [
                {"code": code, "label": str(activity_label(code)), "count": count}
                for code, count in found["by_activity"]
            ],
            "by_commune": [
                {"insee_code": code, "name": name, "count": count}
                for code, name, count in found["by_commune"]
            ],
            "upcoming_events": upcoming.count(),
        },
    )
