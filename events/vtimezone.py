"""A VTIMEZONE that every calendar client reads the same way.

``icalendar.Timezone.from_tzid`` lists every change of time of a zone in one
comma-separated ``RDATE``; ical.js (Thunderbird and many web calendars) and
vobject read only its first value, and shift every event after the next
change by an hour. Calendar programs themselves (Outlook, Google, Apple)
write a yearly ``RRULE`` per observance, which every client reads. So this
module reads the changes of time from ``zoneinfo`` and writes one RRULE per
observance when the changes follow a rule ("last Sunday of March at 02:00")
through the whole range, and one ``RDATE`` per line otherwise.
"""

import calendar as gregorian
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Change(NamedTuple):
    onset: datetime  # local wall time before the change (RFC 5545's DTSTART), naive
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool


@lru_cache(maxsize=32)
def _changes(tzid, first_year, last_year):
    """Every change of UTC offset of ``tzid`` from 1 January ``first_year`` to the end of ``last_year``."""
    tz = ZoneInfo(tzid)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=6)  # no zone changes its offset twice within six hours
    changes = []
    while moment < end:
        following = moment + step
        before, after = moment.astimezone(tz), following.astimezone(tz)
        if before.utcoffset() != after.utcoffset():
            low, high = 0, int(step / timedelta(minutes=1))  # offsets change on the minute
            while high - low > 1:
                middle = (low + high) // 2
                if (moment + timedelta(minutes=middle)).astimezone(tz).utcoffset() == before.utcoffset():
                    low = middle
                else:
                    high = middle
            high = moment + timedelta(minutes=high)
            changed = high.astimezone(tz)
            changes.append(
                Change(
                    onset=(high + before.utcoffset()).replace(tzinfo=None),
                    offset_from=before.utcoffset(),
                    offset_to=changed.utcoffset(),
                    name=changed.tzname(),
                    is_dst=bool(changed.dst()),
                )
            )
        moment = following
    return tuple(changes)


def _weekday_rules(day):
    """The BYDAY values that describe ``day`` within its month: ``2SU``, and ``-1SU`` for a last one."""
    weekday = WEEKDAYS[day.weekday()]
    rules = {f"{(day.day - 1) // 7 + 1}{weekday}"}
    if day.day + 7 > gregorian.monthrange(day.year, day.month)[1]:
        rules.add(f"-1{weekday}")
    return rules


def _yearly_rule(changes):
    """``{"freq": "yearly", "bymonth": m, "byday": d}`` when ``changes`` (one a year) follow one rule."""
    years = [change.onset.year for change in changes]
    if years != list(range(years[0], years[0] + len(years))):
        return None
    first = changes[0]
    same = all(
        (change.onset.month, change.onset.time(), change.offset_from, change.offset_to, change.name)
        == (first.onset.month, first.onset.time(), first.offset_from, first.offset_to, first.name)
        for change in changes
    )
    if not same:
        return None
    byday = set.intersection(*(_weekday_rules(change.onset.date()) for change in changes))
    if not byday:
        return None
    # A last weekday reads better and stays right past the range ("-1SU" rather than "4SU").
    chosen = min(byday) if any(rule.startswith("-") for rule in byday) else byday.pop()
    return {"freq": "yearly", "bymonth": first.onset.month, "byday": chosen}


def _observance(changes):
    first = changes[0]
    component = TimezoneDaylight() if first.is_dst else TimezoneStandard()
    component.add("dtstart", first.onset)
    component.add("tzoffsetfrom", first.offset_from)
    component.add("tzoffsetto", first.offset_to)
    component.add("tzname", first.name)
    return component


def _observances(changes, *, ruled):
    """Components for ``changes`` of one kind (summer or winter time)."""
    rule = _yearly_rule(changes) if ruled and len(changes) > 1 else None
    if rule is not None:
        component = _observance(changes)
        component.add("rrule", rule)
        return [component]
    # One observance per offset pair and name, its onsets one RDATE per line, the
    # first one too: ``ical`` takes DTSTART for an onset only when an RRULE follows.
    groups = {}
    for change in changes:
        groups.setdefault((change.offset_from, change.offset_to, change.name), []).append(change)
    components = []
    for group in groups.values():
        component = _observance(group)
        for change in group:
            component.add("rdate", change.onset)
        components.append(component)
    return components


def vtimezone(tzid, first_year, last_year):
    """The VTIMEZONE of ``tzid`` valid for events from ``first_year`` to ``last_year``."""
    tz = ZoneInfo(tzid)
    component = Timezone()
    component.add("tzid", tzid)
    # From the last change to standard time before the range, so that 1 January of
    # ``first_year`` is covered (readers differ on the time before a zone's first
    # onset, and ``ical`` wants a standard observance to start with).
    changes = _changes(tzid, first_year - 1, last_year)
    before = [change for change in changes if change.onset.year < first_year]
    standard = [index for index, change in enumerate(before) if not change.is_dst]
    before = before[standard[-1] :] if standard else before[-1:]
    changes = before + [change for change in changes if change.onset.year >= first_year]
    if not changes:  # a zone without change of time in the range: one standard observance
        moment = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(tz)
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(first_year, 1, 1))
        standard.add("rdate", datetime(first_year, 1, 1))  # for ``ical``, as in _observances
        standard.add("tzoffsetfrom", moment.utcoffset())
        standard.add("tzoffsetto", moment.utcoffset())
        standard.add("tzname", moment.tzname())
        component.add_component(standard)
        return component
    # The rule is kept only when the zone still follows it at the end of the range.
    ruled = changes[-1].onset.year == last_year
    for is_dst in (True, False):
        kind = [change for change in changes if change.is_dst == is_dst]
        if kind:
            for observance in _observances(kind, ruled=ruled):
                component.add_component(observance)
    return component
