"""The room page in real browsers fills its own gaps: a broadcast lost (stored,
never delivered) and a Redis restart, on a private ``redis-server``."""

import shutil

import pytest

from tests.conftest import require_service
from tests.discussion.conftest import live_database  # noqa: F401 - fixtures
from tests.discussion.live import RedisServer, Server, live_env, run_tool

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.timeout(300)]


@pytest.fixture
def site(live_database, tmp_path):  # noqa: F811
    require_service(shutil.which("redis-server") is not None, "redis-server is not installed")
    redis = RedisServer(tmp_path).start()
    server = Server(live_env(live_database, redis.url), tmp_path).start()
    yield redis, server
    server.stop()
    redis.stop()


def _open_room(browser, server, session, slug):
    context = browser.new_context(locale="fr-FR")
    context.add_cookies([{"name": "sessionid", "value": session, "url": f"http://127.0.0.1:{server.port}"}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"http://127.0.0.1:{server.port}/discussions/{slug}/")
    page.locator(".room__status", has_text="En direct").wait_for()
    return page


def _post(page, text):
    page.locator(".room__form textarea").fill(text)
    page.locator(".room__form button[type=submit]").click()


def _shows(page, text):
    page.locator(".room__messages .message", has_text=text).wait_for()


def test_a_lost_broadcast_is_fetched_when_the_next_message_shows_the_gap(browser, site):
    _redis, server = site
    seeded = run_tool(server.env, "seed", 2)
    alice = _open_room(browser, server, seeded["users"][0]["session"], seeded["room"])
    bob = _open_room(browser, server, seeded["users"][1]["session"], seeded["room"])
    _post(alice, "Premier message")
    _shows(bob, "Premier message")

    run_tool(server.env, "lose", seeded["room"], seeded["users"][0]["id"], "Jamais diffusé")
    _post(alice, "Troisième message")  # seq 3 after seq 1: each page asks for seq 2

    for page in (alice, bob):
        _shows(page, "Troisième message")
        _shows(page, "Jamais diffusé")
        bodies = page.locator(".room__messages .message .message__body").all_inner_texts()
        assert [b.strip() for b in bodies] == ["Premier message", "Jamais diffusé", "Troisième message"]


def test_a_redis_restart_loses_no_message_and_keeps_the_sockets(browser, site):
    redis, server = site
    seeded = run_tool(server.env, "seed", 2)
    alice = _open_room(browser, server, seeded["users"][0]["session"], seeded["room"])
    bob = _open_room(browser, server, seeded["users"][1]["session"], seeded["room"])
    _post(alice, "Avant la panne")
    _shows(bob, "Avant la panne")

    redis.stop()
    _post(alice, "Pendant la panne")  # refused for now (server_error, retry_after): sent again
    alice.wait_for_timeout(1500)
    redis.start()
    _post(bob, "Après la panne")

    for page in (alice, bob):
        for text in ("Avant la panne", "Pendant la panne", "Après la panne"):
            _shows(page, text)
        assert page.locator(".room__messages .message").count() == 3
        assert "Connexion perdue" not in page.locator(".room__status").inner_text()
    stored = [row["body"] for row in run_tool(server.env, "dump", seeded["room"])]
    assert sorted(stored) == sorted(["Avant la panne", "Pendant la panne", "Après la panne"])
