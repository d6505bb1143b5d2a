"""Settings of the daphne subprocesses started by test_live.py.

The test settings, with the channel layer on Redis (so processes reach each
other), a generous rate limit (clients replay bursts) and a SQLite that waits
for the write lock instead of failing when two processes write at once.
"""

from network.settings.test import *  # noqa: F403
from network.settings.test import DATABASES, env

# LIVE_CHANNEL_BACKEND lets bench/discussion_latency.py compare the layers.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": env("LIVE_CHANNEL_BACKEND", default="channels_redis.core.RedisChannelLayer"),
        "CONFIG": {"hosts": [env("REDIS_URL")], "prefix": env("LIVE_CHANNEL_PREFIX", default="live")},
    }
}
DISCUSSION_RATE_LIMIT = (10_000, 10)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
