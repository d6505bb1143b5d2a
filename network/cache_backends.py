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

One gap of django-redis 7 is closed here too: its ``touch`` lets Redis's
connection errors through even with ``IGNORE_EXCEPTIONS`` (presence calls
it); here it answers ``False``, as for a missing key.
"""

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
