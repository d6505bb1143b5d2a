"""Shared pieces of the HTTP benchmarks: a migrated PostgreSQL (or SQLite)
database, a gunicorn WSGI worker serving the site with bench/settings.py, and
wrk (Debian package) to load it from a second process on loopback.

    with bench_database("venues") as env:        # env for subprocesses
        manage(env, "seed_demo")
        with Gunicorn(env, workers=1) as server:
            trivial = load(server.url("/bench/trivial/"))
            page = load(server.url("/lieux/"))
            print(ratio(page, trivial))

Results are figures to compare, never assertions.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(database_url):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
    )
    return env


@contextlib.contextmanager
def scratch_database_url(label):
    """The URL of a fresh, empty database: PostgreSQL when DATABASE_URL points to
    one (a new database next to it, dropped afterwards), else a SQLite file."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"bench_{label}_{uuid.uuid4().hex[:6]}"
        server = base.rsplit("/", 1)[0]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server}/{name}"
        finally:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        folder = tempfile.mkdtemp(prefix=f"bench-{label}-")
        try:
            yield f"sqlite:///{folder}/bench.sqlite3"
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def bench_database(label):
    """A fresh database, migrated with the bench settings; yields the environment."""
    with scratch_database_url(label) as url:
        env = bench_env(url)
        manage(env, "migrate", "--noinput", "-v0")
        yield env


def manage(env, *args, timeout=1800):
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
    )


def run_python(env, code, timeout=1800):
    """Run ``code`` in a Django-ready subprocess on the bench database."""
    prelude = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code], cwd=ROOT, env=env, check=True, timeout=timeout
    )


class Gunicorn:
    """One gunicorn (WSGI) server on a free port; ``workers`` sync processes."""

    def __init__(self, env, workers=1):
        self.env, self.workers, self.port, self.proc = env, workers, free_port(), None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [
                str(GUNICORN),
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "network.wsgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url("/bench/trivial/"), timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer, see {self.log.name}")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=20)


@dataclass
class Load:
    path: str
    requests_per_second: float
    latency_p50_ms: float
    latency_p99_ms: float


def _ms(value):
    """wrk's latency (``812.00us``, ``3.45ms``, ``1.20s``, ``1.00m``) in milliseconds."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if found is None:
        raise ValueError(f"unexpected wrk latency {value!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def load(url, seconds=5, connections=4, threads=2, headers=None):
    """Load ``url`` with wrk for ``seconds``; requests/s and latency percentiles."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    command += ["--timeout", "30s"]  # a slow page is measured, not dropped at wrk's default 2 s
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"{url} answered errors under load:\n{output}")
    try:
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        # Anchored: a "+/- Stdev" column such as "74.50%" also ends in "50%".
        p50 = _ms(re.search(r"^\s*50%\s+(\S+)", output, re.MULTILINE).group(1))
        p99 = _ms(re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE).group(1))
    except (AttributeError, ValueError) as error:
        raise RuntimeError(f"{url}: cannot read wrk's report ({error}):\n{output}") from error
    parts = urllib.parse.urlsplit(url)
    return Load(parts.path + (f"?{parts.query}" if parts.query else ""), rps, p50, p99)


def print_table(rows, trivial):
    print(f"{'page':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× trivial':>10}")
    for row in [trivial, *rows]:
        print(
            f"{row.path:40} {row.requests_per_second:>9.1f} {row.latency_p50_ms:>8.1f} "
            f"{row.latency_p99_ms:>8.1f} {row.requests_per_second / trivial.requests_per_second:>10.3f}"
        )
