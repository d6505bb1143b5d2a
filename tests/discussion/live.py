"""Real ASGI server processes and reconnecting WebSocket clients for test_live.py."""

import asyncio
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DAPHNE = Path(sys.executable).with_name("daphne")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def live_env(database_url, redis_url):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.discussion.live_settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        LIVE_CHANNEL_PREFIX=f"live{uuid.uuid4().hex[:8]}",
        PYTHONPATH=str(ROOT),
    )
    return env


def run_tool(env, *args):
    result = subprocess.run(
        [sys.executable, "-m", "tests.discussion.live_tool", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


class RedisServer:
    """A private ``redis-server`` on a free port of its own, for tests that stop and
    restart Redis (never the machine's shared one). ``stop()`` then ``start()``
    is a restart on the same port, with nothing persisted."""

    def __init__(self, log_dir):
        self.port, self.proc = free_port(), None
        self.log = Path(log_dir) / f"redis-{self.port}.log"
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=10):
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no"),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer: {self.log.read_text()[-2000:]}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class Server:
    """One server process: ``daphne`` (``make run``), ``uvicorn`` (production's
    socket servers, docs/deploy.md) or ``gunicorn`` (production's page workers);
    ``kill()`` is a crash (SIGKILL), ``start()`` again reuses the port.

    ``proxied`` runs it as behind the reverse proxy: Uvicorn trusts the
    proxy's ``X-Forwarded-*`` and logs each socket it accepts, and the health
    check says it came over HTTPS (production settings redirect plain HTTP).
    """

    def __init__(self, env, log_dir, kind="daphne", proxied=False):
        self.env, self.kind, self.port, self.proc = env, kind, free_port(), None
        self.proxied = proxied
        self.log = Path(log_dir) / f"{kind}-{self.port}.log"

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def command(self):
        if self.kind == "uvicorn":
            proxy = ("--proxy-headers", "--forwarded-allow-ips", "127.0.0.1") if self.proxied else ()
            return [
                *(sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(self.port), *proxy),
                *("--log-level", "info" if self.proxied else "warning", "network.asgi:application"),
            ]
        if self.kind == "gunicorn":
            return [
                *(sys.executable, "-m", "gunicorn", "--bind", self.address, "--workers", "1"),
                "network.wsgi:application",
            ]
        return [str(DAPHNE), "-b", "127.0.0.1", "-p", str(self.port), "network.asgi:application"]

    def start(self, timeout=60):
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited: {self.log.read_text()[-2000:]}")
            headers = {"X-Forwarded-Proto": "https"} if self.proxied else {}
            request = urllib.request.Request(f"http://127.0.0.1:{self.port}/healthz", headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.kind} did not answer: {self.log.read_text()[-2000:]}")

    def kill(self):
        self.proc.kill()
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class LiveClient:
    """What discussion.js does, in Python: keep the last id and the last contiguous
    seq, reconnect with backoff and jitter, resume with ``?after=&seq=``, ask for
    a replay (``resync``) on a gap in seq, a pong ahead of it or a server hint,
    drop duplicates by id (update in place when the seq is newer), resend
    unacknowledged client_ids, again after ``retry_after`` when refused so.

    ``ping`` is the ping interval (the page pings every 30 s; tests go faster).
    """

    def __init__(self, servers, slug, session, ping=30.0):
        self.servers, self.slug, self.session, self.ping = servers, slug, session, ping
        self.messages, self.duplicates, self.reconnects = {}, 0, 0
        self.last_id = self.last_seq = 0
        self.pending, self.syncing, self.resyncs, self.retries = {}, False, 0, 0
        self.errors, self._tasks = [], set()
        self.ws, self.stopped, self.turn = None, False, 0

    def _url(self, port):
        # Always resume, even before the first message: a client that drops
        # before seeing anything must still be sent the whole room.
        return f"ws://127.0.0.1:{port}/ws/discussions/{self.slug}/?after={self.last_id}&seq={self.last_seq}"

    async def run(self):
        import websockets

        delay = 0.05
        while not self.stopped:
            port = self.servers[self.turn % len(self.servers)].port
            try:
                async with websockets.connect(
                    self._url(port),
                    origin=f"http://127.0.0.1:{port}",
                    additional_headers={"Cookie": f"sessionid={self.session}"},
                    open_timeout=3,
                ) as ws:
                    self.ws, delay, self.syncing = ws, 0.05, True
                    for client_id, body in list(self.pending.items()):
                        await ws.send(json.dumps({"type": "message", "body": body, "client_id": client_id}))
                    pinger = asyncio.create_task(self._ping(ws))
                    try:
                        async for raw in ws:
                            self._on_frame(json.loads(raw))
                    finally:
                        pinger.cancel()
            except (TimeoutError, OSError, websockets.exceptions.WebSocketException):
                pass
            self.ws, self.syncing = None, False
            if self.stopped:
                return
            self.reconnects += 1
            self.turn += 1  # try the next server, as a load balancer would
            await asyncio.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 1.0)

    async def _ping(self, ws):
        while True:
            await asyncio.sleep(self.ping)
            with contextlib.suppress(Exception):
                await ws.send(json.dumps({"type": "ping"}))

    def _on_frame(self, frame):
        kind = frame["type"]
        if kind == "synced":
            self.syncing = False
            self.last_seq = max(self.last_seq, frame["seq"])
        elif kind == "resync" or (kind == "pong" and frame["seq"] > self.last_seq):
            self._resync()
        elif kind == "error":
            self._on_error(frame)
        elif kind == "message":
            self._on_message(frame)

    def _on_message(self, frame):
        self.pending.pop(frame.get("client_id"), None)
        known = self.messages.get(frame["id"])
        if known is not None and frame["seq"] <= known["seq"]:
            self.duplicates += 1
            return
        self.messages[frame["id"]] = frame
        self.last_id = max(self.last_id, frame["id"])
        if frame["seq"] == self.last_seq + 1:
            self.last_seq = frame["seq"]
        elif frame["seq"] > self.last_seq + 1:
            self._resync()

    def _resync(self):
        if not self.syncing and self.ws is not None:
            self.syncing, self.resyncs = True, self.resyncs + 1
            self._tasks.add(
                asyncio.ensure_future(
                    self.send({"type": "resync", "after": self.last_id, "seq": self.last_seq})
                )
            )

    def _on_error(self, frame):
        self.errors.append(frame)
        client_id = frame.get("client_id")
        if client_id not in self.pending:
            return
        if frame.get("retry_after"):
            self.retries += 1
            asyncio.get_running_loop().call_later(
                frame["retry_after"] * (1 + random.random() / 2),
                lambda: self._tasks.add(asyncio.ensure_future(self._resend(client_id))),
            )
        else:
            del self.pending[client_id]

    async def _resend(self, client_id):
        if client_id in self.pending:
            await self.send({"type": "message", "body": self.pending[client_id], "client_id": client_id})

    async def send(self, frame):
        if self.ws is not None:
            # A send on a dying socket is lost: the reconnect loop resends what matters.
            with contextlib.suppress(Exception):
                await self.ws.send(json.dumps(frame))

    async def post(self, body):
        client_id = str(uuid.uuid4())
        self.pending[client_id] = body
        await self.send({"type": "message", "body": body, "client_id": client_id})
        return client_id

    def drop(self):
        """Cut the connection abruptly (no close handshake)."""
        if self.ws is not None:
            self.ws.transport.abort()

    def state(self):
        return {i: (f["seq"], f["deleted"], f["body"]) for i, f in self.messages.items()}


def db_state(rows):
    return {r["id"]: (r["seq"], r["deleted"], r["body"]) for r in rows}


async def wait_for(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.1)
    return predicate()
