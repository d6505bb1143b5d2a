"""Time the main pages and count their SQL queries on a seeded database.

Usage: DJANGO_SETTINGS_MODULE=network.settings.test python bench/pages_bench.py [extra_venues] [repeat]

Builds a throw-away SQLite database, seeds the demo content plus
``extra_venues`` published venues, then requests each page ``repeat`` times
with Django's test client (no network, no server) and prints the median
time and the query count. Figures, not assertions: compare them over time.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    "/",
    "/lieux/",
    "/lieux/?activity=fablab",
    "/lieux/lieux.geojson",
    "/lieux/lieux.csv",
    "/agenda/",
    "/recherche/?q=atelier",
    "/healthz",
]


def seed(extra_venues):
    from members.models import Commune, User
    from members.services import create_venue

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    staff = User.objects.get(email="equipe@example.org")
    communes = list(Commune.objects.all())
    for n in range(extra_venues):
        create_venue(
            {"title": f"Lieu de test {n}", "commune": communes[n % len(communes)], "main_activity": "fablab"},
            by=staff,
            publish=True,
        )


def measure(client, path, repeat):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return response.status_code, statistics.median(timings) * 1000, len(queries)


def main():
    extra = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    settings.ALLOWED_HOSTS = ["*"]
    start = time.perf_counter()
    seed(extra)
    print(f"seeded demo + {extra} venues in {time.perf_counter() - start:.1f} s")
    client = Client()
    print(f"{'page':32} {'status':>6} {'median ms':>10} {'queries':>8}")
    for path in PAGES:
        status, median_ms, count = measure(client, path, repeat)
        print(f"{path:32} {status:>6} {median_ms:>10.1f} {count:>8}")


if __name__ == "__main__":
    main()
