"""``{% load page_languages %}``: a page's address in each language (``hreflang``) and its canonical one.

Registered through TEMPLATES' ``libraries`` option (settings/base.py).
"""

from django import template

from network.languages import alternates, canonical_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context, page):
    """``{"canonical": url, "alternates": {"fr": url, "en": url, "x-default": url}}``, absolute on SITE_URL.

    No alternates for a page that exists in one language only (a content page
    not translated yet: its English address serves the French page, whose
    canonical address is the French one).
    """
    request = context["request"]
    urls = alternates(page, request)
    return {
        "canonical": canonical_url(page, request, urls),
        "alternates": urls if len(urls) > 1 else {},
    }
