"""The anonymous page cache of the directory, its exports and the venue pages."""

import gzip

import pytest
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from members.page_cache import CACHE_HEADER, PageCacheMiddleware, cache_for_anonymous

CACHED_URLS = [
    "/lieux/",
    "/lieux/?activity=fablab&qpv=1",
    "/lieux/lieux.geojson",
    "/lieux/lieux.geojson?activity=fablab",
    "/lieux/lieux.csv",
    "/lieux/la-coroutine/",
]


@pytest.mark.parametrize("url", CACHED_URLS)
def test_second_anonymous_request_runs_no_query(client, venue, other_venue, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200
    assert first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_public_pages_set_no_cookie_and_the_language_switch_needs_no_token(venue):
    Client().get("/lieux/")
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get("/lieux/")
    assert response[CACHE_HEADER] == "hit"
    assert not response.cookies  # nothing per visitor: a shared cache may keep the page
    assert b"csrfmiddlewaretoken" not in response.content
    # The language switcher (a POST form) works from the cached page.
    answer = visitor.post("/i18n/setlang/", {"language": "en", "next": "/lieux/"})
    assert answer.status_code == 302
    assert answer["Location"] == "/en/lieux/"  # the English address (docs/i18n.md)
    assert '<html lang="en">' in visitor.get("/lieux/", follow=True).content.decode()


@pytest.mark.parametrize("url", ["/lieux/", "/lieux/lieux.geojson", "/lieux/la-coroutine/"])
def test_browsers_get_the_stored_gzipped_body(venue, url):
    plain = Client().get(url)
    browser = Client(headers={"accept-encoding": "gzip, deflate, br"})
    for _ in range(2):
        response = browser.get(url)
        assert response[CACHE_HEADER] == "hit"
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content)
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in response["Vary"]
    assert "Content-Encoding" not in plain


def test_a_miss_is_already_gzipped_for_a_browser(venue):
    response = Client(headers={"accept-encoding": "gzip"}).get("/lieux/")
    assert response[CACHE_HEADER] == "miss"
    assert b"La Coroutine" in gzip.decompress(response.content)


def test_a_page_showing_a_csrf_token_is_not_stored():
    @cache_for_anonymous()
    def form_page(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    middleware = PageCacheMiddleware(form_page)
    for _ in range(2):
        response = middleware(RequestFactory().get("/lieux/formulaire/"))
        assert CACHE_HEADER not in response


def test_a_hit_keeps_the_headers_of_every_middleware(venue):
    first = Client().get("/lieux/")
    hit = Client().get("/lieux/")
    assert hit[CACHE_HEADER] == "hit"
    for header in (
        "X-Frame-Options",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Content-Language",
    ):
        assert hit[header] == first[header], header
    assert {"Accept-Language", "Accept-Encoding", "Cookie"} <= {v.strip() for v in hit["Vary"].split(",")}


def test_publishing_a_venue_invalidates(client, venue, make_venue, django_capture_on_commit_callbacks):
    """More change paths, for members too: test_freshness.py."""
    client.get("/lieux/")
    client.get("/lieux/lieux.geojson")
    draft = make_venue(title="Le Nouveau Lieu", live=False)
    assert "Le Nouveau Lieu" not in client.get("/lieux/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert "Le Nouveau Lieu" in client.get("/lieux/").content.decode()
    assert "Le Nouveau Lieu" in client.get("/lieux/lieux.geojson").content.decode()


def test_unpublishing_and_deleting_invalidate(client, venue, other_venue, django_capture_on_commit_callbacks):
    assert client.get("/lieux/la-coroutine/").status_code == 200
    assert "Le Hangar" in client.get("/lieux/lieux.csv").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        venue.unpublish()
    assert client.get("/lieux/la-coroutine/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        other_venue.delete()
    assert "Le Hangar" not in client.get("/lieux/lieux.csv").content.decode()


def test_logged_in_members_never_get_the_anonymous_copy(client, member, venue):
    anonymous = client.get("/lieux/la-coroutine/")
    assert "Se connecter" in anonymous.content.decode()
    logged_in = Client()
    logged_in.force_login(member)
    for _ in range(2):
        response = logged_in.get("/lieux/la-coroutine/")
        assert CACHE_HEADER not in response
        html = response.content.decode()
        assert "Mon profil" in html and "Se connecter" not in html
    # Nor do their pages reach the cache.
    assert "Mon profil" not in Client().get("/lieux/la-coroutine/").content.decode()


@pytest.mark.parametrize("url", ["/lieux/lieux.geojson", "/lieux/lieux.csv?activity=fablab"])
def test_members_get_the_exports_from_the_cache_too(client, member, venue, url, django_assert_num_queries):
    anonymous = Client().get(url)
    assert anonymous[CACHE_HEADER] == "miss"
    assert "Cookie" not in anonymous["Vary"]  # the same for everyone
    client.force_login(member)
    with django_assert_num_queries(0):
        for_member = client.get(url)
    assert for_member[CACHE_HEADER] == "hit"
    assert for_member.content == anonymous.content


def test_an_export_stored_for_a_member_serves_everyone(client, member, venue):
    client.force_login(member)
    assert client.get("/lieux/lieux.geojson")[CACHE_HEADER] == "miss"
    assert Client().get("/lieux/lieux.geojson")[CACHE_HEADER] == "hit"


def test_french_and_english_are_cached_apart(venue, django_assert_num_queries):
    french = Client().get("/lieux/")
    english = Client().get("/en/lieux/")
    assert english[CACHE_HEADER] == "miss"
    assert '<html lang="fr">' in french.content.decode()
    assert '<html lang="en">' in english.content.decode()
    with django_assert_num_queries(0):
        again_fr = Client().get("/lieux/")
        again_en = Client().get("/en/lieux/")
        # an English browser on the French address is sent to the English one, with no query
        redirected = Client(headers={"accept-language": "en"}).get("/lieux/")
    assert again_fr[CACHE_HEADER] == again_en[CACHE_HEADER] == "hit"
    assert '<html lang="fr">' in again_fr.content.decode()
    assert '<html lang="en">' in again_en.content.decode()
    assert redirected.status_code == 302 and redirected["Location"] == "/en/lieux/"
    assert "Accept-Language" in again_fr["Vary"] and "Accept-Language" in redirected["Vary"]


def test_a_change_makes_both_languages_stale(venue, staff_user, django_capture_on_commit_callbacks):
    from members.services import update_venue

    for url in ("/lieux/la-coroutine/", "/en/lieux/la-coroutine/"):
        Client().get(url)
        assert Client().get(url)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        update_venue(venue, {"summary_en": "A workshop by the canal."}, by=staff_user)
    english = Client().get("/en/lieux/la-coroutine/")
    assert english[CACHE_HEADER] == "miss"
    assert "A workshop by the canal." in english.content.decode()
    assert Client().get("/lieux/la-coroutine/")[CACHE_HEADER] == "miss"


@pytest.mark.parametrize(
    ("url", "cookies"),
    [
        ("/lieux/?utm_source=x", {}),  # a parameter the page does not know
        ("/lieux/la-coroutine/?page=2", {}),
        ("/lieux/", {"messages": "pending"}),
        ("/lieux/", {"sessionid": "whatever"}),
    ],
)
def test_bypassed_requests(venue, url, cookies):
    for _ in range(2):
        client = Client()
        client.cookies.load(cookies)
        assert CACHE_HEADER not in client.get(url)


def test_post_is_never_cached(client, venue):
    client.get("/lieux/")
    assert client.post("/lieux/").get(CACHE_HEADER) != "hit"


def test_hits_on_production_redis_cache_run_no_query(redis_cache, venue, django_assert_num_queries):
    first = Client().get("/lieux/la-coroutine/")
    assert first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = Client(headers={"accept-encoding": "gzip"}).get("/lieux/la-coroutine/")
    assert second[CACHE_HEADER] == "hit"
    assert gzip.decompress(second.content) == first.content


@pytest.mark.parametrize("url", ["/", "/lieux/", "/lieux/la-coroutine/", "/lieux/lieux.geojson"])
def test_pages_answer_when_redis_is_down(redis_down, venue, url):
    for _ in range(2):
        response = Client().get(url)
        assert response.status_code == 200
        assert response.get(CACHE_HEADER) != "hit"
    if url != "/lieux/lieux.geojson":
        assert "Compagnie des Tiers-lieux" in response.content.decode()


class CountingCache(LocMemCache):
    """Django's local-memory cache, noting each call the page cache makes."""

    calls = []

    def get(self, key, default=None, version=None):
        if not self.calls or self.calls[-1] != "get_many (running)":
            self.calls.append("get")
        return super().get(key, default, version)

    def get_many(self, keys, version=None):  # LocMemCache's calls get() for each key
        self.calls.append("get_many (running)")
        found = super().get_many(keys, version)
        self.calls[-1] = "get_many"
        return found

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.calls.append("set")
        return super().set(key, value, timeout, version)


@pytest.mark.parametrize("url", ["/lieux/", "/lieux/la-coroutine/", "/lieux/lieux.geojson"])
def test_a_hit_is_one_cache_round_trip_before_url_resolution(settings, venue, url, django_assert_num_queries):
    """What the page cache is kept for (cached pages >= 0.5x the trivial view,
    docs/caching.md): Django's cache middleware reads two keys (the Vary
    header list, then the page) after every middleware and this one reads one
    ``get_many`` (generation and page) before URL resolution."""
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.CountingCache", "LOCATION": url}}
    assert Client().get(url)[CACHE_HEADER] == "miss"
    CountingCache.calls.clear()
    settings.ROOT_URLCONF = "tests.members.test_page_cache"  # no route at all: resolving would 404
    with django_assert_num_queries(0):
        hit = Client().get(url)
    assert (hit.status_code, hit[CACHE_HEADER]) == (200, "hit")
    assert CountingCache.calls == ["get_many"]


urlpatterns = []  # the URL configuration of the test above
