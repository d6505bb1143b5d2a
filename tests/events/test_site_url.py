"""Calendar feeds, event pages and event e-mails link to SITE_URL, whatever Host the request came with."""

import json
import re

import pytest
from django.core import mail
from icalendar import Calendar

from events import services

pytestmark = pytest.mark.django_db

OTHER_HOST = {"HTTP_HOST": "localhost:9000"}
SITE_URLS = ["https://tiers-lieux.example", "http://127.0.0.1:8080"]
BOTH = pytest.mark.parametrize("site_url", SITE_URLS, indirect=True)


def _strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
    elif isinstance(data, str):
        yield data


def _links_to_us(strings, site_url):
    """The links into the site among ``strings``: none may name the request's Host or a local address."""
    links = [s for s in strings if re.match(r"https?://", s)]
    wrong = [link for link in links if re.match(r"https?://(localhost|127\.0\.0\.1|testserver)[:/]", link)]
    assert not [link for link in wrong if not link.startswith(site_url + "/")], links
    return [link for link in links if link.startswith(site_url + "/")]


@BOTH
def test_feeds_carry_event_urls_on_site_url(client, site_url, event, venue_event):
    for path in ("/agenda/agenda.ics", f"{event.url}ics/"):
        calendar = Calendar.from_ical(client.get(path, **OTHER_HOST).content)
        vevents = calendar.walk("VEVENT")
        assert vevents, path
        for vevent in vevents:
            assert str(vevent["URL"]).startswith(site_url + "/"), path
            assert str(vevent["URL"]) in str(vevent["DESCRIPTION"])
    calendar = Calendar.from_ical(client.get("/agenda/agenda.ics").content)
    urls = {str(vevent["URL"]) for vevent in calendar.walk("VEVENT")}
    assert urls == {f"{site_url}/agenda/apero-du-reseau/", f"{site_url}/lieux/la-coroutine/atelier-soudure/"}


@BOTH
def test_event_page_links_on_site_url(client, site_url, venue_event):
    html = client.get(venue_event.url, **OTHER_HOST).content.decode()
    url = f"{site_url}{venue_event.url}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert url in _links_to_us(_strings(json.loads(block)), site_url)


def test_private_feed_address_on_the_profile_is_on_site_url(client, site_url, event, member):
    token = services.regenerate_calendar_token(by=member)
    client.force_login(member)
    html = client.get("/accounts/profile/", **OTHER_HOST).content.decode()
    assert f'value="{site_url}/agenda/mon-agenda/{token}.ics"' in html


def test_registration_email_links_to_site_url(
    site_url, occurrence, member, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.register_for_event(occurrence, by=member)
    (message,) = mail.outbox
    assert f"{site_url}/agenda/apero-du-reseau/" in message.body
    assert "localhost" not in message.body and "127.0.0.1:8000" not in message.body
