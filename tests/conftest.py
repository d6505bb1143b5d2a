"""Fixtures shared by the whole suite.

Services: tests marked ``redis`` need a Redis at REDIS_URL, tests using
``private_redis`` the ``redis-server`` binary (they start their own), and tests
marked ``browser`` need Debian's chromium. Without them they skip, unless
REQUIRE_SERVICES=1 (CI), which turns every such skip into a failure.
"""

import os
import shutil
import socket
import subprocess
import time
import uuid

import pytest
from django.core.cache import cache

from tests.factories import UserFactory, VerifiedUserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _worker_number():
    """0 for a plain run or xdist's first worker (gw0), 1 for gw1, and so on."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


_session_redis = None


def pytest_configure(config):
    """Without REDIS_URL, start a private ``redis-server`` for the whole run when
    one is installed, so that the tests marked ``redis`` run instead of skipping.

    The first process (the only one, or xdist's controller, before it starts its
    workers) starts it and exports its URL; each xdist worker then takes a
    database number of its own on it. A REDIS_URL given from outside (CI, a
    helper's own database number) is kept as it is: there the tests keep apart
    by key prefix, and none of them empties a database it did not start.
    """
    global _session_redis
    if os.environ.get("PYTEST_XDIST_WORKER"):
        if os.environ.get("TESTS_SESSION_REDIS"):
            os.environ["REDIS_URL"] = f"{os.environ['TESTS_SESSION_REDIS']}/{_worker_number() % 16}"
        return
    binary = shutil.which("redis-server")
    if os.environ.get("REDIS_URL") or binary is None:
        return
    import tempfile

    _session_redis = PrivateRedis(binary, tempfile.mkdtemp(prefix="tests-redis-"))
    _session_redis.start()
    os.environ["TESTS_SESSION_REDIS"] = _session_redis.url.rsplit("/", 1)[0]
    os.environ["REDIS_URL"] = _session_redis.url


def pytest_unconfigure(config):
    global _session_redis
    if _session_redis is not None:
        _session_redis.stop()
        shutil.rmtree(_session_redis.workdir, ignore_errors=True)
        os.environ.pop("TESTS_SESSION_REDIS", None)
        os.environ.pop("REDIS_URL", None)
        _session_redis = None


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    """Transactional tests flush the database when they end: have every one of
    them restore the rows that migrations load (Wagtail's root page, the
    communes), so that they pass in any order and after one another.

    Under pytest-xdist (``--dist loadgroup``), the tests of a module that share
    its ``live_database`` (a migrated database per module) run on one worker,
    which migrates it once."""
    for item in items:
        if "live_database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(f"live-{item.module.__name__}"))
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(pytest.mark.django_db(**marker.kwargs, serialized_rollback=True), append=False)


def require_service(available, reason):
    """Skip when a service is missing, or fail when CI says it must be there."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    available = False
    if url:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
            available = True
        except redis.RedisError:
            available = False
    require_service(available, f"no Redis answering at REDIS_URL={url!r}")
    return url


class PrivateRedis:
    """A ``redis-server`` of the test's own, on a free port, that the test may stop and start."""

    def __init__(self, binary, workdir):
        self.binary, self.workdir = binary, workdir
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        import redis

        options = {"port": self.port, "bind": "127.0.0.1", "save": "", "appendonly": "no"}
        options.update({"dir": self.workdir, "loglevel": "warning"})
        arguments = [part for name, value in options.items() for part in (f"--{name}", str(value))]
        self.process = subprocess.Popen(
            [self.binary, *arguments],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.02)
            finally:
                client.close()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def private_redis(tmp_path):
    """A private Redis, running; ``stop()`` and ``start()`` it to play an outage.

    Never the machine's shared Redis: the outage tests kill theirs.
    """
    binary = shutil.which("redis-server")
    require_service(binary is not None, "no redis-server binary on PATH")
    server = PrivateRedis(binary, tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def chromium_path():
    require_service(shutil.which(CHROMIUM) is not None, f"no chromium at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in French: the test client runs requests in the test's
    thread, and a request to an English page leaves English active, which page
    URLs follow (``network.languages.MonolingualPageMixin``)."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site_tree(db, django_capture_on_commit_callbacks):
    """The demo page tree (home, index pages, content pages), search-indexed."""
    from home.demo import seed_pages

    # Search indexing runs after commit; run those callbacks as a real commit would.
    with django_capture_on_commit_callbacks(execute=True):
        return seed_pages()


@pytest.fixture
def home_page(site_tree):
    return site_tree["home"]


@pytest.fixture
def venue(site_tree):
    """A published venue of the directory (apps' conftests may give their own)."""
    from tests.factories.venues import VenuePageFactory

    return VenuePageFactory(parent=site_tree["lieux"], title="La Coroutine", slug="la-coroutine")


@pytest.fixture
def other_venue(site_tree):
    from tests.factories.venues import VenuePageFactory

    return VenuePageFactory(parent=site_tree["lieux"], title="Le Hangar", slug="le-hangar")


@pytest.fixture
def member(db):
    return VerifiedUserFactory()


@pytest.fixture
def unverified_user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    from members.services import ensure_staff_group

    user = VerifiedUserFactory(is_staff=True)
    user.groups.add(ensure_staff_group())
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def redis_cache(settings, redis_url):
    """Production's cache backend on the real Redis, under a key prefix of its own."""
    from django.core.cache import caches
    from django_redis import get_redis_connection

    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    backend = caches["default"]
    yield backend
    client = get_redis_connection("default")
    for key in client.scan_iter(match=f"{prefix}:*"):  # not clear(): it empties the whole database
        client.delete(key)


@pytest.fixture
def site_url(request, settings, db):
    """The site served as ``SITE_URL`` (default ``https://tiers-lieux.example``;
    parametrize indirectly for another), its Wagtail Site following as after
    ``migrate``. Requests in tests still come with the Host ``testserver``."""
    from network.site_url import sync_site_with_site_url

    url = getattr(request, "param", "https://tiers-lieux.example")
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = url
    sync_site_with_site_url()
    return url


@pytest.fixture
def redis_down(settings, db):
    """Production's cache settings, pointing at a port where no Redis answers."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
        }
    }


@pytest.fixture(scope="session", autouse=True)
def _urlconf_loaded():
    """Import every URL module before any test: a test that first resolves a URL
    under ``freeze_time`` would build the API's schema classes with a frozen clock."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
