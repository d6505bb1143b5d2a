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
the session up (one query) and the page is rendered as for any visitor.
"Cached" requests carry no cookie and are answered from Redis with no SQL.

Figures of one run (2 CPUs shared by wrk, gunicorn, PostgreSQL and Redis,
other jobs running; 500 venues seeded with add_child + bulk tags/hours in 13 s):

    page                                        req/s   p50 ms   p99 ms  × trivial
    /bench/trivial/                            2295.4      1.7      2.7      1.000
    /lieux/ (uncached)                           23.5    161.8    320.9      0.010
    /lieux/ (cached)                            817.2      4.7    103.5      0.356
    /lieux/?activity=fablab&qpv=1 (cached)      853.6      4.6      6.2      0.372
    /lieux/lieux.geojson (uncached)               6.6    563.4    732.6      0.003
    /lieux/lieux.geojson (cached)               623.5      5.7    428.6      0.272
    /lieux/<venue>/ (uncached)                   31.5    125.8    136.8      0.014
    /lieux/<venue>/ (cached)                    946.6      4.0     64.5      0.412

Targets: uncached directory >= 0.033x trivial, cached pages >= 0.5x: NOT met
yet (0.010x and 0.36-0.41x). Profiling (cProfile, test client) puts the
uncached directory's time in template rendering (the 95-option commune select
rendered by Django's widget templates, 24 card includes, the figures) and in
Wagtail's routing; a cache hit costs one Redis round trip plus the middleware
stack (CSRF cookie, locale, CSP).
"""

import os
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Gunicorn, bench_database, load, print_table, run_python

UNCACHED = {"Cookie": "sessionid=bench-uncached-no-such-session"}

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
print(f"seeded {{len(venues)}} published venues in {{time.perf_counter() - start:.1f}} s")
"""


def check_cache(url, headers, expected):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request) as response:
        state = response.headers.get("X-Page-Cache")
    if (state == "hit") != expected:
        raise SystemExit(f"{url}: X-Page-Cache={state!r}, expected {'a hit' if expected else 'no hit'}")


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
    with bench_database("venues") as env:
        run_python(env, SEED.format(count=count))
        with Gunicorn(env, workers=1) as server:
            venue = server.url("/lieux/banc-250/")
            pages = [
                ("/lieux/ (uncached)", server.url("/lieux/"), UNCACHED),
                ("/lieux/ (cached)", server.url("/lieux/"), {}),
                (
                    "/lieux/?activity=fablab&qpv=1 (cached)",
                    server.url("/lieux/?activity=fablab&qpv=1"),
                    {},
                ),
                ("/lieux/lieux.geojson (uncached)", server.url("/lieux/lieux.geojson"), UNCACHED),
                ("/lieux/lieux.geojson (cached)", server.url("/lieux/lieux.geojson"), {}),
                ("/lieux/<venue>/ (uncached)", venue, UNCACHED),
                ("/lieux/<venue>/ (cached)", venue, {}),
            ]
            for _label, url, headers in pages:  # warm up: worker imports, caches
                for _ in range(2):
                    urllib.request.urlopen(urllib.request.Request(url, headers=headers)).read()
                check_cache(url, headers, expected=not headers)
            time.sleep(1)
            trivial = load(server.url("/bench/trivial/"), seconds=seconds)
            rows = []
            for label, url, headers in pages:
                row = load(url, seconds=seconds, headers=headers)
                row.path = label
                rows.append(row)
            print(f"{count} venues, PostgreSQL, 1 gunicorn worker, Redis cache, wrk {seconds} s each")
            print_table(rows, trivial)


if __name__ == "__main__":
    main()
