"""Browser tests: Debian's chromium driven by Playwright against a live server."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls
# made by the fixtures are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def live_site(live_server, settings, django_db_serialized_rollback, django_capture_on_commit_callbacks):
    """The live server with the demo pages, at SITE_URL as under `make run`; the
    rows that migrations load (Wagtail's root page, the communes) are restored
    before each test."""
    from home.demo import seed_pages

    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url
    with django_capture_on_commit_callbacks(execute=True):
        seed_pages()
    return live_server.url
