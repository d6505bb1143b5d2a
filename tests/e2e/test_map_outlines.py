"""The maps draw the Métropole's outline, and the chosen commune's or the venue's."""

import pytest
from playwright.sync_api import expect

from tests.factories.venues import VenuePageFactory, commune

pytestmark = pytest.mark.browser


def test_directory_and_venue_maps_draw_the_outlines(page, live_site, site_tree):
    index = site_tree["lieux"]
    VenuePageFactory(parent=index, title="Lieu de Roubaix", slug="lieu-de-roubaix", commune=commune("59512"))
    outlines = page.locator(".venue-map .leaflet-overlay-pane path")

    page.goto(live_site + "/lieux/")
    expect(outlines).to_have_count(1)  # the Métropole only

    page.goto(live_site + "/lieux/?commune=59512")
    expect(outlines).to_have_count(2)  # and Roubaix

    page.goto(live_site + "/lieux/lieu-de-roubaix/")
    expect(outlines).to_have_count(2)
