"""The calendar's reads: query string in, occurrences out (pages, month grid and feeds share it)."""

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber, TruncDate
from django.http import QueryDict
from django.utils import timezone

from events.forms import CalendarFilterForm
from events.models import EventTag, Occurrence

FILTER_PARAMS = ("q", "kind", "commune", "venue", "tag", "start", "end")


@dataclass
class CalendarQuery:
    form: CalendarFilterForm
    occurrences: object  # OccurrenceQuerySet
    data: dict
    errors: list = field(default_factory=list)

    @property
    def query_string(self):
        params = QueryDict(mutable=True)
        for name in FILTER_PARAMS:
            value = self.data.get(name)
            if value in (None, ""):
                continue
            if name == "commune":
                value = value.insee_code
            elif name == "venue":
                value = value.slug
            elif isinstance(value, date):
                value = value.isoformat()
            params[name] = value
        return params.urlencode()


def local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_occurrences(params, *, queryset=None):
    """Apply the calendar filters in ``params``; invalid values are dropped and explained."""
    form = CalendarFilterForm(params)
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    errors = [
        f"{form.fields[name].label} : {' '.join(messages)}" if name in form.fields else " ".join(messages)
        for name, messages in form.errors.items()
    ]
    occurrences = queryset if queryset is not None else Occurrence.objects.published()
    if data.get("q"):
        text = data["q"]
        from django.db.models import Q

        occurrences = occurrences.filter(
            Q(event__title__icontains=text)
            | Q(event__summary__icontains=text)
            | Q(event__venue__title__icontains=text)
            | Q(event__pk__in=EventTag.objects.filter(tag__name__icontains=text).values("content_object_id"))
        )
    if data.get("kind"):
        occurrences = occurrences.filter(event__kind=data["kind"])
    if data.get("commune"):
        from django.db.models import Q

        commune = data["commune"]
        occurrences = occurrences.filter(
            Q(event__venue__commune=commune) | Q(event__venue__isnull=True, event__commune=commune)
        )
    if data.get("venue"):
        occurrences = occurrences.at_venue(data["venue"])
    if data.get("tag"):
        occurrences = occurrences.filter(
            event__pk__in=EventTag.objects.filter(tag__slug=data["tag"]).values("content_object_id")
        )
    if data.get("start"):
        occurrences = occurrences.filter(end__gte=local_midnight(data["start"]))
    if data.get("end"):
        occurrences = occurrences.filter(start__lt=local_midnight(data["end"] + timedelta(days=1)))
    return CalendarQuery(form=form, occurrences=occurrences, data=data, errors=errors)


def group_by_day(occurrences):
    """[(local date, [occurrences])] in the order given."""
    return [
        (day, list(items))
        for day, items in groupby(occurrences, key=lambda occ: timezone.localtime(occ.start).date())
    ]


def month_bounds(year, month):
    first = date(year, month, 1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following


MONTH_DAY_LIMIT = 4  # dates shown in a day's cell; the others are behind "et n autres"


def first_of_each_day(occurrences, limit=MONTH_DAY_LIMIT):
    """The first ``limit`` of ``occurrences`` on each local day (by start), for listing,
    each with ``day_total``, the day's count: a month of a national network holds
    thousands of dates and its grid shows a few a day. Two queries: the database ranks
    the ids by day (narrow rows), then the dates kept are read with their event (the
    grid shows its title and link, no venue: each page joined is a model to build)."""
    day = TruncDate("start", tzinfo=timezone.get_current_timezone())
    ranked = (
        occurrences.order_by()
        .annotate(
            day_rank=Window(RowNumber(), partition_by=[day], order_by=[F("start").asc(), F("pk").asc()]),
            day_total=Window(Count("pk"), partition_by=[day]),
        )
        .filter(day_rank__lte=limit)
        .values_list("pk", "day_total")
    )
    totals = dict(ranked)
    listed = list(Occurrence.objects.filter(pk__in=totals).select_related("event").order_by("start", "pk"))
    for occurrence in listed:
        occurrence.day_total = totals[occurrence.pk]
    return listed


def month_grid(year, month, occurrences):
    """Weeks (Monday first) of {"day", "in_month", "occurrences", "more"} cells; ``more``:
    the day's dates not listed (``day_total`` from ``first_of_each_day``, when annotated)."""
    by_day = {}
    totals = {}
    for occurrence in occurrences:
        day = timezone.localtime(occurrence.start).date()
        by_day.setdefault(day, []).append(occurrence)
        totals[day] = getattr(occurrence, "day_total", len(by_day[day]))
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [
            {
                "day": day,
                "in_month": day.month == month,
                "occurrences": by_day.get(day, []),
                "more": totals.get(day, 0) - len(by_day.get(day, [])),
            }
            for day in week
        ]
        for week in weeks
    ]


def tags_in_use():
    """Tags of published events, for the filter menu (one query)."""
    from taggit.models import Tag

    from events.models import EventPage

    tag_ids = EventTag.objects.filter(content_object__in=EventPage.objects.published().values("pk")).values(
        "tag_id"
    )
    return Tag.objects.filter(pk__in=tag_ids).order_by("name")
