from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
WHITENOISE_USE_FINDERS = True
# Each test starts from an empty local cache and an in-memory layer; the tests
# that exercise Redis point at REDIS_URL explicitly.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
REDIS_URL = env("REDIS_URL", default="")
MEDIA_ROOT = BASE_DIR / ".test-media"
STORAGES["discussion_files"]["OPTIONS"]["location"] = BASE_DIR / ".test-media" / "discussion-private"
WHITENOISE_AUTOREFRESH = True
DISCUSSION_PRESENCE_DELAY = 0.05  # seconds; production gathers joins for 1 s
