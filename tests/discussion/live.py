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


class Server:
    """One ASGI server process, ``daphne`` (``make run``) or ``uvicorn`` (production's
    socket servers, docs/deploy.md); ``kill()`` is a crash (SIGKILL), ``start()``
    again reuses the port."""

    def __init__(self, env, log_dir, kind="daphne"):
        self.env, self.kind, self.port, self.proc = env, kind, free_port(), None
        self.log = Path(log_dir) / f"{kind}-{self.port}.log"

    def command(self):
        if self.kind == "uvicorn":
            return [
                *(sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(self.port)),
                *("--log-level", "warning", "network.asgi:application"),
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
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
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
    """What discussion.js does, in Python: keep the last id and seq seen, reconnect
    with backoff and jitter, resume with ``?after=&seq=``, drop duplicates by id
    (update in place when the seq is newer), resend unacknowledged client_ids."""

    def __init__(self, servers, slug, session):
        self.servers, self.slug, self.session = servers, slug, session
        self.messages, self.duplicates, self.reconnects = {}, 0, 0
        self.last_id = self.last_seq = 0
        self.pending = {}
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
                    self.ws, delay = ws, 0.05
                    for client_id, body in list(self.pending.items()):
                        await ws.send(json.dumps({"type": "message", "body": body, "client_id": client_id}))
                    async for raw in ws:
                        self._on_frame(json.loads(raw))
            except (TimeoutError, OSError, websockets.exceptions.WebSocketException):
                pass
            self.ws = None
            if self.stopped:
                return
            self.reconnects += 1
            self.turn += 1  # try the next server, as a load balancer would
            await asyncio.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 1.0)

    def _on_frame(self, frame):
        if frame["type"] != "message":
            return
        known = self.messages.get(frame["id"])
        if known is not None and frame["seq"] <= known["seq"]:
            self.duplicates += 1
            return
        self.messages[frame["id"]] = frame
        self.last_id = max(self.last_id, frame["id"])
        self.last_seq = max(self.last_seq, frame["seq"])
        self.pending.pop(frame.get("client_id"), None)

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
