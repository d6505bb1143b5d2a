"""What the public API takes (query parameters) and gives (responses), as pydantic schemas.

django-ninja builds the OpenAPI 3 document from them and checks every value
against them. The query schemas check types and ranges only; the domain's
own forms (``members.forms.VenueFilterForm``, ``events.forms.CalendarFilterForm``)
then check the rest (a commune that exists, a start before the end), so the
API filters exactly as the directory and the calendar do.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import BaseModel

from events.vocabulary import EventStatus, Kind, OccurrenceStatus
from members.vocabulary import ACTIVITY_CHOICES
from network.validation import MAX_ID

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
MAX_PAGE = 100_000

ActivityCode = Literal[tuple(code for code, _label in ACTIVITY_CHOICES)]
KindCode = Literal[tuple(Kind.values)]
OccurrenceStatusCode = Literal[tuple(OccurrenceStatus.values)]
EventStatusCode = Literal[tuple(EventStatus.values)]
Id = Field(ge=1, le=MAX_ID)


# -- query parameters ------------------------------------------------------------


class Pagination(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}."
    )


class VenueFilters(Pagination):
    """The directory's filters (``/lieux/``)."""

    q: str | None = Field(None, max_length=100, description="Every word in the venue's text.")
    commune: str | None = Field(None, max_length=5, description="INSEE code of a commune of the MEL.")
    activity: ActivityCode | None = Field(None, description="Main or secondary activity.")
    tag: str | None = Field(None, max_length=100, description="Tag slug.")
    qpv: bool = Field(False, description="Only venues in a priority neighbourhood (QPV).")
    mentoring: bool = Field(False, description="Only venues that offer mentoring.")
    accessible: bool = Field(False, description="Only venues with step-free access.")


class EventFilters(Pagination):
    """The calendar's filters (``/agenda/``), plus the status of a date."""

    q: str | None = Field(None, max_length=100, description="Text in the title, summary, venue or tags.")
    kind: KindCode | None = Field(None, description="Kind of event.")
    commune: str | None = Field(None, max_length=5, description="INSEE code of the place's commune.")
    venue: int | None = Field(
        None, ge=1, le=MAX_ID, description="Id of a venue (its own events and those it hosts)."
    )
    tag: str | None = Field(None, max_length=100, description="Tag slug.")
    status: OccurrenceStatusCode | None = Field(None, description="Status of the date.")
    start: date | None = Field(
        None, description="Dates ending on or after this day (default: those not over yet)."
    )
    end: date | None = Field(None, description="Dates starting on or before this day.")


class OccurrenceFilters(EventFilters):
    event: int | None = Field(None, ge=1, le=MAX_ID, description="Id of an event: its dates only.")


# -- responses ------------------------------------------------------------------------
# Plain pydantic models, not ninja's ``Schema``: the answers are built as dicts, and
# ``Schema`` wraps every nested value to read model attributes (a third of a page's time).


class Out(BaseModel):
    pass


class ParameterError(Out):
    parameter: str
    message: str


class Error(Out):
    detail: str
    errors: list[ParameterError] = []


class Label(Out):
    code: str
    label: str


class Tag(Out):
    slug: str
    name: str


class CommuneRef(Out):
    insee_code: str
    name: str


class Venue(Out):
    id: int = Field(description="Stable id (the venue page's).")
    name: str
    url: str
    summary: str
    main_activity: Label
    activities: list[Label]
    tags: list[str]
    address: str
    commune: CommuneRef | None
    latitude: float | None
    longitude: float | None
    position_approximate: bool = Field(description="The position is the commune's, not the venue's.")
    surface_m2: int | None
    capacity: int | None
    in_qpv: bool
    step_free_access: bool
    offers_mentoring: bool
    is_free: bool
    solidarity_pricing: bool
    website: str
    email: str
    phone: str
    last_checked: date | None
    last_modified: datetime | None


class Page(Out):
    count: int = Field(description="Items matching, on every page.")
    page: int
    pages: int
    page_size: int
    next: str | None = Field(description="Absolute URL of the next page.")
    previous: str | None


class VenueList(Page):
    results: list[Venue]


class PointGeometry(Out):
    type: Literal["Point"]
    coordinates: list[float] = Field(min_length=2, max_length=2, description="[longitude, latitude]")


class VenueFeature(Out):
    type: Literal["Feature"]
    id: int
    geometry: PointGeometry | None
    properties: dict


class Licence(Out):
    name: str
    url: str
    attribution: str


class VenueFeatureCollection(Out):
    type: Literal["FeatureCollection"]
    licence: Licence
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    features: list[VenueFeature]


class VenueRef(Out):
    id: int
    name: str
    url: str


class Location(Out):
    text: str = Field(description="As in the ICS LOCATION: place, street address, postcode and commune.")
    venue: VenueRef | None
    address: str
    postcode: str
    commune: CommuneRef | None
    latitude: float | None
    longitude: float | None
    online_url: str


class Event(Out):
    id: int = Field(description="Stable id (the event page's).")
    title: str
    url: str
    summary: str
    kind: Label
    status: Label
    attendance_mode: Label
    tags: list[Tag]
    location: Location
    start: datetime = Field(description="First date.")
    end: datetime
    all_day: bool
    is_free: bool
    price: str
    audience: str
    accessibility: str
    organizer_name: str
    occurrences: str = Field(description="API URL of its dates.")
    ical_url: str
    last_modified: datetime | None


class EventList(Page):
    results: list[Event]


class Occurrence(Out):
    id: int = Field(description="Stable id of the date.")
    uid: str = Field(description="The UID of this date in every ICS feed of the site.")
    event_id: int
    title: str
    url: str
    summary: str
    start: datetime
    end: datetime
    all_day: bool
    status: Label = Field(description="Of the date, the event's own status applied.")
    kind: Label
    categories: list[str] = Field(description="As in the ICS CATEGORIES: the kind, then the tags.")
    tags: list[Tag]
    location: Location
    sequence: int = Field(description="The ICS SEQUENCE: grows with every published change.")
    last_modified: datetime


class OccurrenceList(Page):
    results: list[Occurrence]


class Count(Out):
    code: str
    label: str
    count: int


class CommuneCount(Out):
    insee_code: str
    name: str
    count: int


class Figures(Out):
    venues: int
    surface_m2: int
    capacity: int
    by_activity: list[Count]
    by_commune: list[CommuneCount]
    upcoming_events: int
