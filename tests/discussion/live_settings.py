"""Settings of the server subprocesses started by test_live.py and the latency bench.

The test settings with production's Redis parts: the channel layer (so
processes reach each other) and the cache (presence, rate limits), each
under a prefix of its own; a generous rate limit (clients replay bursts),
production's presence delay, and a SQLite that waits for the write lock
instead of failing when two processes write at once.
LIVE_RATE_LIMIT / LIVE_RATE_WINDOW set a tighter rate limit for the tests of
refused resends.
"""

from network.settings.test import *  # noqa: F403
from network.settings.test import DATABASES, env

PREFIX = env("LIVE_CHANNEL_PREFIX", default="live")
# LIVE_CHANNEL_BACKEND lets bench/discussion_latency.py compare the layers.
# Without REDIS_URL (the one-off `migrate` of a live database) the test settings'
# in-memory parts stay: post_migrate handlers touch the cache.
if env("REDIS_URL", default=""):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": env("LIVE_CHANNEL_BACKEND", default="channels_redis.pubsub.RedisPubSubChannelLayer"),
            "CONFIG": {"hosts": [env("REDIS_URL")], "prefix": PREFIX},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": PREFIX,
        }
    }
DISCUSSION_RATE_LIMIT = (env.int("LIVE_RATE_LIMIT", default=10_000), env.int("LIVE_RATE_WINDOW", default=10))
DISCUSSION_PRESENCE_DELAY = 1.0
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
