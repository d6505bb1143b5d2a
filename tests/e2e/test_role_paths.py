"""A venue manager's path in the browser: "Ma fiche" in the header goes straight to
their venue's edit page, their venue's page offers no "Demandez l'accès", and the
Wagtail dashboard opens on their venues. On a desktop and a 390-pixel phone."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from members.services import attach_manager
from tests.factories import VerifiedUserFactory
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.browser


def logged_in(browser, live_site, user, width):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.set_default_navigation_timeout(60_000)  # the first page a cold live server renders
    return context, page


@pytest.mark.parametrize("width", [1280, 390])
def test_a_manager_goes_from_the_header_to_their_venue_edit_page(
    browser, live_site, site_tree, staff_user, width
):
    venue = VenuePageFactory(parent=site_tree["lieux"], title="La Coroutine", slug="la-coroutine")
    manager = VerifiedUserFactory(display_name="Gérante")
    attach_manager(venue, manager, by=staff_user)
    context, page = logged_in(browser, live_site, manager, width)
    try:
        page.goto(f"{live_site}{venue.url}")
        expect(page.get_by_role("heading", name="La Coroutine", level=1)).to_be_visible()
        expect(page.get_by_text("Demandez l'accès")).to_have_count(0)
        toggle = page.locator(".nav-toggle")
        if toggle.is_visible():  # the phone's folded menu
            toggle.click()
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"
        page.get_by_role("link", name="Ma fiche").click()
        page.wait_for_url(f"**/admin/pages/{venue.pk}/edit/")
        expect(page.locator("body")).to_contain_text("La Coroutine")

        page.goto(f"{live_site}/admin/")
        panel = page.locator("#mes-lieux-section")
        expect(panel).to_contain_text("Modifier la fiche de La Coroutine")
    finally:
        context.close()
