"""Settings of the benchmark servers: production-like (DEBUG off, WhiteNoise,
Redis cache when REDIS_URL is set), without the HTTPS redirect, plus a trivial
view to compare against (bench/urls.py)."""

from network.settings.base import *  # noqa: F403
from network.settings.base import env

SECRET_KEY = env("SECRET_KEY", default="bench-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING["root"]["level"] = "ERROR"  # noqa: F405
API_RATE_LIMIT = (10**9, 60)  # wrk on loopback is one client

# bench/machinery_bench.py: Django's own cache middleware (public API) in place
# of the page cache (members/page_cache.py), for the anonymous pages it stores.
if env("BENCH_PAGE_CACHE", default="") == "django":
    MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *(name for name in MIDDLEWARE if name != "members.page_cache.PageCacheMiddleware"),  # noqa: F405
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]
    CACHE_MIDDLEWARE_SECONDS = 600
    CACHE_MIDDLEWARE_KEY_PREFIX = "bench-django-cache"
