import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

NAV_HREFS = ["/lieux/", "/agenda/", "/compagnonnage/", "/discussions/"]


def test_home_renders_in_french_by_default(client, home_page):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "Les lieux" in html
    assert "Aller au contenu" in html
    for href in NAV_HREFS:
        assert f'href="{href}"' in html


def test_home_renders_in_english_on_request(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.redirect_chain == [("/en/", 302)]  # the English address (docs/i18n.md)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Venues" in html
    for href in ("/lieux/", "/agenda/", "/compagnonnage/"):  # links keep the visitor in English
        assert f'href="/en{href}"' in html
    assert 'href="/discussions/"' in html  # one address, the language negotiated


def test_language_switcher_posts_to_set_language_and_sticks(client, home_page):
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert '<html lang="en">' in client.get("/", follow=True).content.decode()


def test_header_offers_login_to_visitors_and_profile_to_members(client, home_page, member):
    html = client.get("/").content.decode()
    assert "/accounts/login/" in html
    assert "/accounts/profile/" not in html
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "/accounts/profile/" in html
    assert "Se déconnecter" in html


def test_search_finds_a_content_page(client, site_tree):
    response = client.get("/recherche/", {"q": "impression"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Les activités des tiers-lieux" in html
    assert "1 résultat pour" in html


def test_search_without_results_says_so(client, site_tree):
    response = client.get("/recherche/", {"q": "zzzzqqqq"})
    assert "Aucune page ne correspond" in response.content.decode()


@pytest.mark.parametrize("params", [{"q": "x" * 5000}, {"q": "fab", "page": "abc"}, {"q": "<script>"}])
def test_search_survives_hostile_input(client, site_tree, params):
    response = client.get("/recherche/", params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_content_pages_render(client, site_tree):
    for slug in ("quest-ce-quun-tiers-lieu", "activites", "le-reseau", "lieux", "agenda", "compagnonnage"):
        assert client.get(f"/{slug}/").status_code == 200, slug


def test_sitemap_lists_live_pages(client, site_tree):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "/quest-ce-quun-tiers-lieu/</loc>" in response.content.decode()


def test_robots_txt_points_to_the_sitemap(client, site_tree, settings):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_404_is_in_the_site_look(client, site_tree):
    response = client.get("/cette-page-nexiste-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert 'class="site-header"' in html


def test_500_page_is_in_the_site_look(client, site_tree):
    from django.test import Client
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    from network import urls

    urls.urlpatterns.insert(0, path("boom/", boom))
    try:
        response = Client(raise_request_exception=False).get("/boom/")
    finally:
        urls.urlpatterns.pop(0)
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


def test_seed_demo_accounts_are_verified_and_use_the_demo_password(client, settings):
    call_command("seed_demo")
    response = client.post(
        "/accounts/login/", {"login": "membre@example.org", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


def test_seed_demo_refuses_production_settings_without_force(settings):
    from django.core.management.base import CommandError

    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")


def test_home_page_query_count_is_bounded(client, site_tree, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(15):
        client.get("/")
