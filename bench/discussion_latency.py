"""Delivery latency of one discussion room: one ASGI process, Redis channel layer.

    .venv/bin/python bench/discussion_latency.py [--clients 10,100,500] [--rates 2,10,30,50]
        [--duration 10] [--layers pubsub,core] [--servers uvicorn,daphne]

For each channel layer and ASGI server, starts one server process (``--processes N``:
N of them, the clients spread over them in turn, as the proxy does) on a freshly
migrated database (a new PostgreSQL database when DATABASE_URL points to
PostgreSQL, a SQLite file otherwise) with the channel layer on REDIS_URL
(default redis://127.0.0.1:6379/0). For each number of clients N it connects N
WebSocket clients (``websockets``, one uvloop event loop), then for each total rate
R a few of them post messages for ``--duration`` seconds, each body carrying a
key to its send time. Every delivery to every client is timed from send to
receipt. Prints p50/p99 latency and deliveries per second per (N, R), beside a
raw Redis PUBLISH/SUBSCRIBE round trip measured in the same run.

Figures and the choices they led to: docs/discussion.md. Run of 2026-12-01
18:15 UTC, idle machine, Uvicorn, pubsub layer, 10 s per row:

    one process,  100 clients x 10 msg/s    p50 15.9 ms   p99 22.0 ms
    one process,  500 clients x 10 msg/s    p50 27.8 ms   p99 55.8 ms
    two processes (--processes 2), 1,000 clients x 10 msg/s
                                            p50 36.9 ms   p99 61.4 ms   (100,000/100,000 delivered)
"""

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import uvloop

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import scratch_database_url  # noqa: E402
from tests.discussion.live import Server, live_env, run_tool  # noqa: E402

LAYERS = {
    "core": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}
BODY = re.compile(r'"body":"bench (\d+)"')
SENDERS = 5


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def raise_open_files(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


async def redis_round_trip(redis_url, count=300, interval=0.005):
    """p50/p99 (ms) of PUBLISH -> message received on a SUBSCRIBE connection."""
    import redis.asyncio as redis

    client = redis.Redis.from_url(redis_url)
    pubsub = client.pubsub()
    channel = f"bench-{uuid.uuid4().hex}"
    await pubsub.subscribe(channel)
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    samples = []

    async def listen():
        async for message in pubsub.listen():
            if message["type"] == "message":
                samples.append(time.perf_counter() - float(message["data"]))
                if len(samples) == count:
                    return

    listener = asyncio.create_task(listen())
    for _ in range(count):
        await client.publish(channel, repr(time.perf_counter()))
        await asyncio.sleep(interval)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(listener, 5)
    await pubsub.aclose()
    await client.aclose()
    ms = [s * 1000 for s in samples]
    return percentile(ms, 50), percentile(ms, 99)


class Clients:
    """N connected sockets; each delivery of a bench message is timed."""

    def __init__(self, ports, slug, sessions):
        self.ports, self.slug, self.sessions = ports, slug, sessions
        self.sockets, self.readers = [], []
        self.sent, self.latencies = {}, []

    async def _connect(self, session, port):
        import websockets

        for attempt in range(5):
            try:
                return await websockets.connect(
                    f"ws://127.0.0.1:{port}/ws/discussions/{self.slug}/",
                    origin=f"http://127.0.0.1:{port}",
                    additional_headers={"Cookie": f"sessionid={session}"},
                    open_timeout=30,
                    max_size=None,
                    ping_interval=None,
                    compression=None,
                )
            except (OSError, TimeoutError, websockets.exceptions.InvalidMessage):
                # daphne drops handshakes it could not finish in 5 s (connect storms)
                await asyncio.sleep(0.5 * (attempt + 1))
        raise RuntimeError("could not connect")

    async def connect(self, batch=25):
        for start in range(0, len(self.sessions), batch):
            chunk = self.sessions[start : start + batch]
            ports = [self.ports[(start + n) % len(self.ports)] for n in range(len(chunk))]  # round robin
            pairs = zip(chunk, ports, strict=True)
            self.sockets += await asyncio.gather(*(self._connect(session, port) for session, port in pairs))
        self.readers = [asyncio.create_task(self._read(ws)) for ws in self.sockets]

    async def _read(self, ws):
        with contextlib.suppress(Exception):
            async for raw in ws:
                now = time.perf_counter()
                found = BODY.search(raw)  # no JSON parse: the client must not be the bottleneck
                if found is not None:
                    sent = self.sent.get(int(found.group(1)))
                    if sent is not None:
                        self.latencies.append((now - sent) * 1000)

    async def run_rate(self, rate, duration):
        """Post ``rate`` messages a second (over a few senders) for ``duration`` s."""
        self.sent, self.latencies = {}, []
        senders = self.sockets[:SENDERS]
        total = int(rate * duration)
        started = time.perf_counter()
        key = int(time.time() * 1000) * 1000
        for n in range(total):
            due = started + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            key += 1
            self.sent[key] = time.perf_counter()
            frame = {"type": "message", "body": f"bench {key}", "client_id": str(uuid.uuid4())}
            await senders[n % len(senders)].send(json.dumps(frame))
        expected = total * len(self.sockets)
        deadline = time.perf_counter() + 10
        while len(self.latencies) < expected and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        return {
            "sent": total,
            "delivered": len(self.latencies),
            "expected": expected,
            "p50": percentile(self.latencies, 50),
            "p99": percentile(self.latencies, 99),
            "per_s": len(self.latencies) / elapsed,
        }

    async def close(self):
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)


async def bench_server(servers, seeded, sizes, rates, duration):
    rows = []
    sessions = [u["session"] for u in seeded["users"]]
    for size in sizes:
        clients = Clients([server.port for server in servers], seeded["room"], sessions[:size])
        started = time.perf_counter()
        await clients.connect()
        await asyncio.sleep(1 + size / 200)  # let the join presence frames drain
        print(f"  {size} clients connected in {time.perf_counter() - started:.1f} s", flush=True)
        for rate in rates:
            result = await clients.run_rate(rate, duration)
            rows.append({"clients": size, "rate": rate, **result})
            print(
                f"  N={size:4d} R={rate:3d}/s  p50 {result['p50']:7.1f} ms  p99 {result['p99']:7.1f} ms  "
                f"{result['per_s']:8.0f} deliveries/s  ({result['delivered']}/{result['expected']})",
                flush=True,
            )
            await asyncio.sleep(1)
        await clients.close()
        await asyncio.sleep(1 + size / 200)
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    number_list = lambda text: [int(x) for x in text.split(",") if x]  # noqa: E731
    parser.add_argument("--clients", type=number_list, default=[10, 100, 500])
    parser.add_argument("--rates", type=number_list, default=[2, 10, 30, 50])
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--layers", default="pubsub,core", help="pubsub, core or both")
    parser.add_argument("--servers", default="uvicorn,daphne", help="uvicorn, daphne or both")
    parser.add_argument(
        "--processes", type=int, default=1, help="server processes of each kind, clients spread over them"
    )
    parser.add_argument("--json", default="", help="also write the rows to this file")
    args = parser.parse_args()

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    limit = raise_open_files(max(args.clients) * 2 + 256)
    database_name = os.environ.get("DATABASE_URL") or "SQLite"
    print(f"open files limit {limit}; Redis {redis_url}; database {database_name}")
    table = []
    with scratch_database_url("discussion") as url, tempfile.TemporaryDirectory() as logs:
        env = live_env(url, redis_url)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        seeded = run_tool(env, "seed", max(args.clients))
        for server_name in args.servers.split(","):
            for layer in args.layers.split(","):
                server_env = {**env, "LIVE_CHANNEL_BACKEND": LAYERS[layer]}
                servers = [Server(server_env, logs, kind=server_name).start() for _ in range(args.processes)]
                try:
                    p50, p99 = uvloop.run(redis_round_trip(redis_url))
                    print(
                        f"{server_name} + {layer}: raw Redis PUBLISH/SUBSCRIBE p50 {p50:.2f} p99 {p99:.2f} ms"
                    )
                    rows = uvloop.run(bench_server(servers, seeded, args.clients, args.rates, args.duration))
                    name = server_name if args.processes == 1 else f"{args.processes} × {server_name}"
                    table += [{"server": name, "layer": layer, **row} for row in rows]
                    table.append({"server": name, "layer": layer, "redis_p50": p50, "redis_p99": p99})
                finally:
                    for server in servers:
                        server.stop()
    print("\n| server | layer | clients | msg/s | p50 ms | p99 ms | deliveries/s | delivered |")
    print("|---|---|---|---|---|---|---|---|")
    for row in table:
        if "clients" in row:
            print(
                f"| {row['server']} | {row['layer']} | {row['clients']} | {row['rate']} | {row['p50']:.1f} | "
                f"{row['p99']:.1f} | {row['per_s']:.0f} | {row['delivered']}/{row['expected']} |"
            )
        else:
            redis_cells = f"{row['redis_p50']:.2f} | {row['redis_p99']:.2f}"
            print(f"| {row['server']} | {row['layer']} | Redis PUB/SUB round trip | | {redis_cells} | | |")
    if args.json:
        Path(args.json).write_text(json.dumps(table, indent=2))


if __name__ == "__main__":
    main()
