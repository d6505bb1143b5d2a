"""Settings shared by every environment.

Only this package reads the environment (through django-environ). With no
variable set, the site runs on embedded defaults: SQLite, local-memory cache,
in-memory channel layer, immediate tasks and console emails.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "daphne",
    "home",
    "api",
    "members",
    "events",
    "mentoring",
    "exchanges",
    "network.discussion",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "members.apps.MembersUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "channels",
    "csp",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django.contrib.postgres",  # full-text lookups on PostgreSQL (members.search); inert on SQLite
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "network.csp.SiteCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "network.languages.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "api.middleware.ApiMiddleware",
    "members.page_cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "network.urls"
ASGI_APPLICATION = "network.asgi.application"
WSGI_APPLICATION = "network.wsgi.application"

# Widgets render through TEMPLATES, so templates/django/forms/ can override Django's
# option templates (choice labels capitalised in every form).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "members.context_processors.content_generation",
                "members.context_processors.managed_venues",
                "members.context_processors.header_links",
            ],
            "libraries": {
                "site_url": "network.templatetags.site_url",
                "site_pictures": "network.templatetags.site_pictures",
                "page_languages": "network.templatetags.page_languages",
            },
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A pool of connections per process (psycopg_pool): the socket consumers
    # close the connection after every frame (database_sync_to_async), and a
    # pooled close is a return to the pool, not a new PostgreSQL backend.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = env.bool("DATABASE_POOL", default=True)
    # No JIT compilation: it pays off on long analytical queries, and a page's queries
    # last milliseconds; over a large history, cost estimates pass jit_above_cost and a
    # query spent a second compiling for 0.3 s of work (the discussions list, measured
    # at scale, bench/scale_bench.py).
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when configured, backs the cache (page cache, fragments, figures,
# presence, rate limits) and the channel layer; otherwise both stay in process
# memory. A Redis outage is not the site down (docs/deploy.md, "When Redis is
# down"): every cache error is a miss, except on the rate-limit keys, which
# fall back to a database cache; a broadcast that fails is logged, the
# message is stored all the same.
# allauth's keys, the discussion's, the API's (api/middleware.py) and the
# public forms' (network/public_forms.py)
RATE_LIMIT_KEY_PREFIXES = ("allauth:rl:", "discussion:rate:", "api:rl:", "public:rl:")
RATE_LIMIT_CACHE_TABLE = "network_rate_limit_cache"  # created by members' migration 0008


def redis_caches(url, *, timeout=2.0):
    """The cache aliases on the Redis at ``url``; ``timeout`` (seconds) bounds
    each connection attempt and each command, so an outage costs a request at
    most that per cache call."""
    return {
        "default": {
            "BACKEND": "network.cache_backends.FailoverRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "network",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": timeout,
                "SOCKET_TIMEOUT": timeout,
                "FAILOVER_KEY_PREFIXES": RATE_LIMIT_KEY_PREFIXES,
                "FAILOVER_CACHE": "rate_limits",
            },
        },
        # Only while Redis is down; shared by every process like Redis.
        "rate_limits": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": RATE_LIMIT_CACHE_TABLE,
            "KEY_PREFIX": "network",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }


def redis_channel_layers(url, *, timeout=2.0):
    """The channel layer on the Redis at ``url`` (``timeout``: connection attempts)."""
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": url, "socket_connect_timeout": timeout}],
                "prefix": "network",
            },
        }
    }


REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
    CHANNEL_LAYERS = redis_channel_layers(REDIS_URL)
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # an outage is logged, not raised
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Compagnie des Tiers-lieux <bonjour@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "members.User"
# Sessions read from the cache (Redis in production), written through to the
# database: a signed-in page costs no session query, and a cache miss (an
# outage, an eviction) falls back to the database row.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: email is the login, verification is mandatory, rate limits
# stay at allauth's defaults (on), and no form reveals whether an account exists.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Compagnie des Tiers-lieux] "
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
# allauth's per-IP rate limits need the client's address, not the reverse
# proxy's: with N proxies of ours in front, allauth takes the Nth address from
# the right of X-Forwarded-For (0: trust no header, use REMOTE_ADDR). A proxy
# that sets a header of its own (X-Real-IP, CF-Connecting-IP) can name it
# instead. Never trust more proxies than there are: a client could then pick
# its own address and escape the per-IP limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default=None) or None

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format across the site (network/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["network.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Files attached to discussion messages: outside MEDIA_ROOT (which the proxy
    # serves to anyone), served only by the discussion's view to room readers.
    "discussion_files": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.path("DISCUSSION_FILES_ROOT", default=BASE_DIR / "private" / "discussion"),
            "base_url": None,
        },
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads are measured as they stream in (network/uploads.py): no file past
# UPLOAD_MAX_BYTES is read on; forms with a tighter limit (the avatar) drop
# the rest of a file past theirs and say so.
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "network.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Security headers sent on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Wagtail's admin and Leaflet set style attributes from scripts.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https://*.tile.openstreetmap.org"],
        "connect-src": ["'self'", "ws:", "wss:"],
        "font-src": ["'self'", "data:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

WAGTAIL_SITE_NAME = "Compagnie des Tiers-lieux"
# The site's one public address (scheme, host and port, no path): every
# absolute link it emits (pages, feeds, sitemap, robots.txt, open data,
# e-mails, the admin's) starts with it, and the default Wagtail Site is kept
# equal to it (network/site_url.py). `make run` sets it from HOST and PORT.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Images editors upload in the admin: recognised by content, at most 10 MB and
# 40 megapixels (width × height read before decoding), in the formats the site serves.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "network.uploads.ImageForm"  # a corrupt image is a form error
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
# Content pages (home, standard pages) are translated in the admin (simple
# translation); venues and events stay in French, with an English summary
# (docs/i18n.md). English pages live under /en/ (network/urls.py).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests from the admin
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# The public API (api/, docs/api.md): requests per client address and window (seconds).
API_RATE_LIMIT = (env.int("API_RATE_LIMIT", default=300), 60)
# Paths the page cache looks up besides the directory's (members/page_cache.py).
# The public calendar feed too: calendar clients poll it, and a cold build of its
# 500 dates is the heaviest answer of the site (events.views.public_feed_url).
PAGE_CACHE_EXTRA_PREFIXES = ("/api/v1/", "/integrer/agenda/", "/integrer/carte/", "/agenda/agenda.ics")
# Paths whose pages pick their language themselves, not from Django's active
# language (the embeds ignore the language cookie): the function the page
# cache keys them by.
PAGE_CACHE_LANGUAGE_FUNCTIONS = {
    "/integrer/agenda/": "embeds.language.embed_language",
    "/integrer/carte/": "embeds.language.embed_language",
}

IS_PRODUCTION = False
# Serve MEDIA_ROOT from Django itself (dev.py only; production's proxy does it).
SERVE_MEDIA = False
STAFF_GROUP_NAME = "Équipe du réseau"
DEMO_PASSWORD = env("DEMO_PASSWORD", default="tiers-lieux-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
