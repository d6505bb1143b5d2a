"""Load the calendar with 5,000 occurrences: ICS feed, month view and list beside the trivial view.

Usage (PostgreSQL; the harness creates and drops its own database)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/events_bench.py

Seeds the demo pages, accounts and venues, then 100 live events (under the
agenda and the venues) of 50 weekly dates each, bulk-created: 5,000
occurrences, with registrations on a third of them. One gunicorn worker, wrk
for 5 s per URL (4 connections). The public feed is bounded by
EVENTS_FEED_MAX_ITEMS (500 by default): it serves the 500 first occurrences
of the last 30 days and after, never the 5,000.

Figures (this container, PostgreSQL 15, one sync worker; 2 CPUs shared with
another engineer's profiling run, so read the ratios):

    seed: demo pages/venues 34.6 s, 100 event pages 5.9 s,
          5000 occurrences + registrations (bulk) 1.8 s
    page                                         req/s   p50 ms   p99 ms  × trivial
    /bench/trivial/                             1211.0      3.1      4.8      1.000
    /agenda/agenda.ics  (500 items, the bound)     2.4   1390.0   1630.0      0.002
    /agenda/<next month>/  (~430 occurrences)      2.2   1100.0   2900.0      0.002
    /agenda/  (30 per page)                        8.4    480.8    965.8      0.007
    /agenda/?kind=workshop                        12.9    269.8    527.9      0.011

Latencies include queueing: 4 connections on one worker, so the service time
is about a quarter of p50 (≈ 120 ms for /agenda/, ≈ 350 ms for the feed).
Query counts are constant (tests/events/test_performance.py). The
registration counts are correlated subqueries, evaluated for the page's rows
only (a join and GROUP BY over every matching occurrence before the LIMIT
gave 3.6 req/s on /agenda/); the feed's time is in building 500 VEVENTs with
icalendar, the month view's in rendering ~430 occurrences.
"""

import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Gunicorn, bench_database, load, print_table, run_python

EVENTS, DATES = 100, 50

SEED = f"""
import time
from datetime import timedelta
from django.utils import timezone
from home.demo import seed_pages
from members.demo import seed_accounts, seed_venues
from events.models import EventIndexPage, EventPage, Occurrence, Registration

started = time.monotonic()
seed_pages(); seed_accounts(); seed_venues()
agenda = EventIndexPage.objects.get()
from members.models import User, VenuePage
venues = list(VenuePage.objects.live())
users = list(User.objects.all()[:4])
first = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) - timedelta(weeks=4)
kinds = ["meetup", "workshop", "open_day", "visit", "training"]
pages_done = time.monotonic()
events = []
for n in range({EVENTS}):
    parent = agenda if n % 4 == 0 else venues[n % len(venues)]
    page = EventPage(
        title=f"Événement {{n}}", slug=f"evenement-{{n}}", kind=kinds[n % len(kinds)],
        summary="Un événement de charge.", start=first + timedelta(hours=n % 5),
        end=first + timedelta(hours=n % 5 + 2), street_address="1 rue du Test", capacity=20,
        repeat="weekly", repeat_count={DATES}, live=True,
    )
    parent.add_child(instance=page)
    events.append(page)
events_done = time.monotonic()
rows = [
    Occurrence(event=event, start=event.start + timedelta(weeks=w), end=event.end + timedelta(weeks=w),
               capacity=20)
    for event in events for w in range({DATES})
]
created = Occurrence.objects.bulk_create(rows, batch_size=1000)
Registration.objects.bulk_create(
    [Registration(occurrence=occ, user=user, status="confirmed")
     for occ in created[::3] for user in users],
    batch_size=2000,
)
done = time.monotonic()
print(f"seed: demo pages/venues {{pages_done - started:.1f}} s, {EVENTS} event pages "
      f"{{events_done - pages_done:.1f}} s, {{len(created)}} occurrences + registrations (bulk) "
      f"{{done - events_done:.1f}} s")
"""


def main():
    from datetime import date

    next_month = (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)
    urls = [
        "/agenda/agenda.ics",
        f"/agenda/{next_month.year}/{next_month.month}/",
        "/agenda/",
        "/agenda/?kind=workshop",
    ]
    with bench_database("events") as env:
        started = time.monotonic()
        run_python(env, SEED)
        print(f"seeded in {time.monotonic() - started:.1f} s")
        with Gunicorn(env, workers=1) as server:
            for url in urls:  # warm up (imports, template loading); a slow page may not finish in wrk's 1 s
                urllib.request.urlopen(server.url(url), timeout=60).read()
            trivial = load(server.url("/bench/trivial/"))
            rows = [load(server.url(url)) for url in urls]
    print_table(rows, trivial)


if __name__ == "__main__":
    main()
