"""Open Graph helpers for ``base.html`` and the pages that override its blocks
(absolute image addresses: ``{% absolute_url %}`` of the ``site_url`` library)."""

from django import template
from django.templatetags.static import static

from network.site_url import absolute_url

register = template.Library()

DEFAULT_IMAGE = "img/og-default.png"  # 1200 x 630, the network's name in its colours
# og:locale takes language_TERRITORY; the site's languages are French and British English.
LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@register.simple_tag
def default_og_image():
    return absolute_url(static(DEFAULT_IMAGE))


@register.simple_tag
def og_locales(language_code):
    """``(og:locale, [og:locale:alternate, …])`` for the active language."""
    current = LOCALES.get((language_code or "fr").split("-")[0], LOCALES["fr"])
    return {"current": current, "alternates": [value for value in LOCALES.values() if value != current]}


@register.simple_tag(takes_context=True)
def page_full_url(context, page):
    """The page's absolute address (as ``fullpageurl``), or "" when ``page`` is no Wagtail page."""
    get_full_url = getattr(page, "get_full_url", None)
    if not callable(get_full_url):
        return ""
    return get_full_url(context.get("request")) or ""
