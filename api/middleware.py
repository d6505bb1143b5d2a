"""HTTP around the API (``/api/``): CORS open for reading, a per-client rate limit, 304s.

Placed right before ``members.page_cache.PageCacheMiddleware`` (outside it),
so that answers served from the page cache are counted, carry the CORS
headers and are answered ``304 Not Modified`` like the others. Only paths
under ``/api/`` pay anything.

The rate limit is a fixed window per client address (as allauth reads it,
behind ``ALLAUTH_TRUSTED_PROXY_COUNT`` proxies), counted with one atomic
``incr`` in the shared cache: every process sees the same count; the page
cache's lookup travels with it (one Redis round trip for both). ninja's
own throttles run inside the view (after the page cache) and keep a list of
timestamps that concurrent requests overwrite; hence this one.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _

from members import page_cache
from network.public_forms import client_address, window_count_and_get

PREFIX = "/api/"
RATE_KEY = "api:rl:"  # in RATE_LIMIT_KEY_PREFIXES: kept in the database while Redis is down
READ_METHODS = ("GET", "HEAD", "OPTIONS")
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link, Retry-After, Content-Language",
}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Max-Age": "86400",
}


def rate_limit():
    """``(requests, seconds)`` allowed per client address."""
    return getattr(settings, "API_RATE_LIMIT", (300, 60))


def seconds_to_wait(request):
    """None while the client is under its limit, else the seconds until its window ends.

    The page cache's keys are read in the same round trip (``page_cache.prefetched``).
    """
    limit, window = rate_limit()
    keys = page_cache.lookup_keys(request)
    count, seconds_left, found = window_count_and_get(f"{RATE_KEY}{client_address(request)}", window, keys)
    page_cache.prefetched(request, keys, found)
    if count is None or count <= limit:  # None: the cache is down, no count, no limit
        return None
    return seconds_left


def too_many_requests(wait):
    response = JsonResponse(
        {"detail": _("Trop de requêtes : réessayez dans %(seconds)s s.") % {"seconds": wait}, "errors": []},
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(wait)
    return response


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204, headers=PREFLIGHT)
            return response
        wait = seconds_to_wait(request)
        if wait is not None:
            response = too_many_requests(wait)
        else:
            response = self.get_response(request)
            if (
                request.method in ("GET", "HEAD")
                and response.status_code == 200
                and response.has_header("ETag")
            ):
                response = get_conditional_response(request, etag=response["ETag"], response=response)
        for name, value in CORS.items():
            response[name] = value
        return response
