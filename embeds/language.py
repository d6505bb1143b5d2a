"""The language of an embed: ``?lang=fr|en``, else the Accept-Language header.

Never the visitor's language cookie: an embed answers the same to every
visitor who sends the same URL and Accept-Language (``Vary: Accept-Language``),
so a shared cache may keep it.
"""

from django.conf import settings
from django.utils import translation

MAX_HEADER_LANGUAGES = 20  # a longer header is read up to there


def _accept_language(header):
    """Language tags of an Accept-Language header, preferred first (malformed items skipped)."""
    weighted = []
    for position, item in enumerate(header.split(",")[:MAX_HEADER_LANGUAGES]):
        tag, _sep, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and len(tag) <= 35 and 0 < weight <= 1:
            weighted.append((-weight, position, tag))
    return [tag for _weight, _position, tag in sorted(weighted)]


def embed_language(request):
    """A code of ``settings.LANGUAGES``; ``settings.LANGUAGE_CODE`` when nothing else fits."""
    supported = {code for code, _name in settings.LANGUAGES}
    requested = request.GET.get("lang", "")
    if requested in supported:
        return requested
    for tag in _accept_language(request.headers.get("Accept-Language", "")):
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE
