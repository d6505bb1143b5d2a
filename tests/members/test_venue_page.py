import datetime
import json
import re

import pytest

from members.figures import network_figures
from members.models import OpeningHours, VenuePage


@pytest.fixture
def full_venue(make_venue):
    venue = make_venue(
        title="La Coroutine",
        slug="la-coroutine",
        summary="Coworking & fab lab </script><script>alert(1)</script>",
        main_activity="coworking",
        secondary_activities=["fablab"],
        tags=["impression 3D"],
        street_address="1 rue du Code",
        is_free=True,
        step_free_access=True,
        last_checked=datetime.date(2026, 9, 1),
        website="https://coroutine.example.org",
        social_links="https://mastodon.example/@coroutine\njavascript:alert(1)",
        mel_support_year=2024,
    )
    OpeningHours.objects.create(page=venue, weekday=0, opens=datetime.time(9), closes=datetime.time(18))
    return venue


def test_venue_page_shows_every_fact(client, full_venue):
    response = client.get("/lieux/la-coroutine/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "La Coroutine",
        "coworking / bureaux partagés",
        "fab lab",
        "1 rue du Code",
        "Lille",
        "Gratuit",
        "impression 3D",
        "Lundi : 09h00 – 18h00",
        "1 sept. 2026",  # the site's one date format (network/formats)
        "Accès de plain-pied",
        "2024",
    ):
        assert text in html, text
    assert "javascript:alert" not in html
    map_div = re.search(r'<div class="venue-map venue-map--single"[^>]*>', html).group(0)
    assert "data-venue-map" in map_div and 'data-lat="' in map_div


def test_jsonld_and_open_graph(client, full_venue):
    html = client.get("/lieux/la-coroutine/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "LocalBusiness"
    assert data["name"] == "La Coroutine"
    assert data["address"]["addressLocality"] == "Lille"
    assert data["openingHoursSpecification"][0]["dayOfWeek"] == "https://schema.org/Monday"
    assert "</script><script>" not in block  # escaped like json_script
    assert '<meta property="og:title" content="La Coroutine">' in html
    assert "<script>alert(1)</script>" not in html
    # No inline executable script (CSP): only data blocks and external files.
    for tag in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
        assert "application/ld+json" in tag or "application/json" in tag


def test_opening_hours_must_close_after_opening(full_venue):
    from django.core.exceptions import ValidationError

    row = OpeningHours(page=full_venue, weekday=1, opens=datetime.time(18), closes=datetime.time(9))
    with pytest.raises(ValidationError):
        row.full_clean()


def test_position_defaults_to_the_commune(full_venue):
    assert full_venue.position == full_venue.commune.position
    assert full_venue.position_is_approximate
    full_venue.latitude, full_venue.longitude = 50.6, 3.1
    assert full_venue.position == (50.6, 3.1)


def test_reserved_slug_and_half_position_are_refused(make_venue):
    from django.core.exceptions import ValidationError

    venue = make_venue()
    venue.slug = "referencer"
    with pytest.raises(ValidationError):
        venue.full_clean()
    venue.slug = "ok"
    venue.latitude = 50.6
    with pytest.raises(ValidationError):
        venue.full_clean()


# -- figures ----------------------------------------------------------------------------


def test_figures_count_published_venues(make_venue):
    make_venue(main_activity="fablab", surface_m2=100, capacity=10)
    make_venue(main_activity="fablab", surface_m2=50, capacity=5)
    make_venue(main_activity="coworking", surface_m2=None, capacity=None)
    make_venue(live=False, surface_m2=999)
    figures = network_figures()
    assert (figures["count"], figures["surface_m2"], figures["capacity"]) == (3, 150, 15)
    assert figures["by_activity"] == [("fablab", 2), ("coworking", 1)]
    assert figures["by_commune"] == [("59350", "Lille", 3)]


def test_figures_are_cached_until_a_committed_change(
    client, make_venue, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The figures' HTML is a fragment keyed by the content generation: not computed again
    on the next view of the home page, computed again after a publication commits."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    venue = make_venue()
    with CaptureQueriesContext(connection) as first:
        assert "<dt>Lieux</dt><dd>1</dd>" in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as again:
        client.get("/")
    assert (
        len(again.captured_queries) <= len(first.captured_queries) - 3
    )  # the figures' two, the privacy check
    draft = make_venue(live=False)
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert "<dt>Lieux</dt><dd>2</dd>" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        VenuePage.objects.get(pk=venue.pk).unpublish()
    assert "<dt>Lieux</dt><dd>1</dd>" in client.get("/").content.decode()


def test_figures_on_home_and_directory(client, make_venue):
    make_venue(main_activity="fablab", surface_m2=120, capacity=12)
    for url in ("/", "/lieux/"):
        html = client.get(url).content.decode()
        assert "Le réseau en chiffres" in html, url
        assert "120 m²" in html
        assert "fab lab" in html


def test_figures_queries_are_bounded(make_venue, django_assert_max_num_queries):
    for _ in range(10):
        make_venue()
    with django_assert_max_num_queries(5):
        network_figures()
