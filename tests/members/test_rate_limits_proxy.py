"""allauth's per-IP rate limits behind the reverse proxy: an attack from one
client address locks out that address, not every visitor behind the proxy."""

import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.factories import VerifiedUserFactory
from tests.factories.members import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # every request reaches Django from the proxy's address
ATTACKER = "203.0.113.5"
VISITOR = "198.51.100.7"


def _through_proxy(client_address, *, spoofed=None):
    """A client whose requests pass one trusted proxy, which appends the
    address it saw to whatever X-Forwarded-For the client sent."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _attack(attempts=31, *, spoof=False):
    """Failed logins on many accounts from one client address; the last answer."""
    for attempt in range(attempts):
        client = _through_proxy(ATTACKER, spoofed=f"192.0.2.{attempt}" if spoof else None)
        response = client.post(
            "/accounts/login/", {"login": f"victime{attempt}@example.org", "password": "faux"}
        )
    return response


@pytest.fixture
def visitor():
    return VerifiedUserFactory(email="visiteuse@example.org")


def _log_in(user):
    return _through_proxy(VISITOR).post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def test_an_attack_from_one_address_does_not_lock_out_another_client(settings, visitor):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert _attack().status_code == 429  # the attacker is stopped
    response = _log_in(visitor)
    assert response.status_code == 302
    assert response.wsgi_request.user == visitor


def test_without_the_trusted_proxy_everyone_shares_the_proxy_address(settings, visitor):
    """What the setting fixes: trusting no proxy, the visitor is refused too."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    _attack()
    assert _log_in(visitor).status_code == 429


def test_a_forged_forwarded_for_does_not_escape_the_limit(settings, visitor):
    """Only the address our proxy appended counts, not what the client wrote before it."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert _attack(spoof=True).status_code == 429
    assert _log_in(visitor).status_code == 302


def test_a_header_set_by_the_proxy_can_name_the_client(settings, visitor):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    for attempt in range(31):
        response = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ATTACKER).post(
            "/accounts/login/", {"login": f"victime{attempt}@example.org", "password": "faux"}
        )
    assert response.status_code == 429
    response = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=VISITOR).post(
        "/accounts/login/", {"login": visitor.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_count_comes_from_the_environment():
    code = "from network.settings import base; print(base.ALLAUTH_TRUSTED_PROXY_COUNT)"
    env = {**os.environ, "ALLAUTH_TRUSTED_PROXY_COUNT": "2"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "2"


def test_production_trusts_one_proxy_unless_told_otherwise():
    code = "from network.settings import production as p; print(p.ALLAUTH_TRUSTED_PROXY_COUNT)"
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "tiers-lieux.example",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    env.pop("ALLAUTH_TRUSTED_PROXY_COUNT", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
    env["ALLAUTH_TRUSTED_PROXY_COUNT"] = "2"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "2"
