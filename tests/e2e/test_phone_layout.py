"""On a phone (390 and 320 px wide): the month is a list by day, no event title
spills out of its day, the directory's filters fold, and no key page scrolls
sideways. The directory map clusters its markers and names each one."""

import pytest
from playwright.sync_api import expect

from tests.factories.events import EventPageFactory, in_days
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.browser

LONG_TITLE = "Atelier-de-réparation-collaborative-des-vélos-et-trottinettes-du-quartier"

# Every element whose right edge passes its day's cell (1 px of rounding allowed).
OVERFLOWING_TITLES = """() => [...document.querySelectorAll('.month-table td li')]
    .filter((item) => item.offsetParent !== null)
    .filter((item) => {
        const cell = item.closest('td').getBoundingClientRect();
        return [...item.querySelectorAll('*')].concat([item]).some((node) => {
            const box = node.getBoundingClientRect();
            return box.right > cell.right + 1 || box.left < cell.left - 1;
        });
    })
    .map((item) => item.textContent.trim())"""


@pytest.fixture
def month_with_events(live_site, site_tree):
    agenda = site_tree["agenda"].specific
    start = in_days(7, hour=18)
    titles = [(10, LONG_TITLE), (14, "Apéro du réseau des tiers-lieux de la métropole"), (18, "Café")]
    for hour, title in titles:
        EventPageFactory(parent=agenda, title=title, start=start.replace(hour=hour))
    return f"{live_site}/agenda/{start:%Y}/{start.month}/"


def phone(browser, width):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.set_default_navigation_timeout(60_000)  # the first page a cold live server renders
    return context, page


def assert_no_sideways_scroll(page, url):
    page.goto(url)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{url} is {widths[0]} px wide in a {widths[1]} px window"


@pytest.mark.parametrize("width", [390, 320])
def test_month_view_is_a_list_by_day_on_a_phone(browser, month_with_events, width):
    context, page = phone(browser, width)
    try:
        page.goto(month_with_events)
        expect(page.locator(".month-table thead")).to_be_hidden()
        day = page.locator(".month-table td:visible")
        expect(day).to_have_count(1)  # only the day that has events
        expect(day.locator("li")).to_have_count(3)
        expect(day.locator(".month-table__weekday")).to_be_visible()
        assert page.evaluate(OVERFLOWING_TITLES) == []
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_no_title_spills_out_of_its_day_on_a_desktop(page, month_with_events):
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(month_with_events)
    expect(page.locator(".month-table thead")).to_be_visible()
    assert page.evaluate(OVERFLOWING_TITLES) == []


@pytest.mark.parametrize("width", [390, 320])
def test_key_pages_do_not_scroll_sideways_on_a_phone(browser, live_site, site_tree, month_with_events, width):
    venue = VenuePageFactory(parent=site_tree["lieux"], title="La Coroutine", slug="la-coroutine")
    event = EventPageFactory(parent=site_tree["agenda"].specific, title=LONG_TITLE, slug="atelier")
    context, page = phone(browser, width)
    try:
        for path in [
            "/",
            "/lieux/",
            venue.url,
            "/agenda/",
            event.url,
            "/compagnonnage/",
            "/plan-du-site/",
            "/accounts/signup/",
            "/accounts/login/",
            "/recherche/?q=lieu",
        ]:
            assert_no_sideways_scroll(page, live_site + path)
        assert_no_sideways_scroll(page, month_with_events)
    finally:
        context.close()


def test_directory_filters_fold_on_a_phone_and_stay_open_on_a_desktop(browser, live_site):
    context, page = phone(browser, 390)
    try:
        page.goto(live_site + "/lieux/")
        filters = page.locator("details.directory__filters")
        expect(filters).not_to_have_attribute("open", "")
        expect(page.get_by_label("Commune")).to_be_hidden()
        page.get_by_text("Filtrer les lieux").click()  # the <summary>, a native disclosure button
        expect(page.get_by_label("Commune")).to_be_visible()
    finally:
        context.close()
    desktop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    try:
        page = desktop.new_page()
        page.goto(live_site + "/lieux/")
        expect(page.get_by_label("Commune")).to_be_visible()
    finally:
        desktop.close()


def test_directory_map_clusters_and_names_its_markers(page, live_site, site_tree):
    index = site_tree["lieux"]
    for number in range(3):  # the same commune: the same approximate position, one cluster
        VenuePageFactory(parent=index, title=f"Lieu groupé {number}", slug=f"lieu-groupe-{number}")
    VenuePageFactory(parent=index, title="Le Hangar", slug="le-hangar", latitude=50.69, longitude=3.18)
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(live_site + "/lieux/")
    expect(page.locator(".venue-map .marker-cluster")).to_have_count(1)
    expect(page.locator(".venue-map .marker-cluster")).to_contain_text("3 lieux : zoomer pour les voir")
    expect(page.get_by_role("button", name="Le Hangar")).to_have_count(1)
    expect(page.get_by_role("button", name="Marker")).to_have_count(0)
    expect(page.get_by_title("Zoomer", exact=True)).to_have_count(1)
