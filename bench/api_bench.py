"""The public API under load, beside the trivial view: PostgreSQL, one gunicorn worker.

Usage (under the bench lock, as every bench):
    flock /tmp/bench.lock env DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python bench/api_bench.py [venues] [seconds]

Seeds ``venues`` published venues (default 200) with tags, and one event
with a weekly date at each of a quarter of them (about 200 dates), in a
fresh database that the harness drops at the end. The cache is Redis
(REDIS_URL; not flushed: the content generation is renewed after seeding,
which makes anything an earlier run stored stale). The bench
settings lift the API's rate limit (wrk on loopback is one client).

"Uncached" requests carry a query parameter the API does not know: the
page cache does not store them, every one runs the view (the filters, a
page of 50 with its tags and venues, the schema's validation of the
answer). "Cached" requests are answered by the page cache from Redis with no
SQL, before URL resolution. Every request says ``Accept-Encoding: gzip``.
Targets: uncached >= 0.05x the trivial view, cached >= 0.5x.

Figures of the run of 2026-12-01, 11:10, on a machine loaded by other work
(the trivial view made 216 req/s, against 2,700-3,400 on a quiet day: read
the ratios, and take them as a floor):

    page                                         req/s   p50 ms   p99 ms  × trivial
    /bench/trivial/                              215.8     19.8     64.8      1.000
    /api/v1/venues (uncached)                     15.5    255.4    306.0      0.072
    /api/v1/venues (cached)                      113.6     34.5    206.9      0.526
    /api/v1/venues.geojson (uncached)             21.5    186.6    225.3      0.100
    /api/v1/venues.geojson (cached)              121.2     32.1    131.8      0.562
    /api/v1/events (uncached)                      5.7    675.9    762.3      0.026
    /api/v1/events (cached)                      102.2     35.4    496.4      0.473
    /api/v1/occurrences (uncached)                 6.8    550.6    712.2      0.031
    /api/v1/occurrences (cached)                  90.0     37.4    412.8      0.417
    /api/v1/occurrences?kind=workshop (uncached)   4.9    715.5   1090.0      0.023
    /api/v1/occurrences?kind=workshop (cached)    92.3     41.1    454.1      0.428
    /api/v1/figures (uncached)                    19.6    207.9    324.2      0.091
    /api/v1/figures (cached)                     106.2     37.8    178.4      0.492

The run before it (same load) had venues uncached at 0.040x: validating the
answers with ninja's ``Schema`` (which wraps every nested value) and
``get_FOO_display()`` per item cost about half of it; both are gone. Not
met yet: events and dates uncached (0.023-0.031x): a page of 50 builds 50
EventPages and their VenuePages (Wagtail pages, multi-table) and their
URLs; reading them with ``values()`` as the directory does is the next step.
Cached answers 0.42-0.56x on this loaded machine (the directory's cached
pages made 0.57-0.80x on quiet days).

Run of 2026-12-01, 13:34, after events and dates were read as ``values()``
rows (load average 12.4 at the start, 17 at the end; trivial 85 req/s):

    page                                         req/s   p50 ms   p99 ms  × trivial
    /bench/trivial/                               85.4     44.2     86.2      1.000
    /api/v1/venues (uncached)                      7.9    476.6    724.9      0.092
    /api/v1/venues (cached)                       44.9     76.5    662.2      0.525
    /api/v1/venues.geojson (uncached)              8.3    458.8    650.8      0.097
    /api/v1/venues.geojson (cached)               41.0     91.5    513.9      0.480
    /api/v1/events (uncached)                      4.3    879.8   1040.0      0.051
    /api/v1/events (cached)                       38.0     89.5    841.6      0.445
    /api/v1/occurrences (uncached)                 3.4   1160.0   1300.0      0.039
    /api/v1/occurrences (cached)                  45.6     68.8    960.8      0.535
    /api/v1/occurrences?kind=workshop (uncached)   3.9    947.3   1260.0      0.046
    /api/v1/occurrences?kind=workshop (cached)    39.2     89.4    934.6      0.459
    /api/v1/figures (uncached)                    8.5    448.4    608.8      0.099
    /api/v1/figures (cached)                      41.3     89.5    588.4      0.484

CPU time of a page of 50 (in process, same load) fell from 59 to 43 ms for
events and from 45 to 38 ms for dates; the rest of their time is the round
trips of their 5 queries on a loaded machine.
The rate limit now counts with one cache round trip instead of two (not yet
measured here).

Issue 14 (2026-12-01, 16:40): the idle machine had given trivial 3,070 req/s,
venues/GeoJSON/figures uncached 0.050-0.055x, events 0.021x (65 req/s, p50
60 ms), dates 0.020-0.021x, cached 0.486-0.517x. Where a page of 50 events
went (in process, cProfile): PostgreSQL planned the page's query (six joins
under two nested ``IN``) for 2.2 ms and ``Paginator``'s count, which repeated
every join, for 1.1 ms; ``public()`` read the page view restrictions twice
(events, then venues); building the ``values()`` queryset of forty columns
cost 1.5 ms before it ran; ``json.dumps`` 0.5 ms. Now: the page's ids with
``COUNT(*) OVER ()`` in one query (``api.pagination``), the rows by id from
a queryset built once per process (the tags' too), the restrictions checked
in SQL, JSON by ``pydantic_core.to_json``. Queries of a page of events or
dates 6 -> 4, venues 7 -> 5, figures 6 -> 5. CPU ms per request in process
(best of interleaved batches, load average 12-13, before -> after; trivial
0.24-0.27):

    venues uncached 10.2 -> 6.9, GeoJSON 8.6 -> 7.1, events 13.6 -> 9.4,
    dates 14.1 -> 8.8, dates?kind=workshop 14.3 -> 9.1, figures 7.7 -> 6.0;
    cached 0.53-0.73 -> 0.54-0.62 (two Redis round trips: the rate limit,
    the page; not changed).

Wall time of an uncached page in process fell by half or more (40-90 ms ->
17-35 ms at that load): fewer round trips and less planning.

This bench at 16:52 (load average 12.8 at the start, 10.2 after wrk; trivial
447 req/s against 3,070 idle: the ratios are noise at that load, read the CPU
table, printed by the bench itself since this run):

    page                                         req/s   p50 ms   p99 ms  × trivial
    /bench/trivial/                              446.8      9.7     31.1      1.000
    /api/v1/venues (uncached)                     19.6    199.9    316.6      0.044
    /api/v1/venues (cached)                      147.4     25.1    106.4      0.330
    /api/v1/venues.geojson (uncached)             34.5    117.9    190.0      0.077
    /api/v1/venues.geojson (cached)              170.8     21.3     74.6      0.382
    /api/v1/events (uncached)                     18.2    215.4    275.1      0.041
    /api/v1/events (cached)                      133.7     23.9    270.4      0.299
    /api/v1/occurrences (uncached)                18.4    208.6    285.2      0.041
    /api/v1/occurrences (cached)                 211.0     17.3    123.3      0.472
    /api/v1/occurrences?kind=workshop (uncached)   23.7    166.6    266.1      0.053
    /api/v1/occurrences?kind=workshop (cached)    269.3     13.9    125.1      0.603
    /api/v1/figures (uncached)                    35.7    108.6    175.2      0.080
    /api/v1/figures (cached)                     225.2     18.5     45.5      0.504

    CPU per request, in process (load 10)         ms  × trivial
    /bench/trivial/                              0.21      1.000
    venues uncached / cached                     5.90 / 0.52
    GeoJSON uncached / cached                    5.88 / 0.56
    events uncached / cached                     8.39 / 0.63
    dates uncached / cached                      7.97 / 0.53
    dates?kind=workshop uncached / cached        8.28 / 0.57
    figures uncached / cached                    4.66 / 0.56

Not shown yet on an idle machine: whether events and dates reach 0.05x with
margin (the CPU fell by a third; at idle, before, a page of events took 7.9 ms
of CPU in process), and the cached answers 0.55x (their two Redis round trips
are the same as before).
"""

import os
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Gunicorn, bench_database, load, print_table, run_python

BROWSER = {"Accept-Encoding": "gzip, deflate, br"}

SEED = """
import datetime, random, time
from members.freshness import renew_generation
from django.utils import timezone
from home.demo import seed_pages
from events.models import EventIndexPage, EventPage
from events.services import publish_event
from members.models import Commune, VenueIndexPage, VenuePage, VenueTag
from members.vocabulary import ACTIVITY_CHOICES
from taggit.models import Tag

start = time.perf_counter()
seed_pages()
index = VenueIndexPage.objects.get()
communes = list(Commune.objects.all())
activities = [code for code, _ in ACTIVITY_CHOICES]
tags = [Tag.objects.get_or_create(name=name, slug=slug)[0] for name, slug in [
    ("impression 3D", "impression-3d"), ("café", "cafe"), ("couture", "couture")]]
venues = []
for n in range({count}):
    venue = VenuePage(
        title=f"Lieu de banc d'essai {{n:03d}}", slug=f"banc-{{n:03d}}", live=True,
        summary="Un tiers-lieu pour travailler, fabriquer et se retrouver.",
        main_activity=activities[n % len(activities)], commune=communes[n % len(communes)],
        street_address=f"{{n}} rue des Essais", surface_m2=100 + n, capacity=10 + n % 50,
    )
    index.add_child(instance=venue)
    venues.append(venue)
VenueTag.objects.bulk_create(VenueTag(content_object=v, tag=t) for v in venues for t in tags[:2])
tomorrow = timezone.localdate() + datetime.timedelta(days=1)
first = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(18)))
for n, venue in enumerate(venues[::4]):
    event = EventPage(
        title=f"Atelier {{n:03d}}", slug=f"atelier-{{n:03d}}", kind="workshop", live=True,
        start=first + datetime.timedelta(hours=n), end=first + datetime.timedelta(hours=n + 2),
        repeat="weekly", repeat_count=4,
    )
    venue.add_child(instance=event)
    event.tags.set(["soudure"])
    event.save()
    publish_event(event)
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
renew_generation()  # whatever an earlier run left in this Redis database is stale
elapsed = time.perf_counter() - start
print(f"seeded {{len(venues)}} venues and {{EventPage.objects.count()}} events in {{elapsed:.1f}} s")
"""

# CPU time per request in this process (Django's test client, the same settings and
# database; the server is stopped): steadier than wrk's ratios on a loaded machine.
# The best of interleaved batches, so that every page meets the same load.
CPU = """
import time
from django.test import Client
client = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
pages = {pages!r}
for _label, url in pages:
    for _ in range(5):
        assert client.get(url).status_code == 200, url
best = dict.fromkeys(label for label, _url in pages)
for _ in range({rounds}):
    for label, url in pages:
        start = time.process_time()
        for _ in range(10):
            client.get(url)
        spent = (time.process_time() - start) / 10 * 1000
        best[label] = spent if best[label] is None else min(best[label], spent)
trivial = best[pages[0][0]]
print(f"{{'CPU per request, in process':46}} {{'ms':>7}} {{'× trivial':>10}}")
for label, _url in pages:
    print(f"{{label:46}} {{best[label]:>7.2f}} {{trivial / best[label]:>10.3f}}")
"""

PAGES = [
    ("/api/v1/venues", "/api/v1/venues?page_size=50"),
    ("/api/v1/venues.geojson", "/api/v1/venues.geojson?page_size=50"),
    ("/api/v1/events", "/api/v1/events?page_size=50"),
    ("/api/v1/occurrences", "/api/v1/occurrences?page_size=50"),
    ("/api/v1/occurrences?kind=workshop", "/api/v1/occurrences?page_size=50&kind=workshop"),
    ("/api/v1/figures", "/api/v1/figures"),
]


def check_cache(url, expected):
    with urllib.request.urlopen(urllib.request.Request(url, headers=BROWSER)) as response:
        state = response.headers.get("X-Page-Cache")
        assert response.status == 200, url
    if (state == "hit") != expected:
        raise SystemExit(f"{url}: X-Page-Cache={state!r}, expected {'a hit' if expected else 'no hit'}")


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
    with bench_database("api") as env:
        run_python(env, SEED.format(count=count))
        pages = []  # (label, path, answered from the cache)
        for label, path in PAGES:
            separator = "&" if "?" in path else "?"
            pages.append((f"{label} (uncached)", f"{path}{separator}bench=uncached", False))
            pages.append((f"{label} (cached)", path, True))
        with Gunicorn(env, workers=1) as server:
            for _label, path, cached in pages:  # warm up: worker imports, caches
                url = server.url(path)
                for _ in range(2):
                    urllib.request.urlopen(urllib.request.Request(url, headers=BROWSER)).read()
                check_cache(url, expected=cached)
            time.sleep(1)
            print(f"load average {os.getloadavg()[0]:.1f}")
            trivial = load(server.url("/bench/trivial/"), seconds=seconds, headers=BROWSER)
            rows = []
            for label, path, _cached in pages:
                row = load(server.url(path), seconds=seconds, headers=BROWSER)
                row.path = label
                rows.append(row)
            print(f"{count} venues, PostgreSQL, 1 gunicorn worker, Redis cache, wrk {seconds} s each")
            print_table(rows, trivial)
        print(f"load average {os.getloadavg()[0]:.1f}")
        in_process = [("/bench/trivial/", "/bench/trivial/"), *((label, path) for label, path, _c in pages)]
        run_python(env, CPU.format(pages=in_process, rounds=15))


if __name__ == "__main__":
    main()
