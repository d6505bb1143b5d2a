"""A member finds what needs them across rooms, jumps to the exact message,
marks everything read, and the header badge follows."""

import pytest
from django.test import Client

from network.discussion import services
from tests.factories import VerifiedUserFactory
from tests.factories.discussion import RoomFactory

pytestmark = pytest.mark.browser


def _in_viewport(page, selector):
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def test_inbox_badge_jump_to_message_and_mark_all_read(page, live_site, settings):
    settings.DISCUSSION_PAGE_SIZE = 10
    settings.DISCUSSION_RATE_LIMIT = (10_000, 10)
    reader = VerifiedUserFactory(display_name="Dominique")
    writer = VerifiedUserFactory(display_name="Sacha Martin")
    fablab, cafe = RoomFactory(title="Fab labs"), RoomFactory(title="Cafés")
    mention = services.post_message(fablab, by=writer, body="@Dominique tu as vu la découpeuse ?")[0]
    for n in range(30):  # the mention is far above the latest page of its room
        services.post_message(fablab, by=writer, body=f"Réglage n°{n}")
    services.post_message(cafe, by=writer, body="Qui vient jeudi ?")
    client = Client()
    client.force_login(reader)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site}]
    )

    page.goto(live_site + "/agenda/")
    badge = page.locator("[data-unread-badge]")
    badge.wait_for(state="visible")
    assert badge.inner_text() == "32"
    assert "1 mention" in badge.get_attribute("title")

    page.goto(live_site + "/discussions/")
    items = page.locator(".inbox__item")
    assert items.count() == 32
    assert "Qui vient jeudi ?" in items.first.inner_text()  # newest first
    page.locator(".inbox__item--mention").click()
    page.wait_for_url(f"**#m{mention.pk}")
    page.locator(f"#m{mention.pk}").wait_for()
    assert "la découpeuse" in page.locator(f"#m{mention.pk}").inner_text()

    page.goto(live_site + "/discussions/")
    page.get_by_role("button", name="Tout marquer comme lu").click()
    page.get_by_text("Tout est marqué comme lu.").wait_for()
    page.get_by_text("Vous êtes à jour : rien de nouveau.").wait_for()
    badge.wait_for(state="hidden")

    services.post_message(cafe, by=writer, body="@Dominique et toi ?")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # as when the tab comes back
    badge.wait_for(state="visible")
    assert badge.inner_text() == "1"


def test_the_message_linked_from_the_inbox_is_scrolled_into_view(page, live_site, settings):
    settings.DISCUSSION_PAGE_SIZE = 10
    settings.DISCUSSION_RATE_LIMIT = (10_000, 10)
    reader = VerifiedUserFactory(display_name="Dominique")
    writer = VerifiedUserFactory(display_name="Sacha Martin")
    room = RoomFactory(title="Fab labs")
    mention = services.post_message(room, by=writer, body="@Dominique tu as vu la découpeuse ?")[0]
    for n in range(30):
        services.post_message(room, by=writer, body=f"Réglage n°{n}")
    client = Client()
    client.force_login(reader)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site}]
    )
    page.goto(live_site + "/discussions/")
    page.locator(".inbox__item--mention").click()
    page.wait_for_url(f"**#m{mention.pk}")
    page.locator(f"#m{mention.pk}").wait_for()
    assert _in_viewport(page, f"#m{mention.pk}")
    assert page.evaluate("(id) => document.getElementById(id).matches(':target')", f"m{mention.pk}")
