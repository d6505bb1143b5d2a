"""English pages: /en/ addresses, translated content pages, English summaries, hreflang and the sitemap."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import StandardPage
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.django_db

SITE = "https://tiers-lieux.example"


@pytest.fixture
def english_site(site_tree, site_url, django_capture_on_commit_callbacks):
    """The demo tree with its English pages, served on SITE_URL."""
    from home.demo import seed_translations

    with django_capture_on_commit_callbacks(execute=True):
        seed_translations()
    return site_tree


@pytest.fixture
def venues(english_site):
    index = english_site["lieux"]
    return {
        "translated": VenuePageFactory(
            parent=index,
            title="La Coroutine",
            slug="la-coroutine",
            summary="Un atelier partagé au bord du canal.",
            summary_en="A shared workshop by the canal.",
        ),
        "french_only": VenuePageFactory(
            parent=index, title="Le Bocal", slug="le-bocal", summary="Un café où l'on travaille."
        ),
    }


def _head(html):
    """``(canonical, {hreflang: href})`` of a page."""
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    return canonical, alternates


def _h1(html):
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


def _title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_english_home_is_the_translation_with_alternates(client, english_site):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert _title(html).startswith("The network of third places in the Lille metropolis")
    assert "the Compagnie links the third places" in html
    assert "What you will find here" in html
    assert "Skip to content" in html
    canonical, alternates = _head(html)
    assert canonical == f"{SITE}/en/"
    assert alternates == {"fr": f"{SITE}/", "en": f"{SITE}/en/", "x-default": f"{SITE}/"}
    # The French home names the same alternates and is its own canonical page.
    french = client.get("/").content.decode()
    assert '<html lang="fr">' in french
    assert _head(french) == (f"{SITE}/", alternates)


def test_english_content_page_has_english_title_and_headings(client, english_site):
    html = client.get("/en/le-reseau/").content.decode()
    assert '<html lang="en">' in html
    assert _title(html) == "The network · Compagnie des Tiers-lieux"
    assert _h1(html) == "The network"
    assert "What the network does" in html
    assert "Ce que fait le réseau" not in html
    canonical, alternates = _head(html)
    assert canonical == f"{SITE}/en/le-reseau/"
    assert alternates["fr"] == f"{SITE}/le-reseau/"
    french = client.get("/le-reseau/").content.decode()
    assert _h1(french) == "Le réseau"
    assert "Ce que fait le réseau" in french


def test_index_pages_have_english_titles_and_intros(client, english_site):
    for path, heading, intro in [
        ("/en/lieux/", "Venues", "member third places"),
        ("/en/agenda/", "Calendar", "public events"),
        ("/en/compagnonnage/", "Mentoring", "has been there will support you"),
    ]:
        html = client.get(path).content.decode()
        assert '<html lang="en">' in html, path
        assert _h1(html) == heading
        assert _title(html).startswith(f"{heading} ·")
        assert intro in html
        assert _head(html)[1] == {
            "fr": SITE + path.removeprefix("/en"),
            "en": SITE + path,
            "x-default": SITE + path.removeprefix("/en"),
        }
    assert "How it works" in client.get("/en/compagnonnage/").content.decode()
    assert _h1(client.get("/lieux/").content.decode()) == "Les lieux"


def test_venue_page_shows_the_english_summary_and_falls_back_on_french(client, venues):
    html = client.get("/en/lieux/la-coroutine/").content.decode()
    assert '<html lang="en">' in html
    assert _h1(html) == "La Coroutine"
    assert '<p class="lead">A shared workshop by the canal.</p>' in html
    assert "Un atelier partagé" not in html
    assert _head(html) == (
        f"{SITE}/en/lieux/la-coroutine/",
        {
            "fr": f"{SITE}/lieux/la-coroutine/",
            "en": f"{SITE}/en/lieux/la-coroutine/",
            "x-default": f"{SITE}/lieux/la-coroutine/",
        },
    )
    french_only = client.get("/en/lieux/le-bocal/").content.decode()
    assert '<p class="lead" lang="fr">Un café où l&#x27;on travaille.</p>' in french_only
    french = client.get("/lieux/la-coroutine/").content.decode()
    assert '<p class="lead">Un atelier partagé au bord du canal.</p>' in french


def test_english_directory_links_stay_in_english(client, venues):
    html = client.get("/en/lieux/").content.decode()
    assert 'href="/en/lieux/la-coroutine/"' in html
    assert "A shared workshop by the canal." in html
    assert '<p class="venue-card__summary" lang="fr">Un café' in html
    for href in ("/en/", "/en/lieux/", "/en/agenda/", "/en/compagnonnage/"):
        assert f'href="{href}"' in html
    assert 'href="/lieux/la-coroutine/"' not in html


def test_untranslated_content_page_is_served_in_french_under_en(client, english_site):
    home = english_site["home"]
    page = StandardPage(title="Nos partenaires", slug="partenaires", intro="<p>Ceux qui nous aident.</p>")
    home.add_child(instance=page)
    page.save_revision().publish()
    response = client.get("/en/partenaires/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html  # the interface
    assert _h1(html) == "Nos partenaires"
    canonical, alternates = _head(html)
    assert canonical == f"{SITE}/partenaires/"  # the French page is the one to index
    assert alternates == {}


def test_visitor_preferring_english_is_sent_to_the_english_address(client, english_site):
    response = client.get("/le-reseau/?x=1", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,fr;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/en/le-reseau/?x=1"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    # A search engine (no header) and a French reader stay on the French page.
    assert client.get("/le-reseau/").status_code == 200
    assert client.get("/le-reseau/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr").status_code == 200
    # Having chosen French in the switcher, an English browser stays in French.
    client.cookies["django_language"] = "fr"
    response = client.get("/le-reseau/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_language_switch_round_trip(client, english_site):
    html = client.get("/le-reseau/").content.decode()
    assert 'name="next" value="/le-reseau/"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/le-reseau/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/le-reseau/"
    assert _h1(client.get(response["Location"]).content.decode()) == "The network"
    assert client.get("/le-reseau/")["Location"] == "/en/le-reseau/"  # the cookie says English
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/en/le-reseau/"})
    assert response["Location"] == "/le-reseau/"
    assert _h1(client.get("/le-reseau/", HTTP_ACCEPT_LANGUAGE="en").content.decode()) == "Le réseau"


def test_routes_outside_the_pages_keep_negotiating(client, english_site):
    """The API, accounts and discussions have one address and follow Accept-Language, as before."""
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    api = client.get("/api/v1/figures", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 200
    assert api["Content-Language"] == "en"


def test_sitemap_lists_each_language_with_its_alternates(client, venues):
    xml = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{SITE}/en/le-reseau/</loc>" in xml
    assert f"<loc>{SITE}/le-reseau/</loc>" in xml
    assert f"<loc>{SITE}/en/lieux/la-coroutine/</loc>" in xml
    assert f'<xhtml:link rel="alternate" hreflang="en" href="{SITE}/en/le-reseau/"/>' in xml
    assert f'<xhtml:link rel="alternate" hreflang="x-default" href="{SITE}/lieux/la-coroutine/"/>' in xml
    # the English tree's pages are listed once, as the French pages' alternates
    assert xml.count(f"<loc>{SITE}/en/</loc>") == 1


@pytest.mark.parametrize(
    "path",
    [
        "/en/nope/",
        "/en/en/",
        "/en/lieux/nope/",
        "/en/lieux/%3Cscript%3E/",
        "/en/admin/",
        "/en/api/v1/venues",
        "/en/../etc/passwd",
        "/en/%00/",
        "/en/le-reseau/nope/deeper/",
        "/en/agenda/9999/99/",
        "/en/recherche/?q=%00",
        "/en/lieux/?commune=%27",
    ],
)
def test_hostile_english_paths_never_fail(path, client, venues):
    response = client.get(path)
    assert response.status_code < 500, path


def test_english_pages_cost_at_most_one_query_more(client, venues, django_assert_max_num_queries):
    for french, english in [
        ("/", "/en/"),
        ("/le-reseau/", "/en/le-reseau/"),
        ("/lieux/la-coroutine/", "/en/lieux/la-coroutine/"),
        ("/agenda/", "/en/agenda/"),
    ]:
        client.get(french), client.get(english)  # warm the per-process caches (site root paths)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(french).status_code == 200
        with django_assert_max_num_queries(len(queries) + 1):
            assert client.get(english).status_code == 200


def _publish_in_admin(client, page, fields, body=()):
    data = nested_form_data(
        {"slug": page.slug, "body": streamfield(list(body)), **fields, "action-publish": "publish"}
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.live and page.title == fields["title"]


def test_staff_translate_a_page_in_the_admin_and_it_is_served(client, site_tree, staff_user, site_url):
    client.force_login(staff_user)
    english = Locale.objects.get(language_code="en")
    home, page = site_tree["home"], site_tree["le-reseau"]
    for source in (home, page):  # a page is translated once its parent is
        response = client.post(f"/admin/translation/submit/page/{source.pk}/", {"locales": [english.pk]})
        assert response.status_code == 302
    # Each copy is a draft until staff write it in English and publish it, the home first.
    english_home = home.get_translation(english).specific
    _publish_in_admin(client, english_home, {"title": "Compagnie des Tiers-lieux", "intro": "Welcome."})
    translation = page.get_translation(english).specific
    assert _h1(client.get("/en/le-reseau/").content.decode()) == "Le réseau"  # draft: the French page
    _publish_in_admin(
        client,
        translation,
        {"title": "The network", "intro": rich_text("<p>Who we are.</p>")},
        body=[("heading", "What we do")],
    )
    client.logout()
    html = client.get("/en/le-reseau/").content.decode()
    assert _h1(html) == "The network"
    assert "What we do" in html
    assert _head(html)[1]["en"] == f"{SITE}/en/le-reseau/"
    assert Page.objects.get(pk=page.pk).specific.title == "Le réseau"


def test_search_finds_content_pages_in_the_reader_language(client, english_site):
    english = client.get("/en/recherche/", {"q": "network"}).content.decode()
    assert "The network" in english
    french = client.get("/recherche/", {"q": "réseau"}).content.decode()
    assert "Le réseau" in french
    assert "The network" not in french


def test_a_french_slug_starting_like_a_language_stays_french(client, english_site):
    """Django reads ``/en-pratique/`` as English; it is a French page's address."""
    home = english_site["home"]
    page = StandardPage(title="En pratique", slug="en-pratique")
    home.add_child(instance=page)
    page.save_revision().publish()
    response = client.get("/en-pratique/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert client.get("/en/en-pratique/").status_code == 200
    assert client.get("/en-pratique/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/en/en-pratique/"


def test_a_venue_is_found_by_its_english_summary(client, venues):
    html = client.get("/en/recherche/", {"q": "shared workshop"}).content.decode()
    assert "La Coroutine" in html
    assert 'href="/en/lieux/la-coroutine/"' in html
    assert "A shared workshop by the canal." in html


def test_english_site_map_names_the_english_pages(client, english_site):
    html = client.get("/en/plan-du-site/").content.decode()
    assert '<a href="/en/le-reseau/">The network</a>' in html
    assert '<a href="/en/lieux/">Venues</a>' in html
    assert '<a href="/en/">' in html
    french = client.get("/plan-du-site/").content.decode()
    assert '<a href="/le-reseau/">Le réseau</a>' in french
