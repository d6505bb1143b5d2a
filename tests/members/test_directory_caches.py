"""The directory's fragment caches (filters and results, figures), seen by a member:
the anonymous page cache never answers them, so every page is rendered.
Changes are committed (``committed``): the content generation is renewed on commit."""

import json
import re

import pytest
from django.test import Client

from members.models import VenuePage
from members.page_cache import CACHE_HEADER


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def member_page(member_client):
    def get(url="/lieux/", **headers):
        response = member_client.get(url, headers=headers)
        assert response.status_code == 200
        assert CACHE_HEADER not in response
        return response.content.decode()

    return get


def _card(html, title):
    match = re.search(rf'<article class="venue-card">(?:(?!</article>).)*{title}.*?</article>', html, re.S)
    assert match, title
    return match.group(0)


def test_a_published_change_shows_in_the_card(member_page, venue, committed):
    assert "Un tiers-lieu pour travailler" in _card(member_page(), "La Coroutine")
    page = VenuePage.objects.get(pk=venue.pk)
    page.summary = "Ateliers de réparation le samedi."
    with committed():
        page.save_revision().publish()
    card = _card(member_page(), "La Coroutine")
    assert "Ateliers de réparation le samedi." in card
    assert "Un tiers-lieu pour travailler" not in card


def test_a_draft_change_does_not(member_page, venue, committed):
    member_page()
    page = VenuePage.objects.get(pk=venue.pk)
    page.summary = "Brouillon non publié."
    with committed():
        page.save_revision()
    assert "Brouillon non publié." not in member_page()


def test_cards_are_cached_per_language(member_page, other_venue):
    other_venue.tags.add("impression 3D")
    other_venue.save_revision().publish()
    assert 'aria-label="Étiquettes"' in _card(member_page(), "Le Hangar")
    assert 'aria-label="Tags"' in _card(member_page("/en/lieux/"), "Le Hangar")
    assert 'aria-label="Étiquettes"' in _card(member_page(), "Le Hangar")


def test_cards_match_the_venue_pages(member_page, venue, other_venue):
    html = member_page()
    for page in (venue, other_venue):
        card = _card(html, page.title)
        assert f'href="{page.url}"' in card
        for tag in page.tags.all():
            assert f">{tag.name}</a>" in card


def test_menus_and_figures_follow_publication(member_page, make_venue, venue, committed):
    html = member_page()
    assert ">jardin partagé</option>" not in html
    assert "<dt>Lieux</dt><dd>1</dd>" in html
    draft = make_venue(title="Le Potager", live=False, tags=["jardin partagé"], main_activity="fablab")
    with committed():
        draft.save_revision().publish()
    html = member_page()
    assert ">jardin partagé</option>" in html
    assert "<dt>Lieux</dt><dd>2</dd>" in html
    with committed():
        VenuePage.objects.get(pk=draft.pk).unpublish()
    html = member_page()
    assert ">jardin partagé</option>" not in html
    assert "<dt>Lieux</dt><dd>1</dd>" in html


def test_home_figures_follow_publication(client, make_venue, venue, committed):
    assert "<dt>Lieux</dt><dd>1</dd>" in client.get("/").content.decode()
    draft = make_venue(title="Le Potager", live=False)
    with committed():
        draft.save_revision().publish()
    assert "<dt>Lieux</dt><dd>2</dd>" in Client().get("/").content.decode()


@pytest.mark.parametrize(
    ("query", "selected"),
    [
        ("", '<option value="" selected>Toutes les communes</option>'),
        ("?commune=", '<option value="" selected>Toutes les communes</option>'),
        ("?commune=59350", '<option value="59350" selected>Lille</option>'),
    ],
)
def test_commune_menu_keeps_the_choice(member_page, venue, query, selected):
    assert selected in member_page(f"/lieux/{query}")


def test_unknown_commune_is_flagged_on_the_menu(member_page, venue):
    html = member_page("/lieux/?commune=99999&activity=piscine")
    assert '<select name="commune" aria-invalid="true"' in html
    assert '<select name="activity" aria-invalid="true"' in html
    assert " selected>" not in html.split('name="commune"')[1].split("</select>")[0]


def test_urls_are_escaped_as_wagtail_does(client, make_venue):
    venue = make_venue(title="Café Été", slug="café-été")
    html = Client().get("/lieux/").content.decode()
    assert f'href="{venue.url}"' in html
    feature = json.loads(client.get("/lieux/lieux.geojson").content)["features"][0]
    assert feature["properties"]["url"] == venue.get_full_url()


def test_a_repeat_view_reads_no_listing(member_client, venue, other_venue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def html():
        content = member_client.get("/lieux/?activity=fablab").content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content)

    with CaptureQueriesContext(connection) as first:
        first_html = html()
    with CaptureQueriesContext(connection) as again:
        assert html() == first_html
    # The header's "Ma fiche" looks up the visitor's own venues: not the listing.
    sql = " ".join(q["sql"] for q in again.captured_queries if "manager_group_id" not in q["sql"])
    assert "members_venuepage" not in sql and "taggit_tag" not in sql
    assert len(again.captured_queries) < len(first.captured_queries)


def test_filters_and_pages_are_cached_apart(member_page, make_venue):
    for n in range(26):
        make_venue(title=f"Atelier {n:02}", main_activity="fablab" if n % 2 else "coworking")
    assert "26 lieux" in member_page("/lieux/")
    assert "13 lieux" in member_page("/lieux/?activity=fablab")
    assert "Atelier 25" in member_page("/lieux/?page=2")
    assert "Atelier 25" not in member_page("/lieux/")


def test_the_generation_is_read_once_per_request(member_page, venue, monkeypatch):
    """The middleware's read serves the directory's fragment key: no second round trip."""
    from django.core.cache import caches

    from members.freshness import GENERATION_KEY

    member_page()  # the generation exists from now on
    backend = caches["default"]
    reads = []
    original = backend.get
    monkeypatch.setattr(
        backend, "get", lambda key, *args, **kwargs: reads.append(key) or original(key, *args, **kwargs)
    )
    assert "La Coroutine" in member_page()
    assert reads.count(GENERATION_KEY) == 1  # the middleware's own
