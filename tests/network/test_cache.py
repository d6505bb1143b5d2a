"""The Redis cache backend of production (network/cache.py), on a real Redis."""

import threading


def test_one_client_serves_every_call(redis_cache):
    redis_cache.set("greeting", "bonjour")
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache.get_many(["greeting", "missing"]) == {"greeting": "bonjour"}
    assert redis_cache._cache.get_client(write=True) is client
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
