"""axe-core finds no violation on the key pages, on a desktop and on a phone."""

from pathlib import Path

import pytest
from wagtail_factories import ImageFactory

from members.models import VenueGalleryImage
from tests.factories.events import EventPageFactory
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_key_pages_have_no_axe_violation(browser, live_site, site_tree, width):
    venue = VenuePageFactory(parent=site_tree["lieux"], title="La Coroutine", slug="la-coroutine")
    for n in range(2):  # a lead photo and a gallery
        VenueGalleryImage.objects.create(
            page=venue,
            image=ImageFactory(file__width=1200, file__height=800),
            alt_text=f"La salle {n}",
            sort_order=n,
        )
    event = EventPageFactory(parent=site_tree["agenda"].specific, title="Apéro du réseau", slug="apero")
    # The site's CSP forbids the injected script: the test page alone bypasses it.
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_navigation_timeout(60_000)
    found = {}
    try:
        for path in [
            "/",
            "/lieux/",
            venue.url,
            "/agenda/",
            f"/agenda/{event.start:%Y}/{event.start.month}/",
            event.url,
            "/compagnonnage/",
            "/plan-du-site/",
            "/accounts/signup/",
            "/accounts/login/",
            "/recherche/?q=lieu",
            "/integrer/",
        ]:
            page.goto(live_site + path)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(RUN_AXE)
            if violations:
                found[path] = violations
    finally:
        context.close()
    assert found == {}


def test_english_pages_in_an_english_browser_have_no_axe_violation(browser, live_site, site_tree):
    """An English browser lands on the English pages (docs/i18n.md), which axe finds clean."""
    from home.demo import seed_translations

    seed_translations()
    venue = VenuePageFactory(
        parent=site_tree["lieux"], title="La Coroutine", slug="la-coroutine", summary_en="A shared workshop."
    )
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_navigation_timeout(60_000)
    found = {}
    try:
        page.goto(live_site + "/")
        assert page.url == live_site + "/en/"
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("link", name="Find a venue").click()
        assert page.url == live_site + "/en/lieux/"
        page.get_by_role("link", name="La Coroutine").first.click()
        assert page.url == live_site + "/en" + venue.url
        assert page.locator(".lead").first.inner_text() == "A shared workshop."
        for path in [
            "/en/",
            "/en/lieux/",
            "/en" + venue.url,
            "/en/agenda/",
            "/en/le-reseau/",
            "/en/compagnonnage/",
        ]:
            page.goto(live_site + path)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(RUN_AXE)
            if violations:
                found[path] = violations
    finally:
        context.close()
    assert found == {}
