"""The site's own 404 and 500 pages, in its look and the visitor's language;
Django's debug page only with DEBUG=1 (development settings)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
DEBUG_PAGE_MARKERS = ("Using the URLconf", "Django tried these URL patterns", "Traceback", "technical_500")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "home_link", "nav"),
    [
        ("fr", "Page introuvable", "Retour à l’accueil", "Les lieux"),
        ("en", "Page not found", "Back to the home page", "Venues"),
    ],
)
def test_404_is_the_site_page_in_the_visitor_language(client, site_tree, language, title, home_link, nav):
    # An English reader is first sent to the English address, where the page is missing too.
    response = client.get("/cette-page-nexiste-pas/", HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code == 404
    assert response.redirect_chain == ([("/en/cette-page-nexiste-pas/", 302)] if language == "en" else [])
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert title in html and home_link in html
    assert 'class="site-header"' in html and nav in html  # the site's header, menus included
    assert not [marker for marker in DEBUG_PAGE_MARKERS if marker in html]
    assert "/django-admin/" not in html  # no list of URL patterns


@pytest.mark.django_db
@pytest.mark.urls("tests.network.error_urls")
@pytest.mark.parametrize(
    ("language", "title", "home_link"),
    [
        ("fr", "Une erreur est survenue", "Retour à l’accueil"),
        ("en", "Something went wrong", "Back to the home page"),
    ],
)
def test_500_is_the_site_page_in_the_visitor_language(site_tree, language, title, home_link):
    response = Client(raise_request_exception=False).get("/en-panne/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert title in html and home_link in html
    assert 'class="site-header"' in html and "/static/css/site.css" in html
    assert not [marker for marker in DEBUG_PAGE_MARKERS if marker in html]
    assert "a bug in a view" not in html


def _dev_settings(tmp_path, **extra):
    (tmp_path / "media").mkdir(parents=True)
    (tmp_path / "media" / "note.txt").write_text("une photo")
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SITE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="network.settings.dev",
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST=settings.SITE_URL.split('//')[1])\n"
        "print(settings.DEBUG, settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL)\n"
        "print(client.get('/static/css/site.css').status_code, client.get('/media/note.txt').status_code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_development_shows_the_debug_page_only_when_asked(tmp_path):
    debug, *_ = _dev_settings(tmp_path)
    assert debug == "False"
    debug, *_ = _dev_settings(tmp_path / "debug", DEBUG="1")
    assert debug == "True"


def test_development_without_debug_serves_static_and_media_files_on_any_port(tmp_path):
    debug, site_url, admin_base_url, static, media = _dev_settings(
        tmp_path, SITE_URL="http://192.168.1.20:8080"
    )
    assert (debug, site_url, admin_base_url) == (
        "False",
        "http://192.168.1.20:8080",
        "http://192.168.1.20:8080",
    )
    assert (static, media) == ("200", "200")  # the Host 192.168.1.20:8080 is allowed too
