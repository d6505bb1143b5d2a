"""The venue directory under load: 500 published venues, PostgreSQL, one gunicorn worker.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/venues_bench.py [venues] [seconds]

The harness (bench/harness.py) creates a fresh database and drops it at the
end; the cache is Redis (REDIS_URL, default redis://127.0.0.1:6379/3, flushed
at the start). Pages are loaded with wrk (4 connections, 2 threads) next to
the trivial view, in the same run: the figures to read are the ratios.

"Uncached" requests carry a ``sessionid`` cookie that matches no session:
the anonymous page cache (members/page_cache.py) is bypassed, Django looks
the session up (one query) and the page is rendered as for a member. The
exports are stored for members too: the uncached GeoJSON carries a query
parameter it does not know instead. The
directory's own fragment caches stay warm under wrk (same URL again and
again): the filters and results and the figures, cached until the next
committed change (docs/caching.md); such a request runs Wagtail's routing
(site, pages, view restrictions) and renders the rest. "Cached" requests
carry no cookie and are answered from Redis with no SQL, by the
middleware, before URL resolution. Every request says
``Accept-Encoding: gzip`` as browsers do (the trivial view's too); one row
shows a client that does not (the stored body is decompressed for it). A
plain content page (/le-reseau/, uncached) is measured beside them:
Wagtail's routing alone, the floor of any uncached page. The last table
times one request alone, warm, then with every cache emptied before it.

Figures of one run (2 CPUs shared by wrk, gunicorn, PostgreSQL and Redis;
the trivial view made 2,900 to 3,400 req/s over the runs of 2026-11-26, and
750 to 2,300 on busier days: read the ratios):

    page                                         req/s   p50 ms   p99 ms  × trivial
    /bench/trivial/                             3367.3      1.1      1.7      1.000
    /le-reseau/ (content page, uncached)         162.0     24.2     28.7      0.048
    /lieux/ (uncached)                           150.6     24.6     39.0      0.045
    /lieux/ (cached)                            1960.9      2.0      3.0      0.582
    /lieux/?activity=fablab&qpv=1 (cached)      2074.9      1.8      2.9      0.616
    /lieux/lieux.geojson (uncached)               65.9     58.3     89.9      0.020
    /lieux/lieux.geojson (cached)               2056.9      1.8      4.7      0.611
    /lieux/lieux.geojson (cached, no gzip)      1218.8      3.2      5.1      0.362
    /lieux/<venue>/ (uncached)                    62.1     63.3     74.4      0.018
    /lieux/<venue>/ (cached)                    2006.5      1.8      5.3      0.596

    One request alone (median of 5), page cache bypassed:
    page                                       warm ms   cold ms
    /lieux/                                        6.8      25.8
    /lieux/lieux.geojson                          13.3      17.7

Over seven runs with the final page cache (trivial 2,720-3,370 req/s):
/lieux/ uncached 0.043-0.052x (the plain content page 0.040-0.050x); cached
pages 0.57-0.80x (HTML and GeoJSON alike); GeoJSON uncached 0.020-0.024x;
venue page uncached 0.016-0.022x. Targets: uncached directory >= 0.033x:
met in every run. Cached pages >= 0.5x with no SQL query: met in every run.

How the cached pages got there (each step measured in turn, same machine,
same day; cached HTML pages / cached GeoJSON, x trivial):

    start of the day                                   0.38-0.44 / 0.36
    one redis.Redis per pool (now django-redis's),
      no CSRF token on public pages                    0.54-0.57 / 0.43
    bodies stored gzipped, sent as they are            0.53-0.62 / 0.56-0.59
    lookup in a middleware before URL resolution       0.58-0.80 / 0.57-0.74

A client without ``Accept-Encoding: gzip`` (not a browser) gets 0.35-0.44x
on the 346 KB GeoJSON: the size of the body is the cost.
"""

import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Gunicorn, bench_database, load, print_table, run_python

# What a browser sends on every request (and wrk does not by default).
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
UNCACHED = {**BROWSER, "Cookie": "sessionid=bench-uncached-no-such-session"}
# The exports are the same for everyone, members included: a parameter they
# do not know is what keeps a request away from the stored copy.
UNCACHED_GEOJSON = "/lieux/lieux.geojson?bench=uncached"

SEED = """
import random, sys, time
from django.core.cache import cache
from home.demo import seed_pages
from members.models import Commune, OpeningHours, VenueIndexPage, VenuePage, VenueTag
from members.vocabulary import ACTIVITY_CHOICES, LEGAL_FORM_CHOICES
from taggit.models import Tag
import datetime

start = time.perf_counter()
cache.clear()
seed_pages()
index = VenueIndexPage.objects.get()
communes = list(Commune.objects.all())
activities = [code for code, _ in ACTIVITY_CHOICES]
forms = [code for code, _ in LEGAL_FORM_CHOICES]
tags = [Tag.objects.get_or_create(name=name, slug=slug)[0] for name, slug in [
    ("impression 3D", "impression-3d"), ("salle de réunion", "salle-de-reunion"), ("café", "cafe"),
    ("découpe laser", "decoupe-laser"), ("couture", "couture"), ("jardin partagé", "jardin-partage")]]
rng = random.Random(1)
venues = []
for n in range({count}):
    venue = VenuePage(
        title=f"Tiers-lieu de banc d'essai {{n:03d}}", slug=f"banc-{{n:03d}}", live=True,
        summary="Un tiers-lieu pour travailler, fabriquer et se retrouver entre voisins.",
        main_activity=activities[n % len(activities)],
        secondary_activities=[activities[(n + 3) % len(activities)]],
        legal_form=forms[n % len(forms)], commune=communes[n % len(communes)],
        street_address=f"{{n}} rue des Essais", surface_m2=100 + n, capacity=10 + n % 50,
        in_qpv=n % 4 == 0, offers_mentoring=n % 3 == 0, step_free_access=n % 2 == 0,
        last_checked=datetime.date(2026, 10, 1),
    )
    index.add_child(instance=venue)
    venues.append(venue)
VenueTag.objects.bulk_create(
    VenueTag(content_object=venue, tag=tag) for venue in venues for tag in rng.sample(tags, 3)
)
OpeningHours.objects.bulk_create(
    OpeningHours(page=venue, weekday=day, opens=datetime.time(9), closes=datetime.time(18))
    for venue in venues for day in range(5)
)
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")  # planner statistics, as a database in service has them
print(f"seeded {{len(venues)}} published venues in {{time.perf_counter() - start:.1f}} s")
"""
CLEAR_CACHE = "from django.core.cache import cache\ncache.clear()\n"


def check_cache(url, headers, expected):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request) as response:
        state = response.headers.get("X-Page-Cache")
    if (state == "hit") != expected:
        raise SystemExit(f"{url}: X-Page-Cache={state!r}, expected {'a hit' if expected else 'no hit'}")


def render_ms(env, url, headers, cold, times=5):
    """Median time of one request alone; ``cold``: every cache emptied before it."""
    samples = []
    for _ in range(times):
        if cold:
            run_python(env, CLEAR_CACHE)
        start = time.perf_counter()
        urllib.request.urlopen(urllib.request.Request(url, headers=headers)).read()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
    with bench_database("venues") as env:
        run_python(env, SEED.format(count=count))
        with Gunicorn(env, workers=1) as server:
            venue = server.url("/lieux/banc-250/")
            pages = [
                ("/le-reseau/ (content page, uncached)", server.url("/le-reseau/"), UNCACHED),
                ("/lieux/ (uncached)", server.url("/lieux/"), UNCACHED),
                ("/lieux/ (cached)", server.url("/lieux/"), BROWSER),
                (
                    "/lieux/?activity=fablab&qpv=1 (cached)",
                    server.url("/lieux/?activity=fablab&qpv=1"),
                    BROWSER,
                ),
                ("/lieux/lieux.geojson (uncached)", server.url(UNCACHED_GEOJSON), BROWSER),
                ("/lieux/lieux.geojson (cached)", server.url("/lieux/lieux.geojson"), BROWSER),
                ("/lieux/lieux.geojson (cached, no gzip)", server.url("/lieux/lieux.geojson"), {}),
                ("/lieux/<venue>/ (uncached)", venue, UNCACHED),
                ("/lieux/<venue>/ (cached)", venue, BROWSER),
            ]
            for label, url, headers in pages:  # warm up: worker imports, caches
                for _ in range(2):
                    urllib.request.urlopen(urllib.request.Request(url, headers=headers)).read()
                check_cache(url, headers, expected="uncached" not in label)
            time.sleep(1)
            trivial = load(server.url("/bench/trivial/"), seconds=seconds, headers=BROWSER)
            rows = []
            for label, url, headers in pages:
                row = load(url, seconds=seconds, headers=headers)
                row.path = label
                rows.append(row)
            print(f"{count} venues, PostgreSQL, 1 gunicorn worker, Redis cache, wrk {seconds} s each")
            print_table(rows, trivial)
            print("\nOne request alone (median of 5), page cache bypassed:")
            print(f"{'page':40} {'warm ms':>9} {'cold ms':>9}")
            for label, path, headers in [
                ("/lieux/", "/lieux/", UNCACHED),
                ("/lieux/lieux.geojson", UNCACHED_GEOJSON, BROWSER),
            ]:
                url = server.url(path)
                warm = render_ms(env, url, headers, cold=False)
                cold = render_ms(env, url, headers, cold=True)
                print(f"{label:40} {warm:>9.1f} {cold:>9.1f}")


if __name__ == "__main__":
    main()
