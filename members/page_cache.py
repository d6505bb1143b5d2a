"""Page cache of the directory, its open-data exports and the venue pages.

Two parts: views mark what may be stored (``cache_for_anonymous`` on the
directory and the venue pages, in front of Wagtail's ``serve`` in
``members.urls``; ``cache_for_everyone`` on the exports, which depend on no
visitor), and ``PageCacheMiddleware``, placed right after
``CsrfViewMiddleware``, answers and stores. A ``GET`` under ``/lieux/`` is
answered from the Django cache (Redis in production) in one round trip,
with no SQL query, before URL resolution, Wagtail's routing and the inner
middlewares: any stored page for an anonymous visitor (no session cookie,
no pending message cookie), the exports for members too. A key is made of
the full absolute URL (query string included), the active language (the
path's: ``/lieux/`` is French, ``/en/lieux/`` English, docs/i18n.md; the
API's negotiated one, ``Vary: Accept-Language``) and the time zone, as
Django's ``cache_page`` does. A query parameter the page does not know is
never stored, so arbitrary query strings cannot fill the cache.

Each entry records the *generation* (``members.freshness``) it was rendered
in; every committed change of published content renews the generation,
which makes every cached page stale at once (the generation and the entry
are read together with ``get_many``; a stale entry is overwritten by the
next render). ``TIMEOUT`` bounds what no change announces (an event that
has started).

Nothing in these pages is per visitor: the only form (the language
switcher) posts without a CSRF token (``network/urls.py``), and a response
whose rendering asked for a token is not stored, so a hit sets no cookie.
Bodies are stored gzipped (``Vary: Accept-Encoding``): a browser gets the
stored bytes as they are, another client gets them decompressed.
"""

import functools
import gzip
import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.text import compress_string
from django.utils.translation import get_language

from members.freshness import GENERATION_KEY, TIMEOUT, generation

KEY_PREFIX = "members-page:v6"  # v6: (generation, audience, status, headers, gzipped body)
CACHE_HEADER = "X-Page-Cache"
_NOT_STORED = (CACHE_HEADER, "Content-Length")  # the length is of the body actually sent
ANONYMOUS, EVERYONE = "anonymous", "everyone"  # who may be answered with a stored page


def _cache_key(request):
    """The URL (with its query string), the language and the time zone: what the page depends on."""
    url = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False).hexdigest()
    return f"{KEY_PREFIX}:{url}:{_language(request)}:{timezone.get_current_timezone_name()}"


def _language(request):
    """The language the page is rendered in: Django's active one, unless the path's pages
    choose theirs (``PAGE_CACHE_LANGUAGE_FUNCTIONS``: the embeds ignore the language cookie)."""
    for prefix, choose in _language_functions():
        if request.path.startswith(prefix):
            return choose(request)
    return get_language()


@functools.cache
def _language_functions():
    functions = getattr(settings, "PAGE_CACHE_LANGUAGE_FUNCTIONS", {})
    return tuple((prefix, import_string(path)) for prefix, path in functions.items())


def is_anonymous(request):
    """No session (so no login, no per-visitor state) and no pending message.

    Reads cookies only: neither the session nor the user is loaded.
    """
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


def _may_store(request, response, anonymous):
    audience = getattr(response, "page_cache_audience", None)  # set by the decorators below
    if audience is None or (audience == ANONYMOUS and not anonymous):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a CSRF token of this visitor is in the body
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    storage = get_messages(request)  # messages shown or still to show: per visitor
    if len(storage) or getattr(storage, "used", False):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _freeze(response, current):
    """``(generation, audience, status, headers, gzipped body)``."""
    audience = response.page_cache_audience
    patch_vary_headers(
        response, ("Accept-Encoding", "Cookie") if audience == ANONYMOUS else ("Accept-Encoding",)
    )
    headers = {name: value for name, value in response.items() if name not in _NOT_STORED}
    return (current, audience, response.status_code, headers, compress_string(response.content))


def _thaw(request, entry, state):
    """The stored response, gzipped for a client that accepts it (every browser does);
    ``304 Not Modified`` when the client's copy carries the stored ``ETag`` or
    ``Last-Modified`` (the calendar feed's: calendar clients poll with them)."""
    _generation, _audience, status, headers, body = entry
    if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(body, status=status, headers=headers)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), status=status, headers=headers)
    response[CACHE_HEADER] = state
    if "ETag" in headers or "Last-Modified" in headers:
        last_modified = parse_http_date_safe(headers.get("Last-Modified", ""))
        response = get_conditional_response(
            request, etag=headers.get("ETag"), last_modified=last_modified, response=response
        )
    return response


def _storable_by(audience, allowed_params):
    allowed = frozenset(allowed_params)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if allowed.issuperset(request.GET):
                response.page_cache_audience = audience
            return response

        return wrapped

    return decorator


def cache_for_anonymous(allowed_params=()):
    """Let the middleware below store the view's answers to anonymous GETs, for anonymous visitors.

    ``allowed_params``: the query parameters the page understands; with any
    other one the answer is not stored (arbitrary query strings cannot fill
    the cache).
    """
    return _storable_by(ANONYMOUS, allowed_params)


def cache_for_everyone(allowed_params=()):
    """The same for a view whose answer depends on no visitor (the open-data exports): members too."""
    return _storable_by(EVERYONE, allowed_params)


class PageCacheMiddleware:
    """Answer GETs under the directory from the cache, before URL resolution.

    Placed right after ``CsrfViewMiddleware``: a hit skips URL resolution and
    the inner middlewares, whose headers (``X-Frame-Options``...) are stored
    with the page; the outer ones (security headers, CSP, ``Vary``) run on
    every answer. Only paths under the directory (and the API,
    and the embeds, ``PAGE_CACHE_EXTRA_PREFIXES``) are looked up, so other pages pay
    nothing. A member (session cookie) is answered only with what is the
    same for everyone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or not request.path.startswith(_cached_prefix()):
            return self.get_response(request)
        anonymous = is_anonymous(request)
        keys, found = getattr(request, "page_cache_prefetched", None) or (lookup_keys(request), None)
        key = keys[1]
        if found is None:
            found = cache.get_many(keys)
        current = request.page_cache_generation = found.get(GENERATION_KEY) or generation()
        entry = found.get(key)
        if entry is not None and entry[0] == current and (anonymous or entry[1] == EVERYONE):
            return _thaw(request, entry, "hit")
        response = self.get_response(request)
        if not _may_store(request, response, anonymous):
            return response
        entry = _freeze(response, current)
        cache.set(key, entry, TIMEOUT)
        return _thaw(request, entry, "miss")


def lookup_keys(request):
    """The cache keys ``PageCacheMiddleware`` reads for ``request`` (none: ``[]``).

    An outer middleware may read them along with its own keys, in one round
    trip, and hand them over with ``prefetched`` (the API's rate limit does).
    """
    if request.method != "GET" or not request.path.startswith(_cached_prefix()):
        return []
    return [GENERATION_KEY, _cache_key(request)]


def prefetched(request, keys, found):
    """``found``: ``cache.get_many(keys)``, read for ``request`` by an outer middleware."""
    if keys:
        request.page_cache_prefetched = (keys, found)


@functools.cache
def _cached_prefix():
    """The directory's path in each language, and the others that settings name (the API's, the embeds')."""
    directory = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            directory.append(reverse("venue_index"))
    return (*dict.fromkeys(directory), *getattr(settings, "PAGE_CACHE_EXTRA_PREFIXES", ()))
