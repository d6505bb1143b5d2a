"""Real server processes over Redis: nothing lost, nothing twice.

Each test starts ASGI server subprocesses on free ports, sharing a database
they can all reach (a fresh PostgreSQL database when DATABASE_URL points to
PostgreSQL, a SQLite file otherwise) and the Redis at REDIS_URL. Each runs
on Daphne (``make run``) and on Uvicorn (production's socket servers).
"""

import asyncio
import os

import pytest

from tests.conftest import require_service
from tests.discussion.live import LiveClient, Server, db_state, live_env, run_tool, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.timeout(300)]


def _redis_available(url):
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def env(live_database):
    redis_url = os.environ.get("REDIS_URL", "")
    require_service(_redis_available(redis_url), f"no Redis answering at REDIS_URL={redis_url!r}")
    return live_env(live_database, redis_url)


@pytest.fixture(params=["daphne", "uvicorn"])
def servers(request, env, tmp_path):
    started = []

    def start(count=1):
        for _ in range(count):
            started.append(Server(env, tmp_path, kind=request.param).start())
        return started

    yield start
    for server in started:
        server.stop()


async def _converge(env, slug, clients):
    assert await wait_for(lambda: not any(c.pending for c in clients), timeout=30), "unacknowledged posts"
    expected = db_state(await asyncio.to_thread(run_tool, env, "dump", slug))
    converged = await wait_for(lambda: all(c.state() == expected for c in clients), timeout=20)
    for client in clients:
        assert client.state() == expected, "a client misses or holds extra messages"
    assert converged
    return expected


async def _stop(clients, tasks):
    for client in clients:
        client.stopped = True
        client.drop()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_clients_that_drop_and_reconnect_miss_nothing(env, servers):
    (server,) = servers(1)
    seed = await asyncio.to_thread(run_tool, env, "seed", 3)
    clients = [LiveClient([server], seed["room"], u["session"]) for u in seed["users"]]
    tasks = [asyncio.create_task(c.run()) for c in clients]
    assert await wait_for(lambda: all(c.ws for c in clients))
    for n in range(40):
        await clients[n % 2].post(f"message {n}")
        if n % 4 == 1:
            clients[2].drop()
        if n % 9 == 4:
            clients[1].drop()
        if n == 20:  # edits and deletions made while the dropped client is away
            clients[2].drop()

            def own_ids():
                author = seed["users"][0]["id"]
                return [i for i, f in clients[0].messages.items() if f["author"]["id"] == author]

            # On a loaded machine the echoes of its own posts may still be on their way.
            assert await wait_for(lambda: len(own_ids()) >= 2, timeout=30)
            own = own_ids()
            await clients[0].send({"type": "edit", "id": own[0], "body": "modifié"})
            await clients[0].send({"type": "delete", "id": own[1]})
        await asyncio.sleep(0.02)
    expected = await _converge(env, seed["room"], clients)
    assert len(expected) == 40
    assert any(body == "modifié" for _seq, _deleted, body in expected.values())
    assert any(deleted for _seq, deleted, _body in expected.values())
    assert clients[2].reconnects >= 3
    await _stop(clients, tasks)


async def test_server_restarted_mid_conversation(env, servers):
    (server,) = servers(1)
    seed = await asyncio.to_thread(run_tool, env, "seed", 3)
    clients = [LiveClient([server], seed["room"], u["session"]) for u in seed["users"]]
    tasks = [asyncio.create_task(c.run()) for c in clients]
    assert await wait_for(lambda: all(c.ws for c in clients))
    for n in range(30):
        await clients[n % 3].post(f"avant {n}")
        await asyncio.sleep(0.01)
    server.kill()  # crash: messages in flight are either stored or resent
    for n in range(10):
        await clients[n % 3].post(f"pendant {n}")
    await asyncio.sleep(0.5)
    await asyncio.to_thread(server.start)
    for n in range(20):
        await clients[n % 3].post(f"après {n}")
        await asyncio.sleep(0.01)
    expected = await _converge(env, seed["room"], clients)
    assert len(expected) == 60
    assert all(c.reconnects >= 1 for c in clients)
    await _stop(clients, tasks)


async def test_two_server_processes_deliver_each_others_messages(env, servers):
    first, second = servers(2)
    seed = await asyncio.to_thread(run_tool, env, "seed", 2)
    on_first = LiveClient([first], seed["room"], seed["users"][0]["session"])
    on_second = LiveClient([second], seed["room"], seed["users"][1]["session"])
    clients = [on_first, on_second]
    tasks = [asyncio.create_task(c.run()) for c in clients]
    assert await wait_for(lambda: all(c.ws for c in clients))
    await on_first.post("depuis le premier processus")
    assert await wait_for(lambda: len(on_second.messages) == 1, timeout=10)
    await on_second.post("depuis le second processus")
    assert await wait_for(lambda: len(on_first.messages) == 2, timeout=10)
    assert on_first.reconnects == on_second.reconnects == 0  # live, not replayed
    await _converge(env, seed["room"], clients)
    await _stop(clients, tasks)
