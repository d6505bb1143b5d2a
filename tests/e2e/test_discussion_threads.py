"""A thread and a reaction between two members, live, in two browser contexts,
then the same state after a reload (threads.md: item 3 of issue 15)."""

import pytest
from playwright.sync_api import expect

from tests.discussion.conftest import live_database  # noqa: F401 - fixtures
from tests.discussion.live import run_tool
from tests.discussion.test_live import env, servers  # noqa: F401 - fixtures
from tests.e2e.test_discussion_flow import _open_room

pytestmark = [
    pytest.mark.browser,
    pytest.mark.redis,
    pytest.mark.timeout(900),
]  # the live database is migrated in a subprocess


def _send_with_enter(page, text):
    box = page.locator(".room__form textarea")
    box.fill(text)
    box.press("Enter")  # Enter sends


def test_a_thread_and_a_reaction_across_two_members(browser, env, servers):  # noqa: F811
    seeded = run_tool(env, "seed", 2)
    (server,) = servers(1)
    alice = _open_room(browser, server, seeded["users"][0]["session"], seeded["room"])
    bob = _open_room(browser, server, seeded["users"][1]["session"], seeded["room"])

    box = alice.locator(".room__form textarea")
    box.fill("Qui vient")
    box.press("Shift+Enter")  # a new line, not a send
    box.press_sequentially("samedi ?")
    assert alice.locator(".room__messages .message").count() == 0
    box.press("Enter")
    question = bob.locator(".room__messages > .message", has_text="samedi ?")
    question.wait_for()
    assert run_tool(env, "dump", seeded["room"])[0]["body"] == "Qui vient\nsamedi ?"

    # Bob answers in a thread: Alice sees it folded under her message, counted unread.
    question.locator(".message__reply").click()
    bob.locator(".room__replying").wait_for()
    _send_with_enter(bob, "Moi, avec deux amis.")
    thread = alice.locator(".thread .thread__unread", has_text="1 non lue")
    thread.wait_for()
    assert alice.locator(".room__messages > .message").count() == 1  # the reply is not at the top level
    alice.locator(".thread > summary").click()
    alice.locator(".thread .message", has_text="Moi, avec deux amis.").wait_for()
    expect(alice.locator(".thread__unread")).to_be_hidden()  # once the thread is marked read

    # Alice reacts to the reply; Bob sees the count and who reacted, then Bob adds his.
    reply = alice.locator(".thread .message", has_text="Moi, avec deux amis.")
    reply.locator(".message__react > summary").click()
    reply.locator(".message__react button[data-emoji='🎉']").click()
    bob.locator(".thread > summary").click()
    reaction = bob.locator(".thread .message .reaction[data-emoji='🎉']")
    reaction.wait_for()
    assert reaction.locator(".reaction__count").inner_text() == "1"
    assert reaction.get_attribute("title") == seeded["users"][0]["name"]
    reaction.click()  # Bob joins in
    alice.locator(".thread .reaction--mine[data-emoji='🎉'] .reaction__count", has_text="2").wait_for()

    # A reload renders the same thread, reaction and timestamps as the live page.
    live_time = bob.locator(".room__messages > .message .message__time").inner_text()
    bob.reload()
    bob.locator(".room__status", has_text="En direct").wait_for()
    assert bob.locator(".room__messages > .message .message__time").inner_text() == live_time
    assert bob.locator(".thread .thread__count").inner_text() == "1 réponse"
    bob.locator(".thread > summary").click()
    assert bob.locator(".thread .reaction--mine[data-emoji='🎉'] .reaction__count").inner_text() == "2"
