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
        with Gunicorn(env, workers=1) as server:
            pages = []
            for label, path in PAGES:
                separator = "&" if "?" in path else "?"
                pages.append((f"{label} (uncached)", server.url(f"{path}{separator}bench=uncached"), False))
                pages.append((f"{label} (cached)", server.url(path), True))
            for _label, url, cached in pages:  # warm up: worker imports, caches
                for _ in range(2):
                    urllib.request.urlopen(urllib.request.Request(url, headers=BROWSER)).read()
                check_cache(url, expected=cached)
            time.sleep(1)
            trivial = load(server.url("/bench/trivial/"), seconds=seconds, headers=BROWSER)
            rows = []
            for label, url, _cached in pages:
                row = load(url, seconds=seconds, headers=BROWSER)
                row.path = label
                rows.append(row)
            print(f"{count} venues, PostgreSQL, 1 gunicorn worker, Redis cache, wrk {seconds} s each")
            print_table(rows, trivial)


if __name__ == "__main__":
    main()
