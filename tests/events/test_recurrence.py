"""The pure recurrence functions (no database)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from events.recurrence import (
    MONTHLY_LAST,
    MONTHLY_NTH,
    NONE,
    WEEKLY_RULE,
    Rule,
    local_starts,
    nth_weekday,
    occurrence_slots,
    parse_exdates,
    plan_regeneration,
)

PARIS = ZoneInfo("Europe/Paris")
HORIZON = datetime(2030, 1, 1)


def test_single_event_gives_one_start_unless_excluded():
    start = datetime(2026, 3, 5, 19)
    assert local_starts(start, Rule(), horizon_end=HORIZON, limit=10) == [start]
    rule = Rule(frequency=NONE, exdates=frozenset({date(2026, 3, 5)}))
    assert local_starts(start, rule, horizon_end=HORIZON, limit=10) == []


def test_weekly_every_two_weeks_for_a_count_skips_exception_dates():
    start = datetime(2026, 1, 6, 18, 30)  # a Tuesday
    rule = Rule(frequency=WEEKLY_RULE, interval=2, count=4, exdates=frozenset({date(2026, 1, 20)}))
    starts = local_starts(start, rule, horizon_end=HORIZON, limit=50)
    assert [s.date() for s in starts] == [date(2026, 1, 6), date(2026, 2, 3), date(2026, 2, 17)]
    assert all(s.hour == 18 and s.minute == 30 for s in starts)


def test_weekly_until_a_date_includes_that_date():
    start = datetime(2026, 1, 5, 9)
    rule = Rule(frequency=WEEKLY_RULE, until=date(2026, 1, 26))
    assert len(local_starts(start, rule, horizon_end=HORIZON, limit=50)) == 4


def test_monthly_on_the_nth_weekday():
    start = datetime(2026, 1, 15, 19)  # third Thursday of January 2026
    assert nth_weekday(start.date()) == 3
    rule = Rule(frequency=MONTHLY_NTH, count=3)
    starts = local_starts(start, rule, horizon_end=HORIZON, limit=50)
    assert [s.date() for s in starts] == [date(2026, 1, 15), date(2026, 2, 19), date(2026, 3, 19)]


def test_monthly_on_the_last_weekday_every_two_months():
    start = datetime(2026, 1, 30, 12)  # last Friday of January 2026
    rule = Rule(frequency=MONTHLY_LAST, interval=2, count=3)
    starts = local_starts(start, rule, horizon_end=HORIZON, limit=50)
    assert [s.date() for s in starts] == [date(2026, 1, 30), date(2026, 3, 27), date(2026, 5, 29)]


def test_open_ended_rule_stops_at_horizon_and_limit():
    start = datetime(2026, 1, 1, 10)
    rule = Rule(frequency=WEEKLY_RULE)
    assert len(local_starts(start, rule, horizon_end=datetime(2026, 2, 1), limit=100)) == 5
    assert len(local_starts(start, rule, horizon_end=HORIZON, limit=7)) == 7


def test_slots_keep_wall_clock_time_across_daylight_saving():
    start = datetime(2026, 3, 19, 19, tzinfo=PARIS)  # before the change of 29 March
    slots = occurrence_slots(
        start,
        start + timedelta(hours=2),
        Rule(frequency=WEEKLY_RULE, count=3),
        tz=PARIS,
        horizon_end=datetime(2027, 1, 1, tzinfo=PARIS),
        limit=10,
    )
    assert [s.astimezone(PARIS).hour for s, _e in slots] == [19, 19, 19]
    assert [s.utcoffset() for s, _e in slots] == [timedelta(hours=1), timedelta(hours=1), timedelta(hours=2)]
    assert all(e - s == timedelta(hours=2) for s, e in slots)


def test_parse_exdates_reports_invalid_tokens():
    dates, invalid = parse_exdates("2026-01-20, 2026-02-30\nnope 2026-03-01")
    assert dates == {date(2026, 1, 20), date(2026, 3, 1)}
    assert invalid == ["2026-02-30", "nope"]


def test_plan_keeps_pinned_updates_free_and_creates_missing():
    a, b, c, d = (datetime(2026, 1, day, 19) for day in (1, 8, 15, 22))
    hour = timedelta(hours=1)
    existing = [
        (1, a, a + hour, False),  # still wanted, end changes -> update
        (2, b, b + hour, True),  # pinned (registrations), no longer wanted -> kept
        (3, c, c + hour, False),  # not wanted, free -> deleted
    ]
    wanted = [(a, a + 2 * hour), (b, b + 2 * hour), (d, d + 2 * hour)]
    plan = plan_regeneration(existing, wanted)
    assert plan.update == [(1, a, a + 2 * hour)]
    assert plan.delete == [3]
    assert plan.create == [(d, d + 2 * hour)]
