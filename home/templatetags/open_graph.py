"""Open Graph helpers for ``base.html`` and the pages that override its blocks
(absolute image addresses: ``{% absolute_url %}`` of the ``site_url`` library)."""

from django import template
from django.utils.html import format_html

from network.illustrations import HOME, Picture

register = template.Library()

# og:locale takes language_TERRITORY; the site's languages are French and British English.
LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@register.simple_tag(takes_context=True)
def og_image(context, picture=None):
    """The Open Graph and Twitter image tags of ``picture`` (``network.illustrations.Picture``):
    a photo's 1200 × 630 rendition, else an illustration; the home page's illustration when
    the page has no picture of its own."""
    picture = picture or Picture.of_illustration(HOME)
    page = context.get("page")
    data = picture.open_graph(fallback_alt=getattr(page, "title", "") or "Compagnie des Tiers-lieux")
    return format_html(
        '<meta property="og:image" content="{url}">\n'
        '    <meta property="og:image:width" content="{width}">\n'
        '    <meta property="og:image:height" content="{height}">\n'
        '    <meta property="og:image:alt" content="{alt}">\n'
        '    <meta name="twitter:card" content="summary_large_image">\n'
        '    <meta name="twitter:image:alt" content="{alt}">',
        **data,
    )


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
