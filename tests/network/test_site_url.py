"""One canonical address: SITE_URL, whatever Host a request came with."""

import re

import pytest
from django.core import checks
from django.core.management import call_command
from wagtail.models import Site

from network.site_url import absolute_url, check_site_url, sync_site_with_site_url

pytestmark = pytest.mark.django_db

OTHER_HOSTS = {"HTTP_HOST": "localhost:9000"}
BOTH = pytest.mark.parametrize(
    "site_url", ["https://tiers-lieux.example", "http://127.0.0.1:8080"], indirect=True
)


def test_absolute_url_joins_paths_on_site_url(settings):
    settings.SITE_URL = "https://tiers-lieux.example"
    assert absolute_url("/lieux/") == "https://tiers-lieux.example/lieux/"
    assert absolute_url("https://ailleurs.example/x") == "https://ailleurs.example/x"


@pytest.mark.parametrize(
    ("url", "hostname", "port"),
    [
        ("https://tiers-lieux.example", "tiers-lieux.example", 443),
        ("http://127.0.0.1:8080", "127.0.0.1", 8080),
    ],
)
def test_the_site_follows_site_url_after_migrate(settings, site_tree, url, hostname, port):
    settings.SITE_URL = url
    call_command("migrate", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (hostname, port, url)
    assert site.root_page_id == site_tree["home"].pk
    assert site_tree["lieux"].get_full_url() == f"{url}/lieux/"


def test_seeding_points_the_site_at_the_home_page_on_site_url(site_url, site_tree):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == site_tree["home"].pk
    assert site.root_url == site_url


@BOTH
def test_sitemap_lists_pages_on_site_url(client, site_url, site_tree):
    xml = client.get("/sitemap.xml", **OTHER_HOSTS).content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert f"{site_url}/quest-ce-quun-tiers-lieu/" in locations
    assert all(location.startswith(site_url + "/") for location in locations), locations


@BOTH
def test_robots_txt_names_the_sitemap_on_site_url(client, site_url, site_tree):
    text = client.get("/robots.txt", **OTHER_HOSTS).content.decode()
    assert f"Sitemap: {site_url}/sitemap.xml" in text.splitlines()


@BOTH
def test_content_page_has_its_canonical_link_on_site_url(client, site_url, site_tree):
    html = client.get("/quest-ce-quun-tiers-lieu/", **OTHER_HOSTS).content.decode()
    assert f'<link rel="canonical" href="{site_url}/quest-ce-quun-tiers-lieu/">' in html
    assert html.count('rel="canonical"') == 1


def test_pages_outside_wagtail_carry_no_canonical_link(client, site_url, site_tree):
    assert 'rel="canonical"' not in client.get("/accounts/login/").content.decode()


def _production(settings, url="https://tiers-lieux.example"):
    settings.IS_PRODUCTION = True
    settings.SITE_URL = url


def test_check_passes_when_the_site_agrees(settings, site_tree):
    _production(settings)
    sync_site_with_site_url()
    assert check_site_url() == []


def test_check_fails_when_the_site_was_edited_by_hand(settings, site_tree):
    _production(settings)
    sync_site_with_site_url()
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    errors = checks.run_checks(include_deployment_checks=True)
    (error,) = [e for e in errors if e.id == "network.E002"]
    assert error.level == checks.ERROR
    assert "http://localhost" in error.msg


def test_check_fails_on_a_site_url_that_is_not_https(settings, site_tree):
    _production(settings, "http://tiers-lieux.example")
    sync_site_with_site_url()
    assert [e.id for e in check_site_url()] == ["network.E001"]


def test_check_says_nothing_outside_production(settings, site_tree):
    settings.IS_PRODUCTION = False
    Site.objects.filter(is_default_site=True).update(hostname="ailleurs.example", port=80)
    assert check_site_url() == []
