"""What search engines and link previews read: the JSON-LD and Open Graph tags of the pages,
read back from the rendered HTML and compared with the page itself."""

import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone
from PIL import Image
from wagtail_factories import ImageFactory

from events import services
from members.models import VenueGalleryImage
from tests.factories.events import RegistrationFactory, in_days
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.django_db
SCHEMA = "https://schema.org/"


class Head(HTMLParser):
    """The ``<meta property>`` tags, the canonical link, the h1 and the JSON-LD blocks of a page."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.jsonld, self.canonical, self.h1 = {}, [], None, ""
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "jsonld"
            self.jsonld.append("")
        elif tag == "h1":
            self._in = "h1"

    def handle_endtag(self, tag):
        if tag in ("script", "h1"):
            self._in = None

    def handle_data(self, data):
        if self._in == "jsonld":
            self.jsonld[-1] += data
        elif self._in == "h1":
            self.h1 += data

    def og(self, name):
        (value,) = self.meta[f"og:{name}"]
        return value

    def data(self):
        (block,) = self.jsonld
        data = json.loads(block)
        return data if isinstance(data, list) else [data]


def read(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return Head(response.content.decode())


def site(path):
    return settings.SITE_URL.rstrip("/") + path


# -- events --------------------------------------------------------------------


def test_paid_event_offers_price_currency_availability_and_url(client, make_event, venue):
    event = make_event(
        parent=venue, title="Atelier vélo", slug="atelier-velo", street_address="",
        is_free=False, price="12,50 € (8 € réduit)", capacity=10,
    )  # fmt: skip
    head = read(client, event.url)
    (item,) = head.data()
    assert item["name"] == head.h1.strip() == "Atelier vélo"
    assert item["url"] == head.canonical == head.og("url")
    assert item["offers"] == {
        "@type": "Offer",
        "url": head.canonical,
        "price": "12.50",
        "priceCurrency": "EUR",
        "availability": SCHEMA + "InStock",
    }
    assert "isAccessibleForFree" not in item
    # The event sits under its venue: the venue organises it, with its page as url.
    assert item["organizer"] == {"@type": "Organization", "name": "La Coroutine", "url": venue.get_full_url()}


@pytest.mark.parametrize(
    ("confirmed", "expected"),
    [
        (0, "InStock"),
        (23, "InStock"),
        (24, "LimitedAvailability"),
        (29, "LimitedAvailability"),
        (30, "SoldOut"),
    ],
)
def test_availability_follows_the_places_left(client, make_event, confirmed, expected):
    event = make_event(title="Forum", slug="forum", capacity=30)  # limited: a fifth of the places (6) left
    occurrence = event.occurrences.get()
    for _ in range(confirmed):
        RegistrationFactory(occurrence=occurrence)
    (item,) = read(client, event.url).data()
    assert item["offers"]["availability"] == SCHEMA + expected
    assert item["offers"]["price"] == "0.00" and item["isAccessibleForFree"] is True
    assert item["maximumAttendeeCapacity"] == 30


def test_free_event_without_registration_has_no_offer(client, make_event):
    event = make_event(title="Portes ouvertes", slug="portes-ouvertes", registration_enabled=False)
    (item,) = read(client, event.url).data()
    assert "offers" not in item


def test_network_meetup_is_organised_by_the_network(client, event):
    (item,) = read(client, event.url).data()
    network = {"@type": "Organization", "name": "Compagnie des Tiers-lieux", "url": site("/")}
    assert item["organizer"] == network


def test_moved_date_is_rescheduled_with_its_previous_start(client, event, occurrence, staff_user):
    before = occurrence.start
    services.move_occurrence(occurrence, by=staff_user, start=in_days(9, 18), end=in_days(9, 20))
    (item,) = read(client, event.url).data()
    assert item["eventStatus"] == SCHEMA + "EventRescheduled"
    assert item["previousStartDate"] == timezone.localtime(before).isoformat()
    assert item["startDate"] == timezone.localtime(in_days(9, 18)).isoformat()
    services.cancel_occurrence(occurrence, by=staff_user)
    (item,) = read(client, event.url).data()
    assert item["eventStatus"] == SCHEMA + "EventCancelled" and "previousStartDate" not in item


def test_unmoved_dates_stay_scheduled(client, event):
    (item,) = read(client, event.url).data()
    assert item["eventStatus"] == SCHEMA + "EventScheduled" and "previousStartDate" not in item


def test_all_day_event_gives_dates_with_an_inclusive_end(client, make_event):
    event = make_event(
        title="Festival", slug="festival", all_day=True, start=in_days(4, 0), end=in_days(5, 0)
    )
    (item,) = read(client, event.url).data()
    assert item["startDate"] == (timezone.localdate() + timedelta(days=4)).isoformat()
    assert item["endDate"] == (timezone.localdate() + timedelta(days=5)).isoformat()  # the last day
    one_day = make_event(
        title="Journée", slug="journee", all_day=True, start=in_days(6, 0), end=in_days(6, 0)
    )
    (item,) = read(client, one_day.url).data()
    assert item["startDate"] == item["endDate"] == (timezone.localdate() + timedelta(days=6)).isoformat()


def test_event_image_in_jsonld_and_open_graph(client, make_event):
    event = make_event(
        title="Expo",
        slug="expo",
        image=ImageFactory(file__width=1600, file__height=900),
        image_alt="Des tableaux accrochés dans la grande salle",
    )
    head = read(client, event.url)
    (item,) = head.data()
    assert item["image"] == [head.og("image")]
    assert head.og("image").startswith(site("/media/images/"))
    assert head.meta["og:image:width"] == ["1200"] and head.meta["og:image:height"] == ["630"]
    assert head.meta["og:image:alt"] == ["Des tableaux accrochés dans la grande salle"]
    assert head.meta["twitter:card"] == ["summary_large_image"]


def test_event_without_image_shares_the_events_illustration(client, event):
    head = read(client, event.url)
    assert "image" not in head.data()[0]
    assert head.og("image") == site("/static/img/illustrations/evenement.png")
    assert head.meta["og:image:width"] == ["1200"] and head.meta["og:image:height"] == ["630"]
    assert head.meta["og:image:alt"][0].startswith("Illustration")


# -- venues ----------------------------------------------------------------------


def test_venue_geo_only_when_the_position_is_exact(client, venue_index):
    exact = VenuePageFactory(
        parent=venue_index, title="Exact", slug="exact", latitude=50.6366, longitude=3.0635
    )
    centre = VenuePageFactory(parent=venue_index, title="Centre", slug="centre")
    assert centre.position is not None and centre.position_is_approximate  # the commune's centre
    head = read(client, exact.url)
    (data,) = head.data()
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 50.6366, "longitude": 3.0635}
    assert head.meta["place:location:latitude"] == ["50.636600"]
    head = read(client, centre.url)
    (data,) = head.data()
    assert "geo" not in data and "place:location:latitude" not in head.meta
    assert data["address"]["addressLocality"] == centre.commune.name


def test_venue_open_graph(client, venue, venue_index):
    head = read(client, venue.url)
    assert head.og("type") == "website"
    assert head.og("title") == "La Coroutine" == head.data()[0]["name"]
    assert head.og("url") == head.canonical == head.data()[0]["url"]
    assert head.og("image") == site(f"/static/img/illustrations/{venue.main_activity}.png")
    pictured = VenuePageFactory(parent=venue_index, title="Le Hangar", slug="le-hangar")
    VenueGalleryImage.objects.create(
        page=pictured, image=ImageFactory(), alt_text="La grande salle et ses établis", caption="La salle"
    )
    head = read(client, pictured.url)
    assert head.og("image").startswith(site("/media/"))
    assert head.meta["og:image:alt"] == ["La grande salle et ses établis"]


# -- every page --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/agenda/", "/lieux/", "/lieux/la-coroutine/", "/agenda/apero-du-reseau/"]
)
def test_every_page_has_open_graph_from_the_vocabulary(client, venue, event, path):
    head = read(client, path)
    assert head.og("type") in {"website", "article", "profile"}  # ogp.me: no "event" nor "place"
    assert head.og("site_name") == "Compagnie des Tiers-lieux"
    assert head.og("title")
    assert head.og("image").startswith(settings.SITE_URL)  # absolute, on the site's address
    assert head.meta["og:image:width"] and head.meta["og:image:height"] and head.og("image:alt")
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert client.get(head.og("image").removeprefix(settings.SITE_URL.rstrip("/"))).status_code == 200
    assert head.og("locale") == "fr_FR" and head.meta["og:locale:alternate"] == ["en_GB"]


def test_og_locale_follows_the_language(client, venue):
    head = read(client, "/en" + venue.url)  # the English address (docs/i18n.md)
    assert head.og("locale") == "en_GB" and head.meta["og:locale:alternate"] == ["fr_FR"]


def test_every_illustration_is_an_svg_and_a_1200_by_630_png():
    from members.vocabulary import ACTIVITY_CODES
    from network.illustrations import EVENT, HOME, NAMES

    assert ACTIVITY_CODES | {EVENT, HOME} == NAMES  # one per main activity, events, the home page
    for name in NAMES:
        assert finders.find(f"img/illustrations/{name}.svg")
        with Image.open(finders.find(f"img/illustrations/{name}.png")) as image:
            assert image.size == (1200, 630)


def test_content_page_is_an_article(client, site_tree):
    from home.models import StandardPage

    title = "Qu'est-ce qu'un tiers-lieu ?"
    page = site_tree["home"].add_child(instance=StandardPage(title=title, slug="quoi"))
    head = read(client, page.url)
    assert head.og("type") == "article"
    assert head.og("title") == title and head.og("url") == site("/quoi/")
