"""The Redis cache of production: a Redis outage is a miss, except for the rate limits.

``django_redis.cache.RedisCache`` with ``IGNORE_EXCEPTIONS`` turns every
Redis error into a miss: the page cache, the fragments, the figures and
presence keep the site serving (uncached) while Redis is down. A rate limit
cannot fail open that way: allauth's (which always uses the default cache)
would then lock nobody out, or, since its lock can no longer be taken,
refuse every login. So the keys under ``OPTIONS["FAILOVER_KEY_PREFIXES"]``
never ignore an error: when Redis does not answer, their operation goes to
the cache alias ``OPTIONS["FAILOVER_CACHE"]`` (a ``DatabaseCache``, shared
by every process like Redis), and back to Redis at the next call once Redis
answers again.

``count_and_get_many`` counts a hit and reads keys in one round trip (a
pipeline): the API's rate limit and the page cache's lookup together.

One gap of django-redis 7 is closed here too: its ``touch`` lets Redis's
connection errors through even with ``IGNORE_EXCEPTIONS`` (presence calls
it); here it answers ``False``, as for a missing key.
"""

import functools
import logging

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What django-redis wraps into ConnectionInterrupted, and what its touch() lets through.
UNREACHABLE = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError)


def _reason(error):
    error = error.__cause__ if isinstance(error, ConnectionInterrupted) else error
    return type(error).__name__


class FailoverRedisCache(RedisCache):
    """``django_redis.cache.RedisCache`` whose failover keys go to another cache when Redis is down.

    Routed: the one-key operations (``get``, ``set``, ``add``, ``delete``,
    ``incr``, ``touch``, ``has_key``), all that allauth's and the
    discussion's rate limits use.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        options = params.get("OPTIONS", {})
        self.failover_key_prefixes = tuple(options.get("FAILOVER_KEY_PREFIXES", ()))
        self.failover_alias = options.get("FAILOVER_CACHE")
        self.ignore_exceptions = options.get("IGNORE_EXCEPTIONS", False)

    def _fails_over(self, key):
        return bool(self.failover_key_prefixes) and str(key).startswith(self.failover_key_prefixes)

    def _on_failover(self, operation, key, *args, **kwargs):
        """``operation`` on Redis, raising its errors; on the failover cache when Redis is down."""
        try:
            return getattr(self.client, operation)(key, *args, **kwargs)
        except UNREACHABLE as error:
            if self.failover_alias is None:
                raise
            logger.warning(
                "Redis unreachable (%s): cache %s of %r done in the %r cache",
                _reason(error),
                operation,
                key,
                self.failover_alias,
            )
            return getattr(caches[self.failover_alias], operation)(key, *args, **kwargs)

    def get(self, key, default=None, version=None, client=None):
        if self._fails_over(key):
            return self._on_failover("get", key, default, version=version)
        return super().get(key, default, version=version, client=client)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        if self._fails_over(key):
            return self._on_failover("set", key, value, timeout=timeout, version=version)
        return super().set(key, value, timeout=timeout, version=version, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        if self._fails_over(key):
            return bool(self._on_failover("add", key, value, timeout=timeout, version=version))
        return super().add(key, value, timeout=timeout, version=version, **kwargs)

    def delete(self, key, version=None, **kwargs):
        if self._fails_over(key):
            return bool(self._on_failover("delete", key, version=version))
        return super().delete(key, version=version, **kwargs)

    def incr(self, key, delta=1, version=None, **kwargs):
        if self._fails_over(key):
            return self._on_failover("incr", key, delta=delta, version=version)
        return super().incr(key, delta=delta, version=version, **kwargs)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        if self._fails_over(key):
            return bool(self._on_failover("touch", key, timeout=timeout, version=version))
        try:
            return super().touch(key, timeout=timeout, version=version, **kwargs)
        except UNREACHABLE:
            if not self.ignore_exceptions:
                raise
            return False

    def has_key(self, key, version=None, **kwargs):
        if self._fails_over(key):
            return bool(self._on_failover("has_key", key, version=version))
        return super().has_key(key, version=version, **kwargs)

    def count_and_get_many(self, counter_key, timeout, keys):
        """Add one to the counter ``counter_key`` (made to live ``timeout`` seconds by its first
        hit) and read ``keys``, in one round trip: ``(count, {key: value})``.

        What ``incr`` (``add`` first for a missing counter) and ``get_many(keys)`` give, in
        one Lua script (``COUNT_AND_GET``: atomic, one command to write and one reply to
        read; a pipeline of the same commands cost 70% more CPU in redis-py). Redis down:
        the counter is counted by the failover cache (a failover key), the keys are misses.
        """
        client = self.client
        try:
            redis = client.get_client(write=True)
            count, values = _count_and_get_script(redis)(
                keys=[client.make_key(counter_key), *(client.make_key(key) for key in keys)],
                args=[timeout],
                client=redis,
            )
        except UNREACHABLE as error:
            if self.failover_alias is None or not self.ignore_exceptions:
                raise
            logger.warning(
                "Redis unreachable (%s): cache count of %r done in the %r cache",
                _reason(error),
                counter_key,
                self.failover_alias,
            )
            failover = caches[self.failover_alias]
            failover.add(counter_key, 0, timeout)
            return failover.incr(counter_key), {}
        return count, {
            key: client.decode(value) for key, value in zip(keys, values, strict=True) if value is not None
        }


# KEYS[1]: the counter; KEYS[2...]: the keys to read. ARGV[1]: the counter's lifetime (s).
COUNT_AND_GET = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local values = {}
if #KEYS > 1 then values = redis.call('MGET', unpack(KEYS, 2)) end
return {count, values}
"""


@functools.cache
def _count_and_get_script(redis):
    """``COUNT_AND_GET`` as a redis-py ``Script`` (run by its SHA, loaded again after a restart)."""
    return redis.register_script(COUNT_AND_GET)
