"""The footer's "Plan du site" is an HTML page of the site's sections; the XML sitemap stays."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_footer_links_to_the_html_site_map_listing_every_section(client, site_tree):
    home = client.get("/").content.decode()
    assert f'<a href="{reverse("site_map")}">Plan du site</a>' in home
    html = client.get(reverse("site_map")).content.decode()
    sections = [page for slug, page in site_tree.items() if slug != "home"]
    for page in sections:
        assert f'href="{page.url}"' in html, page.title
    for name in ["account_login", "account_signup", "search", "embed_builder", "sitemap"]:
        assert f'href="{reverse(name)}"' in html, name
    assert client.get("/sitemap.xml").status_code == 200


@pytest.mark.django_db
def test_the_site_map_leaves_out_unpublished_pages(client, site_tree):
    page = site_tree["lieux"]
    url = page.url
    page.unpublish()
    html = client.get(reverse("site_map")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]  # the header's menu is not the site map
    assert "Agenda" in main
    assert f'href="{url}"' not in main
