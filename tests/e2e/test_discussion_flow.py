"""Two members talk live in a room, in real browsers, across a server restart.

The page is served by a real daphne process (HTTP and WebSockets) on Redis,
set up like the discussion live tests (tests/discussion/live.py).
"""

import pytest

from tests.discussion.conftest import live_database  # noqa: F401 - fixtures
from tests.discussion.live import run_tool
from tests.discussion.test_live import env, servers  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.timeout(300)]


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


def test_messages_arrive_live_and_survive_a_server_restart(browser, env, servers):  # noqa: F811
    seeded = run_tool(env, "seed", 2)
    (server,) = servers(1)
    alice = _open_room(browser, server, seeded["users"][0]["session"], seeded["room"])
    bob = _open_room(browser, server, seeded["users"][1]["session"], seeded["room"])

    _post(alice, "Bonjour à toutes et à tous !")
    bob.locator(".room__messages", has_text="Bonjour à toutes et à tous !").wait_for()
    assert alice.url.endswith(f"/discussions/{seeded['room']}/")  # no page load: the socket carried it

    server.kill()
    bob.locator(".room__status", has_text="Connexion perdue").wait_for()
    server.start()
    alice.locator(".room__status", has_text="En direct").wait_for()
    bob.locator(".room__status", has_text="En direct").wait_for()

    _post(bob, "Toujours là après le redémarrage.")
    alice.locator(".room__messages", has_text="Toujours là après le redémarrage.").wait_for()

    stored = [row["body"] for row in run_tool(env, "dump", seeded["room"])]
    assert stored == ["Bonjour à toutes et à tous !", "Toujours là après le redémarrage."]
    for page in (alice, bob):
        assert page.locator(".room__messages .message").count() == 2
