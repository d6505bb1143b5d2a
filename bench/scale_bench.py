"""Every page at demo size and at scale, side by side: one gunicorn worker on PostgreSQL.

Usage (two databases already migrated and seeded: ``seed_demo``, then for the second
``seed_scale`` on top; REDIS_URL for the cache, as in production)::

    REDIS_URL=redis://127.0.0.1:6379/6 python bench/scale_bench.py \\
        postgres://postgres@127.0.0.1:5432/h_scale postgres://postgres@127.0.0.1:5432/h_scale_big

For each database: the SQL queries of every page for every role (Django's test
client, ``bench/scale_pages.py``), the month view's time in process (median of 20,
wall and CPU), a cold build of the public ICS feed (the view without the page
cache: its validators, its dates, its bytes), then, against one gunicorn worker
loaded by wrk, each page signed in as a member, the cached pages as an anonymous
visitor, and the trivial view; ``× trivial`` is requests/s over the trivial view's
in the same run, and ``CPU ms`` the worker's CPU time per request (from /proc,
steadier than wall time on a shared machine). Figures, not assertions.

Last figures (docs/scale.md has the tables and the history):

- 2026-12-02 00:50 UTC, load average 6-8, demo | defaults of ``seed_scale`` (5,000
  venues, 50,000 dates, 20,000 members, 500,000 messages): trivial view 469-1,440 req/s
  within the run. Member pages, CPU ms per request demo / scale: home 25 / 25, directory
  19 / 27, venue 35 / 42, agenda 66 / 57, month 23 / 33, event 38 / 50, mentoring 20 / 20,
  discussions 21 / 130, room 22 / 170, profile 48 / 184 (the last three at scale answer
  past wrk's 2 s: PostgreSQL). × trivial at scale 0.002-0.030: below 0.04 for every
  signed-in page there. Cached pages 0.9-1.8 ms. Month view 28 ms CPU at scale; ICS cold
  build of 500 dates 237 ms CPU (377 wall). Queries at most 15 for every page and role.
- 2026-12-02 00:36 UTC (before the typed VEVENT values): ICS cold build 304 ms CPU.
- 2026-12-01 21:00 UTC, load average 17, ``seed_scale --venues 2000 --occurrences 20000
  --members 5000 --messages 100000``: member pages 20-163 ms CPU; ICS cold build 254 ms.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Gunicorn, bench_env, load

SECONDS = int(os.environ.get("BENCH_SECONDS", 5))
CACHED = ("directory", "venue", "ics feed")  # the pages the page cache answers

MEASURE = r"""
import json, statistics, time
from django.conf import settings
settings.ALLOWED_HOSTS = ["*"]
from django.core.cache import cache
from django.test import RequestFactory
from bench.scale_pages import ROLES, client_for, page_urls, query_counts
from events import views
from events.models import EventIndexPage

urls = page_urls()
counts = query_counts(urls)
member = client_for("member")

def timed(call, repeat):
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)

member.get(urls["agenda month"])
month = timed(lambda: member.get(urls["agenda month"]), 20)
index = EventIndexPage.objects.live().first()
request = RequestFactory().get("/agenda/agenda.ics")
feed = views.public_feed(request, index)
items = feed.content.count(b"BEGIN:VEVENT")
cold = timed(lambda: views.public_feed(RequestFactory().get("/agenda/agenda.ics"), index), 5)
print("RESULT " + json.dumps({
    "urls": urls, "counts": counts, "month_ms": month, "ics_cold_ms": cold, "ics_items": items,
    "session": member.cookies[settings.SESSION_COOKIE_NAME].value,
}))
"""


def measure_in_process(env):
    import subprocess

    prelude = "import django; django.setup()\n"
    output = subprocess.run(
        [sys.executable, "-c", prelude + MEASURE],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def worker_cpu_seconds(server):
    """User + system CPU time of the gunicorn worker (the master's only child)."""
    children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text().split()
    fields = Path(f"/proc/{children[0]}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def loaded(server, path, headers=None):
    """(requests/s, p50 ms, CPU ms per request) of ``path`` under wrk."""
    cpu = worker_cpu_seconds(server)
    result = load(server.url(path), seconds=SECONDS, headers=headers)
    requests = result.requests_per_second * SECONDS
    cpu_ms = (worker_cpu_seconds(server) - cpu) * 1000 / max(requests, 1)
    return result.requests_per_second, result.latency_p50_ms, cpu_ms


def bench(database_url):
    env = bench_env(database_url)
    started = time.perf_counter()
    figures = measure_in_process(env)
    gzip = {"Accept-Encoding": "gzip, deflate, br"}
    member = {**gzip, "Cookie": f"sessionid={figures['session']}"}
    with Gunicorn(env, workers=1) as server:
        load(server.url("/bench/trivial/"), seconds=1)  # warm-up
        trivial = loaded(server, "/bench/trivial/")
        pages = {}
        for name, url in figures["urls"].items():
            load(server.url(url), seconds=1, headers=member)  # warm-up (fragments, renditions)
            pages[name] = loaded(server, url, headers=member)
        cached = {}
        for name in CACHED:
            url = figures["urls"][name]
            load(server.url(url), seconds=1, headers=gzip)
            cached[name] = loaded(server, url, headers=gzip)
        trivial_after = loaded(server, "/bench/trivial/")
    figures.update(trivial=trivial, trivial_after=trivial_after, pages=pages, cached=cached)
    figures["seconds"] = time.perf_counter() - started
    return figures


def report(demo, scale):
    def ratio(figures, row):
        return row[0] / figures["trivial"][0]

    print(
        f"trivial view: demo {demo['trivial'][0]:.0f} req/s (after: {demo['trivial_after'][0]:.0f}), "
        f"scale {scale['trivial'][0]:.0f} req/s (after: {scale['trivial_after'][0]:.0f})"
    )
    print()
    header = (
        f"{'page (member signed in)':24} {'× trivial':>19} {'p50 ms':>15} {'CPU ms/req':>15} {'queries':>9}"
    )
    print(header)
    print(
        f"{'':24} {'demo':>9} {'scale':>9} " + f"{'demo':>7} {'scale':>7} " * 2 + f"{'demo':>4} {'scale':>4}"
    )
    for name in demo["pages"]:
        d, s = demo["pages"][name], scale["pages"][name]
        qd, qs = demo["counts"][name]["member"][1], scale["counts"][name]["member"][1]
        print(
            f"{name:24} {ratio(demo, d):>9.3f} {ratio(scale, s):>9.3f} {d[1]:>7.1f} {s[1]:>7.1f} "
            f"{d[2]:>7.2f} {s[2]:>7.2f} {qd:>4} {qs:>4}"
        )
    print()
    print(f"{'cached (anonymous)':24} {'× trivial':>19} {'p50 ms':>15} {'CPU ms/req':>15}")
    for name in CACHED:
        d, s = demo["cached"][name], scale["cached"][name]
        print(
            f"{name:24} {ratio(demo, d):>9.3f} {ratio(scale, s):>9.3f} {d[1]:>7.1f} {s[1]:>7.1f} "
            f"{d[2]:>7.2f} {s[2]:>7.2f}"
        )
    print()
    print(f"{'in process':24} {'demo':>12} {'scale':>12}")
    print(
        f"{'month view ms (wall/CPU)':24} {demo['month_ms'][0]:>6.1f}/{demo['month_ms'][1]:<5.1f} "
        f"{scale['month_ms'][0]:>6.1f}/{scale['month_ms'][1]:<5.1f}"
    )
    print(
        f"{'ICS cold build ms':24} {demo['ics_cold_ms'][0]:>6.1f}/{demo['ics_cold_ms'][1]:<5.1f} "
        f"{scale['ics_cold_ms'][0]:>6.1f}/{scale['ics_cold_ms'][1]:<5.1f}"
    )
    print(f"{'ICS items':24} {demo['ics_items']:>12} {scale['ics_items']:>12}")
    print()
    roles = list(next(iter(demo["counts"].values())))
    print(f"{'queries per role':24} " + " ".join(f"{role:>11}" for role in roles) + "   (demo/scale)")
    for name in demo["counts"]:
        cells = " ".join(
            f"{demo['counts'][name][role][1]:>5}/{scale['counts'][name][role][1]:<5}" for role in roles
        )
        print(f"{name:24} {cells}")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    demo, scale = (bench(url) for url in sys.argv[1:])
    report(demo, scale)


if __name__ == "__main__":
    main()
