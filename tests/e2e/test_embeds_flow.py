"""Another website frames the agenda and the map: they render inside its page, at desktop
width and on a phone; a page that is not an embed stays out of the frame."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.factories.events import EventPageFactory
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def other_site():
    """A tiny website on another origin (another port) whose pages are set per test: ``{path: html}``."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()
    server.server_close()


def _host_page(src, title="Agenda"):
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Mairie</title></head>'
        f'<body style="margin:0"><h1>Ma commune</h1><iframe src="{src}" title="{title}" '
        'width="100%" height="600" style="border:0"></iframe></body></html>'
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_another_site_frames_the_agenda(browser, live_site, site_tree, other_site, width):
    venue = VenuePageFactory(parent=site_tree["lieux"], title="La Coroutine", slug="la-coroutine")
    EventPageFactory(parent=venue, title="Atelier soudure", kind="workshop", street_address="")
    EventPageFactory(parent=site_tree["agenda"].specific, title="Apéro réseau")
    origin, pages = other_site
    assert not live_site.startswith(origin)
    pages["/"] = _host_page(f"{live_site}/integrer/agenda/?venue=la-coroutine")
    pages["/refused"] = _host_page(f"{live_site}/agenda/")

    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(origin + "/")
    frame = page.frame_locator("iframe")
    link = frame.get_by_role("link", name="Atelier soudure")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("target", "_blank")
    expect(frame.get_by_role("heading", name="Agenda de La Coroutine")).to_be_visible()
    expect(frame.get_by_text("Apéro réseau")).to_have_count(0)
    # Nothing sticks out of the frame, even on a phone.
    frame_box = page.locator("iframe").bounding_box()
    for selector in (".embed-list", ".embed__footer"):
        box = frame.locator(selector).first.bounding_box()
        assert box["x"] >= frame_box["x"]
        assert box["x"] + box["width"] <= frame_box["x"] + frame_box["width"] + 1

    # The site's own pages still refuse to be framed by another origin.
    page.goto(origin + "/refused")
    for _attempt in range(50):  # chromium replaces the refused frame by its error page
        if any(frame.url.startswith("chrome-error://") for frame in page.frames):
            break
        page.wait_for_timeout(200)
    assert [frame.url for frame in page.frames if frame != page.main_frame] == [
        "chrome-error://chromewebdata/"
    ]
    expect(page.frame_locator("iframe").get_by_role("heading", name="Agenda")).to_have_count(0)
    context.close()


def test_another_site_frames_the_map(page, live_site, site_tree, other_site):
    VenuePageFactory(parent=site_tree["lieux"], title="Fablab du Nord", main_activity="fablab")
    origin, pages = other_site
    pages["/"] = _host_page(f"{live_site}/integrer/carte/?activity=fablab&lang=en", title="Map")
    page.goto(origin + "/")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Third places of the Lille metropolitan area")).to_be_visible()
    expect(frame.locator(".leaflet-container")).to_have_count(1)
    frame.get_by_text("1 venue").click()
    expect(frame.get_by_role("link", name="Fablab du Nord")).to_be_visible()


AGENDA_TITLE = "Agenda de la Compagnie des Tiers-lieux"
MAP_TITLE = "Carte des tiers-lieux de la métropole lilloise"


def _iframe(src, title):
    attributes = 'width="100%" height="600" style="border:0" loading="lazy"'
    return f'<iframe src="{src}" title="{title}" {attributes}></iframe>'


def test_builder_updates_the_snippet_and_the_preview_as_one_chooses(page, live_site, site_tree):
    venue = VenuePageFactory(parent=site_tree["lieux"], title="La Coroutine", slug="la-coroutine")
    EventPageFactory(parent=venue, title="Atelier soudure", kind="workshop", street_address="")
    page.goto(live_site + "/integrer/")
    snippet = page.locator("#embed-snippet")
    expect(snippet).to_have_value(_iframe(f"{live_site}/integrer/agenda/", AGENDA_TITLE))
    expect(page.get_by_role("button", name="Mettre à jour le code")).to_be_hidden()  # live instead

    page.get_by_label("Lieu", exact=True).select_option("la-coroutine")
    expect(snippet).to_have_value(_iframe(f"{live_site}/integrer/agenda/?venue=la-coroutine", AGENDA_TITLE))
    preview = page.frame_locator("#embed-preview")
    expect(preview.get_by_role("heading", name="Agenda de La Coroutine")).to_be_visible()

    page.get_by_label("La carte des lieux").check()
    expect(page.get_by_label("Lieu", exact=True)).to_be_hidden()
    expect(snippet).to_have_value(_iframe(f"{live_site}/integrer/carte/", MAP_TITLE))
    expect(preview.get_by_role("heading", name="Les tiers-lieux de la métropole lilloise")).to_be_visible()
