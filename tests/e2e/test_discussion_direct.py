"""A direct message between two members in two browser contexts: "Écrire" from
an author's name in a room, the first message, the inbox of the other, a
live answer (issue 15, item 2)."""

import pytest

from tests.discussion.conftest import live_database  # noqa: F401 - fixtures
from tests.discussion.live import run_tool
from tests.discussion.test_live import env, servers  # noqa: F401 - fixtures
from tests.e2e.test_discussion_flow import _open_room

pytestmark = [
    pytest.mark.browser,
    pytest.mark.redis,
    pytest.mark.timeout(900),
]  # the live database is migrated in a subprocess


def test_two_members_exchange_a_direct_message(browser, env, servers):  # noqa: F811
    seeded = run_tool(env, "seed", 2)
    alice_user, bob_user = seeded["users"]
    (server,) = servers(1)
    bob = _open_room(browser, server, bob_user["session"], seeded["room"])
    alice = _open_room(browser, server, alice_user["session"], seeded["room"])

    box = bob.locator(".room__form textarea")
    box.fill("Quelqu'un a une perceuse ?")
    box.press("Enter")
    question = alice.locator(".room__messages > .message", has_text="une perceuse")
    question.wait_for()

    # Alice writes to Bob from his name, live-rendered.
    question.locator(".message__write").click()
    alice.locator("h1", has_text=bob_user["name"]).wait_for()
    alice.locator("textarea[name=body]").fill("J'en ai une, je te la prête.")
    alice.locator("form.form button[type=submit]").click()
    alice.locator(".room__status", has_text="En direct").wait_for()
    assert alice.locator("h1").inner_text() == bob_user["name"]
    conversation_url = alice.url.split("#")[0]

    # Bob finds it in his inbox, unread, and opens it.
    bob.goto(f"http://127.0.0.1:{server.port}/discussions/")
    item = bob.locator(".inbox__item", has_text="je te la prête")
    item.wait_for()
    assert alice_user["name"] in item.inner_text()
    item.locator("a").click()
    bob.locator(".room__status", has_text="En direct").wait_for()
    assert bob.url.split("#")[0] == conversation_url

    # Bob answers: Alice sees it live, in the same conversation.
    answer = bob.locator(".room__form textarea")
    answer.fill("Merci, je passe ce soir !")
    answer.press("Enter")
    alice.locator(".room__messages .message", has_text="je passe ce soir").wait_for()
    assert alice.locator(".room__messages .message").count() == 2
