"""Redis restarted and a server killed while members post: every stored message
reaches every open client, none twice.

Each test runs its own ``redis-server`` on a free port (never the machine's
shared Redis) and real Daphne processes on it, with the database of
``live_database``. Clients are ``LiveClient``, what discussion.js does.
"""

import asyncio
import shutil

import pytest

from tests.conftest import require_service
from tests.discussion.live import LiveClient, RedisServer, Server, db_state, live_env, run_tool, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.timeout(300)]


@pytest.fixture
def private_redis(tmp_path):
    require_service(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def start_servers(live_database, private_redis, tmp_path):
    started = []

    def start(count=1, **env):
        for _ in range(count):
            server_env = {**live_env(live_database, private_redis.url), **env}
            started.append(Server(server_env, tmp_path).start())
        return started

    yield start
    for server in started:
        server.stop()


async def _converge(env, slug, clients, count):
    assert await wait_for(lambda: not any(c.pending for c in clients), timeout=60), "unacknowledged posts"
    expected = db_state(await asyncio.to_thread(run_tool, env, "dump", slug))
    assert len(expected) == count, "a post was never stored"
    await wait_for(lambda: all(c.state() == expected for c in clients), timeout=30)
    for client in clients:
        assert client.state() == expected, "an open client misses a stored message"
    return expected


async def _stop(clients, tasks):
    for client in clients:
        client.stopped = True
        client.drop()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_redis_restarted_mid_conversation_loses_nothing(start_servers, private_redis):
    first, second = start_servers(2)
    env = first.env
    seed = await asyncio.to_thread(run_tool, env, "seed", 4)
    clients = [
        LiveClient([server], seed["room"], user["session"], ping=1.0)
        for server, user in zip([first, second, first, second], seed["users"], strict=True)
    ]
    tasks = [asyncio.create_task(c.run()) for c in clients]
    assert await wait_for(lambda: all(c.ws for c in clients))
    for n in range(20):
        await clients[n % 4].post(f"avant {n}")
        await asyncio.sleep(0.02)
    await asyncio.to_thread(private_redis.stop)
    for n in range(8):  # stored (the database is up), refused for a moment, or resent
        await clients[n % 4].post(f"pendant {n}")
        await asyncio.sleep(0.1)
    await asyncio.to_thread(private_redis.start)
    for n in range(20):
        await clients[n % 4].post(f"après {n}")
        await asyncio.sleep(0.02)
    await _converge(env, seed["room"], clients, 48)
    # The sockets stayed open through the restart (no 1011): the gaps were filled by replays.
    assert [c.reconnects for c in clients] == [0, 0, 0, 0]
    assert sum(c.resyncs for c in clients) >= 1
    await _stop(clients, tasks)


async def test_resends_refused_by_the_rate_limit_after_a_crash_are_retried(start_servers):
    (server,) = start_servers(1, LIVE_RATE_LIMIT="4", LIVE_RATE_WINDOW="3")
    env = server.env
    seed = await asyncio.to_thread(run_tool, env, "seed", 2)
    clients = [LiveClient([server], seed["room"], u["session"], ping=1.0) for u in seed["users"]]
    tasks = [asyncio.create_task(c.run()) for c in clients]
    assert await wait_for(lambda: all(c.ws for c in clients))
    for n in range(4):
        await clients[n % 2].post(f"avant {n}")
        await asyncio.sleep(0.3)
    await asyncio.to_thread(server.kill)  # SIGKILL
    # Pending: resent at once on reconnect, 12 per client, when at most 4 a window
    # (two windows at worst) get through: some are refused and must be retried.
    for n in range(24):
        await clients[n % 2].post(f"pendant {n}")
    await asyncio.to_thread(server.start)
    await _converge(env, seed["room"], clients, 28)
    assert all(c.reconnects >= 1 for c in clients)
    assert all(c.retries >= 1 for c in clients), "the limit never refused a resend: the test proves nothing"
    await _stop(clients, tasks)
