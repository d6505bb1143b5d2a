"""A page of the API runs the same queries for 5 items as for 50."""

import pytest
from django.core.cache import cache

from tests.factories.events import EventPageFactory, in_days
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.django_db

# Queries of one page, every cache emptied first (Wagtail's site root paths and the
# communes read again).
# Venues: the page's ids with their publication dates and the count (``api.pagination``;
# the page view restrictions checked in SQL), the rows, their tags, the site.
# Events: the page's rows and the count in one query (the page view restrictions of the
# events and of their venues checked in SQL), their tags, the site, the communes.
# Dates: the page's rows and the count in one query (venue and whether it is public
# joined in), their events' tags, the site, the communes. The site's root paths are read with
# the home page's translations (Wagtail's i18n, docs/i18n.md): one query more; the site
# and the communes are read once per process and content generation (cold only).
EXPECTED = {
    "/api/v1/venues?page_size=50": 5,
    "/api/v1/venues.geojson?page_size=50": 5,
    "/api/v1/events?page_size=50": 5,
    "/api/v1/occurrences?page_size=50": 5,
    "/api/v1/occurrences?page_size=50&kind=workshop&status=scheduled&tag=soudure": 5,
}


@pytest.fixture
def items(request, venue_index, agenda):
    count = request.param
    venues = [
        VenuePageFactory(
            parent=venue_index, title=f"Lieu {n:02d}", slug=f"lieu-{n:02d}", tags=["fablab", "café"]
        )
        for n in range(count)
    ]
    for n in range(count):
        EventPageFactory(
            parent=venues[n] if n % 2 else agenda,
            title=f"Atelier {n:02d}",
            slug=f"atelier-{n:02d}",
            kind="workshop",
            street_address="" if n % 2 else "1 rue de la Paix",
            start=in_days(1 + n, 18),
            end=in_days(1 + n, 20),
            tags=["soudure", "débutants"],
        )
    return count


@pytest.mark.parametrize("items", [5, 50], indirect=True)
@pytest.mark.parametrize("path", list(EXPECTED))
def test_a_page_runs_a_bounded_number_of_queries(client, items, path, django_assert_num_queries):
    client.get(path)  # per-process caches (content types)
    cache.clear()
    with django_assert_num_queries(EXPECTED[path]):
        response = client.get(path)
    assert response.status_code == 200
    assert response.json().get("count") == items


@pytest.mark.parametrize("items", [5, 50], indirect=True)
def test_the_figures_run_three_queries(client, items, django_assert_num_queries):
    """By activity (whose sums are the totals), by commune, the upcoming events; the
    privacy of the venues checked in SQL."""
    client.get("/api/v1/figures")
    cache.clear()
    with django_assert_num_queries(3):
        response = client.get("/api/v1/figures")
    assert response.json()["venues"] == items
