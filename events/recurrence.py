"""Recurrence of events: pure functions on dates (no Django model).

A rule repeats the first occurrence weekly or monthly (on the Nth or last
weekday of the month), every ``interval`` weeks or months, until a date or
for a count, minus exception dates. Occurrences are computed in local wall
time, so a 19:00 meetup stays at 19:00 across daylight-saving changes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

NONE = "none"
WEEKLY_RULE = "weekly"
MONTHLY_NTH = "monthly_nth"
MONTHLY_LAST = "monthly_last"
FREQUENCIES = (NONE, WEEKLY_RULE, MONTHLY_NTH, MONTHLY_LAST)


@dataclass(frozen=True)
class Rule:
    frequency: str = NONE
    interval: int = 1
    until: date | None = None
    count: int | None = None
    exdates: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class Plan:
    """What regeneration does: ``create`` (start, end) pairs, ``update`` (id, start, end), ``delete`` ids."""

    create: list
    update: list
    delete: list


def nth_weekday(day):
    """1 for the first Monday (Tuesday...) of the month, 2 for the second, ..."""
    return (day.day - 1) // 7 + 1


def parse_exdates(text):
    """Dates ``YYYY-MM-DD`` separated by spaces, commas or new lines -> (set of dates, invalid tokens)."""
    dates, invalid = set(), []
    for token in (text or "").replace(",", " ").split():
        try:
            dates.add(date.fromisoformat(token))
        except ValueError:
            invalid.append(token)
    return frozenset(dates), invalid


def local_starts(first_start, rule, *, horizon_end, limit):
    """Naive local start times of a rule whose first occurrence starts at ``first_start`` (naive)."""
    if rule.frequency == NONE or rule.frequency not in FREQUENCIES:
        return [] if first_start.date() in rule.exdates else [first_start]
    kwargs = {"dtstart": first_start, "interval": max(1, int(rule.interval or 1))}
    day_of_week = first_start.weekday()
    if rule.frequency == WEEKLY_RULE:
        kwargs["freq"] = WEEKLY
    else:
        kwargs["freq"] = MONTHLY
        n = -1 if rule.frequency == MONTHLY_LAST else nth_weekday(first_start.date())
        kwargs["byweekday"] = weekday(day_of_week)(n)
    if rule.count:
        kwargs["count"] = min(int(rule.count), limit + len(rule.exdates))
    else:
        end = horizon_end
        if rule.until:
            end = min(end, datetime.combine(rule.until, time.max))
        kwargs["until"] = end
    starts = []
    for start in rrule(**kwargs):
        if start.date() in rule.exdates:
            continue
        starts.append(start)
        if len(starts) >= limit:
            break
    return starts


def occurrence_slots(first_start, first_end, rule, *, tz, horizon_end, limit):
    """Aware (start, end) pairs of a rule; ``first_start``/``first_end`` are aware datetimes."""
    start_local = first_start.astimezone(tz).replace(tzinfo=None)
    duration = first_end.astimezone(tz).replace(tzinfo=None) - start_local
    horizon_local = horizon_end.astimezone(tz).replace(tzinfo=None)
    slots = []
    for start in local_starts(start_local, rule, horizon_end=horizon_local, limit=limit):
        slots.append((start.replace(tzinfo=tz), (start + duration).replace(tzinfo=tz)))
    return slots


def all_day_bounds(day_start, day_end, tz):
    """Aware bounds of an all-day span: local midnight of the first day to midnight after the last."""
    start = datetime.combine(day_start, time.min).replace(tzinfo=tz)
    end = datetime.combine(day_end + timedelta(days=1), time.min).replace(tzinfo=tz)
    return start, end


def plan_regeneration(existing, wanted):
    """Match the stored occurrences to the wanted slots.

    ``existing``: (id, key, end, pinned) tuples, where ``key`` is the start
    the rule gave the occurrence (its original start when it was moved) and
    ``pinned`` says it must survive (moved, cancelled, registered or past).
    ``wanted``: (start, end) pairs. Unpinned occurrences the rule no longer
    gives are deleted; pinned ones are kept untouched.
    """
    wanted_by_key = dict(wanted)
    seen, update, delete = set(), [], []
    for pk, key, end, pinned in existing:
        if key in wanted_by_key and key not in seen:
            seen.add(key)
            if not pinned and end != wanted_by_key[key]:
                update.append((pk, key, wanted_by_key[key]))
        elif not pinned:
            delete.append(pk)
    create = [(start, end) for start, end in wanted if start not in seen]
    return Plan(create=create, update=update, delete=delete)
