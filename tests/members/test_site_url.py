"""Venue pages, open data and account e-mails link to SITE_URL, whatever Host the request came with."""

import csv
import io
import json
import re

import pytest
from allauth.account.models import EmailAddress
from wagtail_factories import ImageFactory

pytestmark = pytest.mark.django_db

OTHER_HOST = {"HTTP_HOST": "localhost:9000"}
SITE_URLS = ["https://tiers-lieux.example", "http://127.0.0.1:8080"]
BOTH = pytest.mark.parametrize("site_url", SITE_URLS, indirect=True)
SIGNUP = {
    "email": "nouvelle@example.org",
    "display_name": "Nouvelle Venue",
    "password1": "un-mot-de-passe-solide",
    "password2": "un-mot-de-passe-solide",
}


def _links(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)


@BOTH
def test_venue_page_links_on_site_url(client, site_url, venue):
    from members.models import VenueGalleryImage

    VenueGalleryImage.objects.create(page=venue, image=ImageFactory(), caption="La salle")
    html = client.get(venue.url, **OTHER_HOST).content.decode()
    url = f"{site_url}/lieux/{venue.slug}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert re.search(rf'<meta property="og:image" content="{re.escape(site_url)}/media/[^"]+">', html)
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block)["url"] == url
    assert not [link for link in _links(html) if "localhost" in link or "testserver" in link]


@BOTH
def test_open_data_urls_are_on_site_url(client, site_url, venue):
    url = f"{site_url}/lieux/{venue.slug}/"
    geojson = json.loads(client.get("/lieux/lieux.geojson", **OTHER_HOST).content)
    assert [feature["properties"]["url"] for feature in geojson["features"]] == [url]
    rows = list(csv.DictReader(io.StringIO(client.get("/lieux/lieux.csv", **OTHER_HOST).content.decode())))
    assert [row["url"] for row in rows] == [url]


def test_signup_confirmation_link_is_on_site_url(client, site_url, site_tree, mailoutbox):
    client.post("/accounts/signup/", SIGNUP, **OTHER_HOST)
    (message,) = mailoutbox
    (link,) = [link for link in _links(message.body) if "/accounts/confirm-email/" in link]
    assert link.startswith(f"{site_url}/accounts/confirm-email/")
    assert "localhost" not in message.body and "testserver" not in message.body
    assert "tiers-lieux.example" in message.body.rsplit("\n", 3)[-1]  # the sign-off names the site's address
    # The link works, on any host that serves the site.
    path = link.removeprefix(site_url)
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nouvelle@example.org").verified


def test_password_reset_links_are_on_site_url(client, site_url, member, mailoutbox):
    client.post("/accounts/password/reset/", {"email": member.email}, **OTHER_HOST)
    client.post("/accounts/password/reset/", {"email": "personne@example.org"}, **OTHER_HOST)
    known, unknown = mailoutbox
    (reset,) = [link for link in _links(known.body) if "/accounts/password/reset/key/" in link]
    assert reset.startswith(f"{site_url}/accounts/password/reset/key/")
    assert client.get(reset.removeprefix(site_url)).status_code in (200, 302)
    assert f"{site_url}/accounts/signup/" in _links(unknown.body)
    for message in (known, unknown):
        assert "localhost" not in message.body and "testserver" not in message.body


def test_signing_up_again_links_to_site_url(client, site_url, site_tree, member, mailoutbox):
    client.post("/accounts/signup/", {**SIGNUP, "email": member.email}, **OTHER_HOST)
    (message,) = mailoutbox
    links = _links(message.body)
    assert f"{site_url}/accounts/password/reset/" in links
    assert all(link.startswith(site_url + "/") for link in links), links
