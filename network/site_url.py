"""The site's one public address, ``settings.SITE_URL``.

Every absolute link the site emits starts with it, whatever Host header a
request came with: page links through the default Wagtail Site (its
``root_url`` is what ``page.get_full_url()`` uses), which
``sync_site_with_site_url`` keeps equal to ``SITE_URL``; any other path
through ``absolute_url``.
"""

import functools
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import get_language


def absolute_url(path):
    """``path`` (``/lieux/``) as an absolute URL on ``SITE_URL``; an absolute URL is returned as is."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path)


def site_address():
    """``(hostname, port)`` of ``SITE_URL``, as a Wagtail Site stores them."""
    parts = urlsplit(settings.SITE_URL)
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def page_url_function(generation=None):
    """A page's absolute URL from its ``url_path``, as ``Page.get_full_url()`` gives it in
    the active language.

    From the sites' root paths, with no query and no ``reverse()`` per page, as
    ``members.directory.descendant_urls``. Wagtail keeps the root paths in the
    cache (a round trip); given the content ``generation`` of the request
    (``members.freshness``), they are read once per process, generation and
    language (a change of a site renews the generation, ``members.signals``),
    and each page's URL is worked out once too.
    """
    if generation is None:
        return _url_function(_read_site_roots())
    return _cached_url_function(generation, get_language())


def _url_function(roots):
    def url_of(url_path):
        for root_path, base in roots:
            if url_path.startswith(root_path):
                return base + escape_uri_path(url_path[len(root_path) :])
        return ""

    return url_of


def _read_site_roots():
    """``(root path, base URL)`` of each site; the base in the active language (the
    pages' routes are in ``i18n_patterns``: ``/`` in French, ``/en/`` in English)."""
    return tuple(
        (root_path, f"{root_url}{reverse('wagtail_serve', args=('',))}")
        for _site, root_path, root_url, _language in _site_root_paths()
    )


@functools.lru_cache(maxsize=4)
def _cached_url_function(generation, language):
    return functools.lru_cache(maxsize=4096)(_url_function(_read_site_roots()))


def _site_root_paths():
    from wagtail.models import Site

    return Site.get_site_root_paths()


def sync_site_with_site_url(*, root_page=None, using=DEFAULT_DB_ALIAS):
    """Give the default Wagtail Site the hostname and port of ``SITE_URL``
    (and ``root_page`` when given); returns the Site, or None when there is
    none and no root page to create it with.

    Called after every ``migrate`` (home.apps) and by the demo seeding, so the
    Site never needs editing by hand. Saving it clears Wagtail's cache of site
    root paths.
    """
    from wagtail.models import Site

    hostname, port = site_address()
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None:
        if root_page is None:
            return None
        site = Site(is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME)
    wanted = {"hostname": hostname, "port": port}
    if root_page is not None:
        wanted["root_page_id"] = root_page.pk
    if site.pk is None or any(getattr(site, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save(using=using)
    return site


def sync_site_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """``post_migrate`` receiver: the Site follows ``SITE_URL`` after every migrate."""
    sync_site_with_site_url(using=using)


def check_site_url(app_configs=None, **kwargs):
    """Deploy check, under production settings only: ``SITE_URL`` is an https
    origin and the default Wagtail Site has the same address."""
    if not settings.IS_PRODUCTION:
        return []
    from wagtail.models import Site

    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/") or parts.query:
        return [
            checks.Error(
                f"SITE_URL={settings.SITE_URL!r} is not the https address of the site.",
                hint="Set SITE_URL to the public origin, e.g. https://tiers-lieux.example "
                "(see docs/deploy.md).",
                id="network.E001",
            )
        ]
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError as error:
        return [checks.Warning(f"The Wagtail Site could not be read: {error}", id="network.W002")]
    if site is None or site.root_url != settings.SITE_URL.rstrip("/"):
        found = site.root_url if site else "no default Site"
        return [
            checks.Error(
                f"SITE_URL={settings.SITE_URL!r} but the default Wagtail Site says {found!r}: "
                "links in pages, feeds and the sitemap would not match those in e-mails.",
                hint="Run `manage.py migrate`, which gives the Site the address of SITE_URL, "
                "and do not edit the Site's hostname or port in the admin.",
                id="network.E002",
            )
        ]
    return []
