"""Production: refuses to start without its secrets and real services."""

from .base import *  # noqa: F403
from .base import SITE_URL, env

IS_PRODUCTION = True
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
REDIS_URL = env("REDIS_URL")  # rate limits and the channel layer need a shared store
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
# The domain in every calendar UID: set once, never change it (clients would
# see every event twice).
EVENTS_ICAL_DOMAIN = env("EVENTS_ICAL_DOMAIN", default=ALLOWED_HOSTS[0])
# Production runs behind one reverse proxy (docs/deploy.md): without this,
# every visitor shares the proxy's address in allauth's per-IP rate limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING["root"]["level"] = env("LOG_LEVEL", default="INFO")

# Wagtail's live preview shows pages in a same-origin frame, hence SAMEORIGIN
# (base.py) rather than DENY; frame-ancestors 'self' in the CSP says the same.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
