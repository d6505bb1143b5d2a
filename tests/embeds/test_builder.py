"""The "Intégrer sur votre site" page: the snippet from the chosen filters, without JavaScript too,
and the ways to it (calendar, directory, footer, a venue page for its managers)."""

import html as html_lib

import pytest

from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.django_db


def _page(client, params=None, **kwargs):
    response = client.get("/integrer/", params or {}, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def _snippet(html):
    start = html.index('id="embed-snippet"')
    text = html[html.index(">", start) + 1 : html.index("</textarea>", start)]
    return html_lib.unescape(text)


@pytest.mark.parametrize("site_url", ["https://tiers-lieux.example"], indirect=True)
def test_agenda_snippet_carries_the_chosen_filters(client, venue, agenda, site_url):
    params = {"target": "agenda", "venue": "la-coroutine", "kind": "workshop", "lang": "en", "height": "450"}
    html = _page(client, params)
    query = "kind=workshop&amp;venue=la-coroutine&amp;lang=en"
    assert _snippet(html) == (
        f'<iframe src="https://tiers-lieux.example/integrer/agenda/?{query}" '
        'title="Agenda de la Compagnie des Tiers-lieux" width="100%" height="450" '
        'style="border:0" loading="lazy"></iframe>'
    )
    # The preview is the same embed, on this site.
    assert f'id="embed-preview" src="/integrer/agenda/?{query}"' in html
    # The venue is preselected in the menu.
    assert '<option value="la-coroutine" selected>La Coroutine</option>' in html


@pytest.mark.parametrize("site_url", ["https://tiers-lieux.example"], indirect=True)
def test_map_snippet(client, venue_index, site_url):
    VenuePageFactory(parent=venue_index, title="Fablab", main_activity="fablab")
    html = _page(client, {"target": "carte", "activity": "fablab", "qpv": "1"})
    snippet = _snippet(html)
    url = "https://tiers-lieux.example/integrer/carte/?activity=fablab&amp;qpv=1"
    assert snippet.startswith(f'<iframe src="{url}" ')
    assert 'height="600"' in snippet
    # Only the map's filters are active; the agenda's are disabled (not submitted).
    assert '<fieldset data-embed-fields="agenda" disabled hidden>' in html
    assert '<fieldset data-embed-fields="carte">' in html


def test_default_page_shows_the_whole_agenda(client, site_tree):
    html = _page(client)
    assert 'src="http://testserver' not in html
    assert _snippet(html).startswith('<iframe src="http://127.0.0.1:8000/integrer/agenda/" ')
    assert 'src="/static/js/embed-builder.js"' in html
    assert "<script>" not in html  # no inline script (CSP script-src 'self')


@pytest.mark.parametrize(
    "params",
    [
        {"target": "nope", "height": "-5", "lang": "de"},
        {"target": "agenda", "venue": "no-such-venue", "kind": "<script>alert(1)</script>"},
        {"target": "carte", "activity": "x" * 5000, "commune": "%00", "qpv": "maybe"},
        {"height": "1e9", "tag": "../../../"},
    ],
)
def test_bad_choices_are_reported_and_left_out_of_the_snippet(client, venue, params):
    html = _page(client, params)
    snippet = _snippet(html)
    assert "<script>alert" not in html
    assert "no-such-venue" not in snippet and "nope" not in snippet and "%00" not in snippet
    assert 'height="600"' in snippet
    assert 'class="errors"' in html or params.get("target") == "nope"


def test_builder_in_english(client, site_tree):
    html = _page(client, headers={"accept-language": "en"})
    assert "Embed on your website" in html and "The code to copy" in html


# -- the ways to it ---------------------------------------------------------------------


def test_calendar_and_directory_link_to_the_builder_with_their_filters(client, site_tree):
    calendar = client.get("/agenda/", {"kind": "workshop"}).content.decode()
    assert 'href="/integrer/?target=agenda&amp;kind=workshop"' in calendar
    directory = client.get("/lieux/", {"activity": "fablab"}).content.decode()
    assert 'href="/integrer/?target=carte&amp;activity=fablab"' in directory
    assert 'href="/integrer/"' in client.get("/").content.decode()  # footer


def test_venue_managers_find_their_venues_agenda_embed(client, venue, manager, member):
    link = 'href="/integrer/?target=agenda&amp;venue=la-coroutine"'
    assert link not in client.get("/lieux/la-coroutine/").content.decode()
    client.force_login(member)
    assert link not in client.get("/lieux/la-coroutine/").content.decode()
    client.force_login(manager)
    html = client.get("/lieux/la-coroutine/").content.decode()
    assert link in html and "L'agenda de mon lieu sur mon site" in html
    # The link lands on the builder with the venue chosen.
    builder = _page(client, {"target": "agenda", "venue": "la-coroutine"})
    assert '<option value="la-coroutine" selected>' in builder
