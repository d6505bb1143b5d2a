"""The embeddable agenda and map: framed by any site, no cookies, the calendar's and the
directory's filters, French and English, hostile query strings, bounded queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.venues import VenuePageFactory, commune

pytestmark = pytest.mark.django_db

EMBEDS = ["/integrer/agenda/", "/integrer/carte/"]


@pytest.fixture
def scene(make_event, venue, other_venue):
    return {
        "meetup": make_event(title="Apéro réseau", slug="apero", kind="meetup", tags=["convivial"]),
        "workshop": make_event(
            parent=venue, title="Atelier soudure", slug="soudure", kind="workshop", street_address=""
        ),
        "training": make_event(
            parent=other_venue,
            title="Permanence numérique",
            slug="permanence",
            kind="training",
            street_address="",
        ),
    }


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


# -- framing --------------------------------------------------------------------


@pytest.mark.parametrize("path", EMBEDS)
def test_embeds_may_be_framed_by_any_site(client, site_tree, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "frame-ancestors 'self'" not in policy
    assert "X-Frame-Options" not in response
    # The rest of the policy stays strict.
    assert "script-src 'self'" in policy and "object-src 'none'" in policy


@pytest.mark.parametrize("path", ["/", "/lieux/", "/agenda/", "/integrer/", "/lieux/la-coroutine/"])
def test_every_other_page_refuses_to_be_framed(client, site_tree, venue, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors *" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("path", EMBEDS)
def test_embeds_answer_get_only(client, site_tree, path):
    assert client.post(path).status_code == 405


# -- no cookies -------------------------------------------------------------------


@pytest.mark.parametrize("path", EMBEDS)
def test_embeds_set_no_cookie_even_for_a_signed_in_member(member_client, scene, path):
    member_client.cookies["django_language"] = "en"
    response = member_client.get(path, headers={"accept-language": "fr"})
    html = _html(response)
    assert not response.cookies
    assert "Set-Cookie" not in response
    assert "csrfmiddlewaretoken" not in html
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert "Accept-Language" in vary and "Cookie" not in vary
    # The language cookie is ignored: an embed is the same for every visitor of the same URL.
    assert response["Content-Language"] == "fr" and '<html lang="fr">' in html
    assert "Se connecter" not in html and "Mon profil" not in html  # nothing of the member's


# -- filters, links -----------------------------------------------------------------


def test_agenda_shows_only_the_chosen_venues_events(client, scene):
    html = _html(client.get("/integrer/agenda/", {"venue": "la-coroutine"}))
    assert "Atelier soudure" in html
    assert "Permanence numérique" not in html and "Apéro réseau" not in html
    assert "Agenda de La Coroutine" in html


def test_agenda_takes_every_calendar_filter(client, scene, other_venue):
    def titles(params):
        html = _html(client.get("/integrer/agenda/", params))
        return {name for name in ("Atelier soudure", "Permanence numérique", "Apéro réseau") if name in html}

    assert titles({}) == {"Atelier soudure", "Permanence numérique", "Apéro réseau"}
    assert titles({"kind": "training"}) == {"Permanence numérique"}
    assert titles({"tag": "convivial"}) == {"Apéro réseau"}
    assert titles({"commune": other_venue.commune.insee_code}) == {"Permanence numérique"}
    assert titles({"q": "soudure"}) == {"Atelier soudure"}


@pytest.mark.parametrize("site_url", ["https://tiers-lieux.example"], indirect=True)
def test_agenda_links_open_the_site_in_a_new_tab(client, scene, site_url):
    html = _html(client.get("/integrer/agenda/", {"kind": "workshop"}))
    assert (
        '<a href="https://tiers-lieux.example/lieux/la-coroutine/soudure/" target="_blank" rel="noopener">'
        "Atelier soudure</a>"
    ) in html
    # "More" goes to the calendar with the same filters.
    assert 'href="https://tiers-lieux.example/agenda/?kind=workshop" target="_blank" rel="noopener"' in html
    assert '<a href="/' not in html  # no relative link: inside an iframe it would open the site in the frame


@pytest.mark.parametrize("site_url", ["https://tiers-lieux.example"], indirect=True)
def test_map_lists_the_filtered_venues_and_feeds_the_map_the_same_filters(client, venue_index, site_url):
    VenuePageFactory(
        parent=venue_index, title="Fablab du Nord", slug="fablab-du-nord", main_activity="fablab"
    )
    VenuePageFactory(
        parent=venue_index, title="Cowork Roubaix", main_activity="coworking", commune=commune("59512")
    )
    html = _html(client.get("/integrer/carte/", {"activity": "fablab", "lang": "fr"}))
    assert (
        '<a href="https://tiers-lieux.example/lieux/fablab-du-nord/" target="_blank" rel="noopener">'
        "Fablab du Nord</a>"
    ) in html
    assert "Cowork Roubaix" not in html
    assert 'data-geojson-url="/lieux/lieux.geojson?activity=fablab"' in html
    assert 'data-link-target="_blank"' in html
    assert 'href="https://tiers-lieux.example/lieux/?activity=fablab"' in html
    assert '<a href="/' not in html
    geojson = client.get("/lieux/lieux.geojson", {"activity": "fablab"}).json()
    assert [feature["properties"]["name"] for feature in geojson["features"]] == ["Fablab du Nord"]


# -- languages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "accept", "expected"),
    [
        ({}, "fr-FR,fr;q=0.9", "fr"),
        ({}, "en-GB,en;q=0.8", "en"),
        ({}, "de-DE, en;q=0.5", "en"),
        ({}, "", "fr"),
        ({"lang": "en"}, "fr", "en"),
        ({"lang": "fr"}, "en", "fr"),
        ({"lang": "xx"}, "en", "en"),
    ],
)
def test_embed_language_from_lang_or_accept_language(client, scene, params, accept, expected):
    response = client.get(
        "/integrer/agenda/", {**params, "venue": "la-coroutine"}, headers={"accept-language": accept}
    )
    html = _html(response)
    assert response["Content-Language"] == expected
    assert f'<html lang="{expected}">' in html
    if expected == "en":
        assert "La Coroutine events" in html and "Full calendar" in html
        assert "Tout l'agenda" not in html
    else:
        assert "Agenda de La Coroutine" in html and "Tout l'agenda" in html


def test_map_in_english(client, site_tree):
    html = _html(client.get("/integrer/carte/", {"lang": "en"}))
    assert "Third places of the Lille metropolitan area" in html
    assert "Full directory of venues" in html


# -- hostile input -------------------------------------------------------------------------

HOSTILE = [
    "venue=" + "x" * 5000,
    "venue=../../etc/passwd",
    "venue=%3Cscript%3Ealert(1)%3C/script%3E",
    "commune=%00",
    "commune=99999",
    "kind=nope&kind=workshop",
    "tag=%F0%9F%92%A9" * 50,
    "start=99999-99-99&end=1-1-1",
    "start=2030-01-01&end=2020-01-01",
    "q=" + "%27%22%3C" * 300,
    "activity=%00&qpv=maybe&mentoring[]=1",
    "lang=" + "e" * 500,
    "lang=%0d%0aSet-Cookie:%20x=1",
    "page=-1&page=999999999999999999999",
    "%ZZ=%ZZ",
]


@pytest.mark.parametrize("path", EMBEDS)
@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_query_strings_never_break_an_embed(client, scene, path, query):
    response = client.get(f"{path}?{query}", headers={"accept-language": "x" * 3000 + ";q=abc, *;q=2"})
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert not response.cookies
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_invalid_filter_is_ignored_the_others_still_apply(client, scene):
    html = _html(client.get("/integrer/agenda/", {"venue": "no-such-venue", "kind": "training"}))
    assert "Permanence numérique" in html
    assert "Atelier soudure" not in html


# -- bounded queries ---------------------------------------------------------------------


def _queries(client, path):
    cache.clear()  # both counts start cold (Wagtail keeps the site's root paths in the cache)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


@pytest.mark.parametrize("path", ["/integrer/agenda/", "/integrer/agenda/?venue=la-coroutine&kind=workshop"])
def test_agenda_queries_do_not_grow_with_events(
    client, scene, make_event, venue_index, venue, path, django_assert_num_queries
):
    few = _queries(client, path)
    assert few <= 8
    for n in range(6):
        place = VenuePageFactory(parent=venue_index, title=f"Lieu {n}", slug=f"lieu-{n}")
        for parent, title, slug in ((place, "Atelier", "atelier"), (venue, "Soirée", "soiree")):
            make_event(
                parent=parent, title=f"{title} {n}", slug=f"{slug}-{n}", kind="workshop", street_address=""
            )
    cache.clear()
    with django_assert_num_queries(few):
        client.get(path)


def test_map_queries_do_not_grow_with_venues(client, venue_index, django_assert_num_queries):
    VenuePageFactory(parent=venue_index, title="Premier lieu")
    few = _queries(client, "/integrer/carte/")
    assert few <= 6
    for n in range(8):
        VenuePageFactory(parent=venue_index, title=f"Lieu {n}", commune=commune("59512"))
    cache.clear()
    with django_assert_num_queries(few):
        client.get("/integrer/carte/")


# -- page cache -----------------------------------------------------------------------


@pytest.mark.parametrize("path", EMBEDS)
def test_a_cached_embed_keeps_its_framing_permission_and_sets_no_cookie(client, member_client, scene, path):
    cache.clear()
    first = client.get(path)
    assert first["X-Page-Cache"] == "miss"
    member_client.cookies["django_language"] = "en"
    for response in (client.get(path), member_client.get(path, headers={"accept-language": "fr"})):
        assert response["X-Page-Cache"] == "hit"
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "frame-ancestors 'self'" not in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response
        assert not response.cookies and "Set-Cookie" not in response
    assert response["Content-Language"] == "fr"


@pytest.mark.parametrize("path", EMBEDS)
def test_a_cached_embed_is_in_the_language_asked_never_the_cookies(client, scene, path):
    cache.clear()
    client.cookies["django_language"] = "en"
    french = client.get(path, headers={"accept-language": "fr"})
    english = client.get(path, headers={"accept-language": "en"})
    again_french = client.get(path, headers={"accept-language": "fr"})
    by_lang = client.get(path + "?lang=en", headers={"accept-language": "fr"})
    assert [r["X-Page-Cache"] for r in (french, english, again_french)] == ["miss", "miss", "hit"]
    assert again_french["Content-Language"] == "fr" and '<html lang="fr">' in _html(again_french)
    assert english["Content-Language"] == "en" and '<html lang="en">' in _html(english)
    assert by_lang["Content-Language"] == "en" and '<html lang="en">' in _html(by_lang)
    client.cookies["django_language"] = "fr"  # the cookie changes nothing, even on a hit
    cached = client.get(path + "?lang=en", headers={"accept-language": "fr"})
    assert cached["X-Page-Cache"] == "hit" and '<html lang="en">' in _html(cached)


def test_a_cached_agenda_shows_a_changed_event_at_once(client, scene, django_capture_on_commit_callbacks):
    cache.clear()
    assert "Apéro réseau" in _html(client.get("/integrer/agenda/"))
    assert client.get("/integrer/agenda/")["X-Page-Cache"] == "hit"
    draft = scene["meetup"].get_latest_revision_as_object()
    draft.title = "Apéro de rentrée"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    response = client.get("/integrer/agenda/")
    assert response["X-Page-Cache"] == "miss"
    html = _html(response)
    assert "Apéro de rentrée" in html and "Apéro réseau" not in html


def test_an_embed_with_an_unknown_parameter_is_not_stored(client, scene):
    cache.clear()
    client.get("/integrer/agenda/?utm_source=mairie")
    assert "X-Page-Cache" not in client.get("/integrer/agenda/?utm_source=mairie")
