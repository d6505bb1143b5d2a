"""What each piece of custom machinery buys against the library's public API, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/machinery_bench.py [--only sanitizer,pages,discussion] [--repeats 2]

Each piece is measured beside its alternative in the same run, alternating,
``--repeats`` times (the machine is shared: read the CPU time beside the
latency, and compare rows of one run only):

- **sanitizer** (in process): ``network.sanitize`` (bleach's public API:
  ``Cleaner(tags=..., filters=[...])``, a filter that removes script-like
  elements with their content) against the former module, which swapped the
  Cleaner's parser and walker for its own (bleach internals), and against a
  plain ``Cleaner`` with the same allowlist (which keeps the text of a
  ``<script>``: the floor, not an option). ops/s and CPU µs per call on a
  venue description, a chat message and the hostile corpus of
  tests/network/test_sanitize.py; the outputs must be identical.
- **pages** (gunicorn, one worker, wrk, Redis cache): the page cache
  (``members.page_cache.PageCacheMiddleware``) against Django's cache
  middleware (``UpdateCacheMiddleware`` first, ``FetchFromCacheMiddleware``
  last: the public API's fastest form, ``cache_page`` runs later still),
  anonymous requests on the cached pages, beside the trivial view; worker
  CPU time per request.
- **discussion** (Uvicorn, pub/sub layer, bench/discussion_latency.py's
  clients): the room consumer on ``FanOutConsumer`` against Channels' own
  loop (``AsyncConsumer.__call__`` and ``dispatch``), and ``gc.freeze()``
  at start-up against none (bench/machinery_asgi.py swaps them), at 500
  clients x 10 msg/s on one process and 1,000 x 10/s over two: p50/p99,
  server CPU, RSS per process, the collector's pauses during the run.

Figures and decisions: docs/discussion.md, docs/caching.md, docs/sanitizer.md.
Run of 2026-12-01 20:20-20:45 UTC, the shared 2-CPU machine at a load
average of 10-16 (latencies inflated far past the targets' scale: compare
within a run only):

    sanitizer, CPU µs per call (public API / former swapped parser+walker / plain Cleaner)
        venue description 1,425 / 1,411 / 1,390; chat message 67 / 67 / 66;
        hostile corpus 72 / 71 / 62; outputs identical on every text
    cached pages, worker CPU ms per request (page cache / Django's cache middleware),
    trivial view 0.52:
        /lieux/ 0.57 / 0.83; filtered 0.67 / 1.08; venue page 0.86 / 1.23;
        GeoJSON 0.90 / 1.00  (x trivial by CPU: 0.58-0.91 / 0.42-0.63); a second
        run at load 20: lower for the page cache on 3 of the 4 pages
        (docs/caching.md), req/s too noisy to read
    discussion, one Uvicorn, 500 clients x 10/s: p99 ms, server CPU s, delivered
        FanOutConsumer + gc.freeze   3,973   3.0  50,000/50,000
        Channels' loop + gc.freeze  13,949   6.3  29,193/50,000
        FanOutConsumer, no freeze    9,342   4.0  50,000/50,000  (full collections
                                     0.8-1.9 s wall each, against 0.15-0.38 s frozen)
    The 1,000 x 10/s rows over two processes did not run: the loaded machine
    could not keep the clients' sockets alive (uvicorn's keepalive pings,
    now disabled for the bench servers). A second run (load 20) had them:
    delivered 43,764 (FanOutConsumer) against 19,315 (Channels' loop) of
    100,000; full figures in docs/discussion.md.

Decisions: the sanitizer uses bleach's public API (the former form bought
nothing); the page cache, FanOutConsumer and gc.freeze are kept, each with a
contract test, for the targets they serve (cached pages >= 0.5x; p99 <=
150 ms at 1,000 x 10/s over two processes).
"""

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
import timeit
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# ---------------------------------------------------------------- sanitizer

VENUE_DESCRIPTION = (
    "<h2>Un tiers-lieu au cœur du quartier</h2>"
    "<p>La Coroutine accueille <strong>indépendants</strong>, associations et voisins dans "
    "une ancienne filature : <em>coworking</em>, fablab, café associatif et jardin partagé. "
    "Programme sur https://coroutine.example.org/agenda et contact "
    '<a href="mailto:bonjour@coroutine.example.org">par courriel</a>.</p>'
    "<ul><li>Impression 3D et découpe laser</li><li>Salle de réunion de 20 places</li>"
    "<li>Repair café le premier samedi du mois</li></ul>"
    "<blockquote>Un lieu pour fabriquer, apprendre et se retrouver.</blockquote>"
    '<p>Plan d\'accès : <a href="https://carte.example.org/coroutine" title="Carte">la carte</a>, '
    "bus 12 arrêt Filature.</p>"
) * 3
# Edge cases the two sanitizers must treat alike, beside the hostile corpus.
EDGES = [
    "see http://exa<script>s</script>mple.org now",
    "<pre>http://x.org</pre><code>https://y.org</code>",
    "<textarea>http://t.org</textarea><select><option>a</select><title>t</title><template><p>x</p></template>",
    '<svg><a href="http://s.org">s</a></svg>after',
    "<p>a<style>b</style>c</p>",
    'plain & <text> "q"',
    "<ul><li>one<li>two</ul><blockquote>q</blockquote><h2>t</h2>",
    "<embed src=x>text<object><param name=a>obj</object>",
    '<a href="mailto:a@b.c">m</a> a@b.c',
    "<div><iframe>in</iframe>out</div>",
    "</script>stray",
    "<noscript>ns</noscript>after",
]
CHAT_MESSAGE = "Salut ! Le compte rendu est sur https://pad.example.org/reunion-12, à relire avant jeudi <3"


def former_sanitizer():
    """The former network.sanitize: bleach's Cleaner with its parser and walker
    replaced (bleach internals), kept here as the reference the module is
    measured against and must match."""
    from bleach.html5lib_shim import BleachHTMLParser

    from network import sanitize

    class DropFirst(sanitize._DropDangerousContent):
        pass

    class SwappedCleaner(sanitize.Cleaner):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.parser = BleachHTMLParser(
                tags=self.tags | sanitize.DROPPED_WITH_CONTENT,
                strip=self.strip,
                consume_entities=False,
                namespaceHTMLElements=False,
            )
            walker = self.walker
            self.walker = lambda dom: DropFirst(walker(dom))

    cleaner = SwappedCleaner(
        tags=sanitize.ALLOWED_TAGS,
        attributes=sanitize.ALLOWED_ATTRIBUTES,
        protocols=sanitize.ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=sanitize._cleaner.filters[1:],  # the link filter alone
    )
    return cleaner.clean


def plain_sanitizer():
    """A plain Cleaner, same allowlist and link filter, no content removal."""
    from network import sanitize

    return sanitize.Cleaner(
        tags=sanitize.ALLOWED_TAGS,
        attributes=sanitize.ALLOWED_ATTRIBUTES,
        protocols=sanitize.ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=sanitize._cleaner.filters[1:],
    ).clean


def bench_sanitizer(repeats):
    from network.sanitize import sanitize_html
    from tests.network.test_sanitize import HOSTILE

    variants = {
        "public API (Cleaner + filter)": sanitize_html,
        "former (swapped parser+walker)": former_sanitizer(),
        "plain Cleaner (keeps <script> text)": plain_sanitizer(),
    }
    corpora = {
        "venue description": [VENUE_DESCRIPTION],
        "chat message": [CHAT_MESSAGE],
        "hostile corpus": HOSTILE,
    }
    corpus = [VENUE_DESCRIPTION, CHAT_MESSAGE, *HOSTILE, *EDGES]
    public, former = variants["public API (Cleaner + filter)"], variants["former (swapped parser+walker)"]
    differing = [text for text in corpus if public(text) != former(text)]
    rows = []
    for corpus_name, texts in corpora.items():
        samples = {name: [] for name in variants}
        for _ in range(repeats):
            for name, clean in variants.items():  # alternating
                number = max(20, 2000 // (len(texts) * (1 + len(texts[0]) // 200)))
                cpu0, wall0 = time.process_time(), time.perf_counter()
                timeit.timeit(lambda clean=clean, texts=texts: [clean(t) for t in texts], number=number)
                calls = number * len(texts)
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                samples[name].append((calls / wall, cpu / calls * 1e6))
        for name, values in samples.items():
            rows.append(
                (corpus_name, name, max(v[0] for v in values), min(v[1] for v in values), len(values))
            )
    print("\n## Sanitizer (in process; best of the repeats)")
    print(f"public-API module and former one: {len(differing)} of {len(corpus)} outputs differ")
    for text in differing:
        print(f"  differs: {text!r}")
    print("| corpus | variant | calls/s | CPU µs/call |")
    print("|---|---|---:|---:|")
    for corpus_name, name, per_s, cpu_us, _ in rows:
        print(f"| {corpus_name} | {name} | {per_s:,.0f} | {cpu_us:,.0f} |")
    return {"differing": len(differing), "rows": rows}


# ---------------------------------------------------------------- pages


def _cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _worker_pid(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return int(children[0])


def bench_pages(repeats, venues, seconds):
    from bench.harness import Gunicorn, bench_database, load, run_python
    from bench.venues_bench import BROWSER, SEED

    pages = [
        "/lieux/",
        "/lieux/?activity=fablab&qpv=1",
        "/lieux/banc-050/",
        "/lieux/lieux.geojson",
    ]
    results = {}  # (variant, path) -> [(req/s, p99, cpu ms/request)]
    with bench_database("machinery") as env, contextlib.ExitStack() as stack:
        run_python(env, SEED.format(count=venues))
        servers = {
            "page cache (members.page_cache)": stack.enter_context(Gunicorn(env)),
            "Django cache middleware": stack.enter_context(Gunicorn({**env, "BENCH_PAGE_CACHE": "django"})),
        }
        for variant, server in servers.items():
            for path in pages:
                for _ in range(3):  # warm: imports, then the stored copy
                    request = urllib.request.Request(server.url(path), headers=BROWSER)
                    with urllib.request.urlopen(request) as response:
                        headers = response.headers
                stored = headers.get("X-Page-Cache") == "hit" or "max-age=600" in headers.get(
                    "Cache-Control", ""
                )
                if not stored:
                    raise SystemExit(f"{variant}: {path} is not answered from the cache")
        trivial_server = servers["page cache (members.page_cache)"]
        for _ in range(repeats):
            for variant, server in [("trivial view", trivial_server), *servers.items()]:
                worker = _worker_pid(server.proc.pid)
                for path in ["/bench/trivial/"] if variant == "trivial view" else pages:
                    cpu = _cpu_seconds(worker)
                    row = load(server.url(path), seconds=seconds, headers=BROWSER)
                    requests = row.requests_per_second * seconds
                    cpu_ms = (_cpu_seconds(worker) - cpu) * 1000 / requests
                    results.setdefault((variant, path), []).append(
                        (row.requests_per_second, row.latency_p99_ms, cpu_ms)
                    )
    trivial = statistics.median(r[0] for r in results[("trivial view", "/bench/trivial/")])
    trivial_cpu = statistics.median(r[2] for r in results[("trivial view", "/bench/trivial/")])
    print(f"\n## Cached pages for a visitor ({venues} venues, 1 gunicorn worker, wrk {seconds} s)")
    print("req/s: median of the runs (each run's ratio in brackets); the worker is saturated, so")
    print("its CPU time per request, less noisy on a shared machine, gives a ratio of its own.")
    print("| variant | page | req/s | × trivial | p99 ms | worker CPU ms/request | × trivial by CPU |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (variant, path), values in results.items():
        rps = statistics.median(v[0] for v in values)
        p99 = statistics.median(v[1] for v in values)
        cpu = statistics.median(v[2] for v in values)
        ratios = "-".join(f"{v[0] / trivial:.2f}" for v in values)
        print(
            f"| {variant} | `{path}` | {rps:.0f} | {rps / trivial:.2f} ({ratios}) | {p99:.1f} | {cpu:.2f} "
            f"| {trivial_cpu / cpu:.2f} |"
        )
    return {f"{k[0]} {k[1]}": v for k, v in results.items()}


# ---------------------------------------------------------------- discussion

CONFIGS = {
    "FanOutConsumer + gc.freeze (production)": {},
    "Channels' loop + gc.freeze": {"BENCH_CONSUMER": "channels"},
    "FanOutConsumer, no gc.freeze": {"BENCH_GC_FREEZE": "0"},
    "Channels' loop, no gc.freeze": {"BENCH_CONSUMER": "channels", "BENCH_GC_FREEZE": "0"},
}


def bench_discussion(repeats, loads, duration, configs):
    import subprocess

    import uvloop

    from bench.discussion_latency import Clients, raise_open_files
    from bench.harness import scratch_database_url
    from tests.discussion.live import Server, live_env, run_tool

    class BenchServer(Server):
        def command(self):
            # No keepalive pings: on a loaded machine a client still connecting its
            # hundreds of sockets answers late, and the server would close them.
            pings = ("--ws-ping-interval", "600", "--ws-ping-timeout", "600")
            return [*super().command()[:-1], *pings, "bench.machinery_asgi:application"]

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    raise_open_files(max(clients for _, clients, _ in loads) * 2 + 256)
    rows = []
    with scratch_database_url("machinery") as url, tempfile.TemporaryDirectory() as logs:
        env = live_env(url, redis_url)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        seeded = run_tool(env, "seed", max(clients for _, clients, _ in loads))
        sessions = [user["session"] for user in seeded["users"]]
        for repeat in range(repeats):
            for processes, size, rate in loads:
                for name in configs:
                    label = f"{repeat}-{size}-{list(CONFIGS).index(name)}"
                    gc_logs = [Path(logs) / f"gc-{label}-{n}.json" for n in range(processes)]
                    servers = [
                        BenchServer(
                            {**env, **CONFIGS[name], "BENCH_GC_LOG": str(log)}, logs, kind="uvicorn"
                        ).start()
                        for log in gc_logs
                    ]
                    try:
                        result = uvloop.run(
                            _one_load(Clients, servers, seeded["room"], sessions[:size], rate, duration)
                        )
                    finally:
                        for server in servers:
                            server.stop()
                    pauses = []
                    for log in gc_logs:
                        with contextlib.suppress(FileNotFoundError):
                            pauses += [json.loads(line) for line in log.read_text().splitlines()]
                    during = [p for p in pauses if result["window"][0] <= p[0] <= result["window"][1]]
                    result.update(
                        config=name,
                        processes=processes,
                        clients=size,
                        rate=rate,
                        full_gcs=sum(1 for p in during if p[1] == 2),
                        max_pause=max((p[2] for p in during), default=0.0),
                        full_pause=max((p[2] for p in pauses if p[1] == 2), default=0.0),
                        full_cpu=max((p[3] for p in pauses if p[1] == 2), default=0.0),
                    )
                    rows.append(result)
                    print(
                        f"  {name}: {processes} x uvicorn, {size} x {rate}/s  p50 {result['p50']:.1f}  "
                        f"p99 {result['p99']:.1f} ms  CPU {result['cpu']:.1f} s  RSS {result['rss']:.0f} MB  "
                        f"full GCs {result['full_gcs']}  ({result['delivered']}/{result['expected']})",
                        flush=True,
                    )
    print(f"\n## Discussion delivery (Uvicorn, pub/sub layer, {duration:.0f} s per row; every run listed)")
    print(
        "| consumer / GC | load | p50 ms | p99 ms | server CPU s (sum) | RSS MB per process | "
        "full GCs in run (longest full GC ever, ms wall / CPU) | longest pause in run ms | delivered |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for row in sorted(rows, key=lambda r: (r["processes"], list(CONFIGS).index(r["config"]))):
        print(
            f"| {row['config']} | {row['processes']} proc, {row['clients']} x {row['rate']}/s "
            f"| {row['p50']:.1f} | {row['p99']:.1f} | {row['cpu']:.1f} | {row['rss']:.0f} "
            f"| {row['full_gcs']} ({row['full_pause']:.0f} / {row['full_cpu']:.0f}) | {row['max_pause']:.1f} "
            f"| {row['delivered']}/{row['expected']} |"
        )
    return rows


async def _one_load(clients_class, servers, slug, sessions, rate, duration):
    import asyncio

    clients = clients_class([server.port for server in servers], slug, sessions)
    await clients.connect()
    await asyncio.sleep(1 + len(sessions) / 200)  # the join presence frames drain
    pids = [server.proc.pid for server in servers]
    cpu = sum(map(_cpu_seconds, pids))
    started = time.time()
    try:
        result = await clients.run_rate(rate, duration)
    except Exception as error:  # noqa: BLE001 - a saturated server closes sockets: a figure too
        nan = float("nan")
        failed = f"failed ({type(error).__name__}) {len(clients.latencies)}"
        result = {"p50": nan, "p99": nan, "delivered": failed, "expected": "?"}
    result["window"] = (started, time.time())
    result["cpu"] = sum(map(_cpu_seconds, pids)) - cpu
    result["rss"] = statistics.mean(map(_rss_mb, pids))
    await clients.close()
    return result


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="sanitizer,pages,discussion")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--venues", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=5, help="wrk seconds per page")
    parser.add_argument("--duration", type=float, default=10, help="seconds of posting per discussion row")
    parser.add_argument("--loads", default="1x500x10,2x1000x10", help="processes x clients x msg/s, ...")
    parser.add_argument(
        "--configs", default=",".join(str(n) for n in range(len(CONFIGS))), help="indexes into CONFIGS"
    )
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    only = set(args.only.split(","))
    results = {}
    if "sanitizer" in only:
        results["sanitizer"] = bench_sanitizer(args.repeats * 2)
    if "pages" in only:
        results["pages"] = bench_pages(args.repeats, args.venues, args.seconds)
    if "discussion" in only:
        loads = [tuple(int(x) for x in spec.split("x")) for spec in args.loads.split(",")]
        configs = [list(CONFIGS)[int(n)] for n in args.configs.split(",")]
        results["discussion"] = bench_discussion(args.repeats, loads, args.duration, configs)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
