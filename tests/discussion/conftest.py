import os
import subprocess
import sys
import uuid

import pytest

from network.discussion import services
from network.discussion.models import Room
from tests.conftest import require_service
from tests.discussion.live import ROOT, live_env
from tests.factories import VerifiedUserFactory


@pytest.fixture
def room(db):
    return services.create_room(kind=Room.Kind.TOPIC, title="Fab labs", by=None)


@pytest.fixture
def other_member(db):
    return VerifiedUserFactory(display_name="Sacha Martin")


@pytest.fixture
def private_room(db, member):
    room = services.create_room(
        kind=Room.Kind.PRIVATE, visibility=Room.Visibility.MEMBERS, title="Binôme", by=None
    )
    services.add_room_member(room, member)
    return room


@pytest.fixture
def no_rate_limit(settings):
    settings.DISCUSSION_RATE_LIMIT = (10_000, 10)


@pytest.fixture(scope="module")
def live_database(tmp_path_factory):
    """A migrated database reachable from the live servers (subprocesses), one
    per test module: a fresh PostgreSQL database when DATABASE_URL points to
    PostgreSQL, a SQLite file otherwise; yields its URL."""
    require_service(pytest.importorskip("websockets") and True, "websockets is not installed")
    base = os.environ.get("DATABASE_URL", "")
    drop = None
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"discussion_live_{uuid.uuid4().hex[:8]}"
        server_url = base.rsplit("/", 1)[0]
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = f"{server_url}/{name}"

        def drop():
            with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}"
    env = live_env(url, "")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    yield url
    if drop:
        drop()
