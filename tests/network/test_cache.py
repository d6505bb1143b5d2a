"""Production's cache backend (django-redis), on a real Redis, and without one.

Pages answer with Redis down too: tests/members/test_page_cache.py.
"""

import threading

from django_redis import get_redis_connection


def test_one_client_serves_every_call(redis_cache):
    redis_cache.set("greeting", "bonjour")
    client = get_redis_connection("default")
    assert redis_cache.get_many(["greeting", "missing"]) == {"greeting": "bonjour"}
    assert get_redis_connection("default") is client  # kept, with its connection pool
    assert redis_cache.add("greeting", "salut") is False
    assert redis_cache.add("counter", 1) is True
    assert redis_cache.incr("counter") == 2
    redis_cache.delete("greeting")
    assert redis_cache.get("greeting") is None


def test_threads_share_the_backend_safely(redis_cache):
    errors = []

    def work(n):
        try:
            for i in range(50):
                redis_cache.set(f"k{n}-{i}", i)
                assert redis_cache.get(f"k{n}-{i}") == i
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_posting_in_a_room_when_redis_is_down(redis_down, member):
    """The rate limit counts in the cache: without it, no message is refused (no 500 either)."""
    from network.discussion.services import check_rate_limit

    for _ in range(50):
        check_rate_limit(member)
