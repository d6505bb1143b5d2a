"""The site in two languages: French at today's addresses, English under ``/en/``.

See docs/i18n.md. The public HTML routes are in ``i18n_patterns`` without a
prefix for French (``network/urls.py``), so every page has one address per
language, which ``hreflang`` alternates, the sitemap and caches need. This
module holds what that design needs beyond Django and Wagtail:

- ``PreferredLanguageMiddleware``: sends a visitor who prefers English (the
  language cookie set by the switcher, else Accept-Language) from a French
  address to its English one, and keeps the other routes (API, accounts,
  discussions, feeds, admin) negotiating the language as before;
- ``MonolingualPageMixin``: pages kept in one language (venues, events, the
  index pages) have their address in the visitor's language, so a link
  followed in English stays in English;
- ``alternates``: a page's address in each language, for ``hreflang``,
  canonical links and the sitemap.
"""

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import get_urlconf, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from network.site_url import absolute_url

DEFAULT = settings.LANGUAGE_CODE


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def other_languages():
    return [code for code in language_codes() if code != DEFAULT]


def active_language():
    """The active language as one of ``settings.LANGUAGES`` (the default when none fits)."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or DEFAULT)
    except LookupError:
        return DEFAULT


def is_english():
    return active_language() == "en"


def path_language(path):
    """The language whose prefix ``path`` starts with (``/en/…``), else None.

    Django's ``get_language_from_path`` also takes ``/en-pratique/`` for
    English (a generic language of "en-pratique"); such a path is a French
    page's, unprefixed."""
    language = translation.get_language_from_path(path)
    if language is not None and (path + "/").startswith(f"/{language}/"):
        return language
    return None


def url_in(path, language):
    """``path`` (an unprefixed or prefixed path of this site) in ``language``;
    unchanged when the path is not one of the translated routes.

    ``translate_url`` resolves the path in the active language: it is made
    the path's own (its prefix, else the default) first."""
    with translation.override(path_language(path.split("?", 1)[0]) or DEFAULT):
        return translate_url(path, language)


def is_translated_route(path):
    """Whether ``path`` is served in every language (under ``i18n_patterns``).

    Asked on every request, before the page cache: the answer depends on the
    path and the URLconf only (resolving and reversing read no database), so
    the last paths asked are remembered rather than resolved each time."""
    return _is_translated_route(get_urlconf() or settings.ROOT_URLCONF, path)


@lru_cache(maxsize=1024)
def _is_translated_route(urlconf, path):
    others = other_languages()
    return bool(others) and url_in(path, others[0]) != path


class PreferredLanguageMiddleware:
    """Right after ``LocaleMiddleware``, which, with ``i18n_patterns``, takes
    the language from the path and makes every unprefixed path French.

    - A ``GET`` of a French page (a path ending in ``/``: not the exports)
      by a visitor who prefers another language
      (the cookie the switcher sets, else Accept-Language) is redirected to
      that page's address in their language (``Vary: Accept-Language,
      Cookie``); choosing French in the switcher sets the cookie, so the
      French addresses stay reachable. Search engines send neither and get
      French, the ``x-default``.
    - Routes outside ``i18n_patterns`` (API, accounts, discussions, feeds,
      admin) keep the language they negotiated before: cookie, then
      Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if path_language(request.path_info) is not None:
            return self.get_response(request)  # /en/...: the path decides
        # An unprefixed path is French, even /en-pratique/, which LocaleMiddleware took for English.
        translation.activate(DEFAULT)
        request.LANGUAGE_CODE = DEFAULT
        preferred = translation.get_language_from_request(request, check_path=False)
        if not is_translated_route(request.path_info):
            if preferred != translation.get_language():
                translation.activate(preferred)
                request.LANGUAGE_CODE = preferred
            return self.get_response(request)
        if not request.path_info.endswith("/"):
            return self.get_response(request)  # a file (lieux.geojson): the same in every language
        if preferred != DEFAULT and request.method in ("GET", "HEAD"):
            target = url_in(request.get_full_path(), preferred)
            if target != request.get_full_path():
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


class AlternatesMixin:
    """The sitemap lists a page once per language it exists in, each entry naming the others."""

    def get_sitemap_urls(self, request=None):
        entries = super().get_sitemap_urls(request)
        if not entries:
            return entries
        return sitemap_entries(self, entries[0]["lastmod"])


class MonolingualPageMixin(AlternatesMixin):
    """A page kept in French only (a venue, an event, an index page): its
    address follows the active language (``/en/lieux/…`` in English), so its
    links keep an English visitor in English; ``HomePage.route`` serves it
    from the English home. ``get_url_parts`` is Wagtail's override point for
    a page's URLs."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        language = active_language()
        if parts is None or parts[2] is None or language == DEFAULT:
            return parts
        site_id, root_url, path = parts
        # Wagtail's routes are in i18n_patterns, French unprefixed: the prefix is
        # what translate_url would add, without resolving each link's path.
        return site_id, root_url, f"/{language}{path}"


def alternates(page, request=None):
    """``{language: absolute URL}`` of ``page`` in every language it exists in, ``x-default`` (French) too.

    A monolingual page exists in every language (the interface and the
    English fields change): the address requested (``request.path``, which
    may be one of the page's own routes, a month of the calendar) in each
    language, or the page's. A translatable page (home, content pages) exists
    in the languages of its live translations: one query.
    """
    urls = {}
    if isinstance(page, MonolingualPageMixin):
        for language in language_codes():
            if request is not None:
                urls[language] = absolute_url(url_in(request.path, language))
            else:
                with translation.override(language):
                    urls[language] = _on_site_url(page)
    else:
        translations = page.get_translations(inclusive=True).live().select_related("locale")
        for translation_page in translations:
            language = translation_page.locale.language_code
            with translation.override(language):
                urls[language] = _on_site_url(translation_page)
    urls = {language: url for language, url in urls.items() if url}
    if DEFAULT in urls and len(urls) > 1:
        urls["x-default"] = urls[DEFAULT]
    return urls


def sitemap_entries(page, lastmod):
    """The sitemap's entries of ``page``: one per language, each naming all of them (``xhtml:link``)."""
    urls = alternates(page)
    links = [{"lang_code": language, "location": url} for language, url in urls.items()]
    return [
        {"location": url, "lastmod": lastmod, "alternates": links if len(urls) > 1 else []}
        for language, url in urls.items()
        if language != "x-default"
    ]


def _on_site_url(page):
    """The page's address on ``SITE_URL``, as every link the site writes (Wagtail's
    ``get_full_url`` writes the Site's, which says ``http`` on any port but 443)."""
    url = page.get_url()
    return absolute_url(url) if url else None


def canonical_url(page, request, urls=None):
    """The page's own address in the active language when it exists in it, else its French one."""
    urls = alternates(page, request) if urls is None else urls
    return urls.get(active_language()) or urls.get(DEFAULT) or absolute_url(request.path)


class EnglishIntroMixin(models.Model):
    """English title and introduction of a page kept in French (an index page).

    Shown while English is active; empty, the French one is shown.
    """

    title_en = models.CharField(_("titre en anglais"), max_length=255, blank=True)
    intro_en = RichTextField(_("introduction en anglais"), blank=True, features=["bold", "italic", "link"])

    english_panels = [FieldPanel("title_en"), FieldPanel("intro_en")]

    class Meta:
        abstract = True

    @property
    def title_in_language(self):
        """The English title in English, else "" (templates fall back on the page's own)."""
        return self.title_en if is_english() else ""

    @property
    def intro_in_language(self):
        return (self.intro_en if is_english() else "") or self.intro
