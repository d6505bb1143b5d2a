"""The directory, its exports and a venue page run the same queries at 30 and 200 venues.

Measured without the anonymous page cache (a new generation before each
request, so that the directory's fragments, the figures included, are
rendered as on the first view after a change), after one warm-up request
(Wagtail's site paths, image renditions); and with every cache empty.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_factories import ImageFactory

from members.freshness import renew_generation
from members.models import OpeningHours, VenueGalleryImage
from members.services import ensure_venue_room

# /lieux/ first view after a change, with a photo among its cards (+2: the images, their renditions;
# +1: Wagtail's lookup of the active locale, docs/i18n.md); the English pages one more.
MAX_QUERIES = 20
LISTING_URLS = [
    "/lieux/",
    "/lieux/?page=2",
    "/lieux/?activity=coworking&q=lieu",
    "/lieux/?tag=commun&qpv=1&mentoring=1&accessible=1&commune=59350",
    "/lieux/lieux.geojson",
    "/lieux/lieux.geojson?activity=coworking&tag=commun",
    "/lieux/lieux.csv",
]


def _uncached_queries(client, url):
    renew_generation()
    assert client.get(url).status_code == 200
    renew_generation()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _cold_queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_venues(make_venue, start, stop):
    for n in range(start, stop):
        make_venue(
            tags=[f"tag {n}", "commun"],
            in_qpv=n % 3 == 0,
            offers_mentoring=n % 2 == 0,
            step_free_access=True,
        )


def _furnish(venue, start, stop):
    """Tags, opening hours and photos numbered ``start`` to ``stop``."""
    venue.tags.add(*[f"équipement {n}" for n in range(start, stop)])
    for n in range(start, stop):
        OpeningHours.objects.create(
            page=venue, weekday=n % 7, opens=datetime.time(8 + n % 4), closes=datetime.time(18)
        )
        VenueGalleryImage.objects.create(
            page=venue, image=ImageFactory(), alt_text=f"La salle {n}", caption=f"Photo {n}"
        )


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_venues(client, make_venue):
    venue = make_venue(title="La Coroutine", slug="la-coroutine")
    ensure_venue_room(venue)
    _furnish(venue, 0, 1)
    # Past one page of cards, so that page 2 is the same page (cards without photos) at both sizes.
    _add_venues(make_venue, 1, 30)
    pages = [*LISTING_URLS, "/lieux/la-coroutine/", "/en/lieux/", "/en/lieux/la-coroutine/"]
    few = {url: _uncached_queries(client, url) for url in pages}
    few_cold = {url: _cold_queries(client, url) for url in pages}

    _add_venues(make_venue, 10, 200)
    _furnish(venue, 1, 6)
    many = {url: _uncached_queries(client, url) for url in pages}
    many_cold = {url: _cold_queries(client, url) for url in pages}

    assert many == few
    assert max(count for url, count in few.items() if not url.startswith("/en/")) <= MAX_QUERIES, few
    assert few["/en/lieux/"] <= few["/lieux/"] + 1, few
    assert few["/en/lieux/la-coroutine/"] <= few["/lieux/la-coroutine/"] + 1, few
    assert many_cold == few_cold
