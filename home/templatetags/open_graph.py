"""Open Graph helpers for ``base.html`` and the pages that override its blocks."""

from django import template
from django.templatetags.static import static

from network.site_url import absolute_url as site_absolute_url

register = template.Library()

DEFAULT_IMAGE = "img/og-default.png"  # 1200 x 630, the network's name in its colours
# og:locale takes language_TERRITORY; the site's languages are French and British English.
LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@register.filter
def absolute_url(path):
    """An image or page path on the site's own address (``og:image`` must be absolute)."""
    return site_absolute_url(str(path)) if path else ""


@register.simple_tag
def default_og_image():
    return site_absolute_url(static(DEFAULT_IMAGE))


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
