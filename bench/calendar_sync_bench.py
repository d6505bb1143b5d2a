"""Sync a 2,000-event ICS feed into a venue, once in each mode the venue may choose:
``draft`` (new events wait for a manager) and ``live`` (published at once). For each:
the first sync (every event created), a second where every event changed (every
page revised, and republished in live mode), and a third with nothing changed.
Target (issue 14): each sync of the 2,000-event feed in ≤ 30 s.

Usage (under the bench lock; PostgreSQL if DATABASE_URL points to one, else SQLite)::

    flock /tmp/bench.lock env DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/calendar_sync_bench.py [--events 2000] [--mode both|draft|live]

The feed is served by a local http.server (EVENTS_SYNC_ALLOW_LOOPBACK on for
this run only) and goes through the same fetch, parse and apply as
``manage.py sync_calendars``; tasks go to the database queue as in
production (search entries are written by the worker, after the sync).

Figures of 2026-12-01 18:18 UTC, PostgreSQL, the machine idle (load average
about 1)::

    draft first sync (create)        3.0 s  (CPU   2.5 s)
    draft every event changed        7.9 s  (CPU   7.3 s)
    draft no change                  0.8 s  (CPU   0.8 s)
    live  first sync (create)        4.2 s  (CPU   3.5 s)
    live  every event changed        9.5 s  (CPU   8.8 s)
    live  no change                  1.0 s  (CPU   1.0 s)

Earlier figures (PostgreSQL, 2 CPUs shared with other engineers' test runs, load
average 6 to 10 during the run; CPU is this process's ``time.process_time()``,
the rest of the wall time is the loaded database)::

    feed: 2000 events, 449 KiB
    draft first sync (create)       11.7 s  (CPU   2.9 s)   2000 créé(s)
    draft every event changed       38.4 s  (CPU  10.1 s)   2000 mis à jour
    draft no change                  3.9 s  (CPU   1.1 s)   2000 inchangé(s)
    live  first sync (create)       14.6 s  (CPU   4.2 s)   2000 créé(s)
    live  every event changed       41.7 s  (CPU  11.1 s)   2000 mis à jour
    live  no change                  5.2 s  (CPU   1.1 s)   2000 inchangé(s)

Before the bulk writes (same machine, 200 events, live mode): first sync
21.5 s (one ``revision.publish()`` per event, about fifty queries each), so
about 215 s for 2,000; the first drafts-only bulk version: 17.6 s (SQLite).

Every write is made for the whole feed (``events/calendar_sync/bulk.py``):
new pages by ``members.services.insert_draft_pages`` and
``record_draft_revisions``, published together (one UPDATE, log entries,
rooms, occurrences); changed pages revised together (one insert of
revisions, ``bulk_update`` in batches of 100, extra dates, occurrences,
SEQUENCE). Updates are the slow part: every page's row, revision and log
entry are rewritten; on this loaded machine they miss the 30 s target.
``--profile "live 1"`` (mode, feed version) shows where one sync's time goes.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import bench_database, run_python

CODE = """
import threading, time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from django.test import override_settings
from django.utils import timezone
from home.demo import seed_pages
from members.models import Commune, VenueIndexPage, VenuePage
from events.models import CalendarSubscription, EventPage, Occurrence
from events.calendar_sync.services import sync_subscription

EVENTS, MODES, PROFILE = {events}, {modes}, "{profile}"
# as in production: search-index and reference-index updates go to the task worker
# (override_settings: django-tasks reads TASKS again on setting_changed)
override_settings(
    TASKS={{"default": {{"BACKEND": "django_tasks_db.DatabaseBackend"}}}},
    EVENTS_SYNC_ALLOW_LOOPBACK=True,
    EVENTS_SYNC_MAX_BYTES=20 * 1024 * 1024,
    EVENTS_SYNC_TIMEOUT=30,
).enable()

def feed(version):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bench//EN", "X-WR-TIMEZONE:Europe/Paris"]
    first = timezone.localdate() + timedelta(days=2)
    for n in range(EVENTS):
        day = first + timedelta(days=n % 300)
        title = f"Atelier {{n}}" + (f" v{{version}}" if version else "")
        lines += [
            "BEGIN:VEVENT", f"UID:bench-{{n}}@example.org", "DTSTAMP:20260101T000000Z",
            f"DTSTART;TZID=Europe/Paris:{{day:%Y%m%d}}T{{9 + n % 10:02d}}0000",
            f"DTEND;TZID=Europe/Paris:{{day:%Y%m%d}}T{{11 + n % 10:02d}}0000",
            f"SUMMARY:{{title}}", f"DESCRIPTION:Description de l'atelier {{n}}.",
        ]
        if n % 20 == 0:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=6")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\\r\\n".join(lines) + "\\r\\n").encode()

body = {{"ics": feed(0)}}

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_GET(self):
        data = body["ics"]
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=httpd.serve_forever, daemon=True).start()

seed_pages()
index = VenueIndexPage.objects.first()
print(f"feed: {{EVENTS}} events, {{len(feed(0)) / 1024:.0f}} KiB")
for mode in MODES:
    venue = VenuePage(title=f"Lieu {{mode}}", slug=f"lieu-{{mode}}", street_address="1 rue du Banc",
                      commune=Commune.objects.get(insee_code="59350"))
    index.add_child(instance=venue)
    venue.save_revision().publish()
    subscription = CalendarSubscription.objects.create(
        venue=venue, url=f"http://127.0.0.1:{{httpd.server_address[1]}}/{{mode}}.ics", publish_mode=mode
    )
    for label, version in (("first sync (create)", 0), ("every event changed", 1), ("no change", 1)):
        body["ics"] = feed(version)
        started, cpu = time.monotonic(), time.process_time()
        if PROFILE == f"{{mode}} {{version}}" and label != "no change":
            import cProfile, pstats
            profiler = cProfile.Profile()
            report = profiler.runcall(sync_subscription, subscription)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        else:
            report = sync_subscription(subscription)
        subscription.refresh_from_db()
        assert not subscription.last_error, subscription.last_error
        wall, cpu = time.monotonic() - started, time.process_time() - cpu
        print(f"{{mode:5}} {{label:22}} {{wall:7.1f}} s  (CPU {{cpu:5.1f}} s)   {{report.as_text()}}")
    pages = EventPage.objects.child_of(venue)
    print(f"{{mode:5}} pages {{pages.count()}} ({{pages.live().count()}} live), "
          f"occurrences {{Occurrence.objects.filter(event__in=pages).count()}}")
httpd.shutdown()
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--mode", choices=("draft", "live", "both"), default="both")
    parser.add_argument(
        "--profile",
        choices=("draft 0", "draft 1", "live 0", "live 1"),
        help="cProfile one sync (mode, feed version)",
    )
    args = parser.parse_args()
    modes = ["draft", "live"] if args.mode == "both" else [args.mode]
    with bench_database("calsync") as env:
        run_python(env, CODE.format(events=args.events, modes=modes, profile=args.profile or ""))


if __name__ == "__main__":
    main()
