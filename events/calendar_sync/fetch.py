"""Bounded, SSRF-safe HTTP GET of a calendar feed.

The host is resolved once with ``getaddrinfo``; every address must be public
(no private, loopback, link-local, multicast, reserved or unspecified one), and
the connection goes to the checked address itself, so a second DNS answer
cannot swap in an internal one (DNS rebinding). HTTPS still verifies the
certificate against the host name (SNI). Redirects are followed by hand, each
target checked again, up to a cap; the body is streamed under a byte cap and
a total deadline.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from events.errors import ServiceError

USER_AGENT = "CompagnieTiersLieux-CalendarSync/1.0"


class FeedError(ServiceError):
    code = "feed_error"


@dataclass
class FetchResult:
    content: bytes | None  # None: not modified (304)
    etag: str = ""
    last_modified: str = ""
    url: str = ""


def _limits():
    return {
        "timeout": getattr(settings, "EVENTS_SYNC_TIMEOUT", 10.0),
        "max_bytes": getattr(settings, "EVENTS_SYNC_MAX_BYTES", 5 * 1024 * 1024),
        "max_redirects": getattr(settings, "EVENTS_SYNC_MAX_REDIRECTS", 3),
        "allow_loopback": getattr(settings, "EVENTS_SYNC_ALLOW_LOOPBACK", False),
    }


def is_public_address(address, *, allow_loopback=False):
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_private)


def resolve_public(host, port, *, allow_loopback=False):
    """The first address of ``host`` after checking that every one of them is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FeedError(_("Le serveur « %(host)s » est introuvable.") % {"host": host}) from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FeedError(_("Le serveur « %(host)s » est introuvable.") % {"host": host})
    for address in addresses:
        if not is_public_address(address, allow_loopback=allow_loopback):
            raise FeedError(_("Cette adresse pointe vers un réseau privé : elle est refusée."))
    return addresses[0]


def _split(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError(_("L'adresse doit commencer par http:// ou https://."))
    if parts.username or parts.password:
        raise FeedError(_("L'adresse ne doit pas contenir d'identifiants."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FeedError(_("Le port de l'adresse n'est pas valide.")) from None
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme, parts.hostname, port, path


def _request_once(url, headers, limits, deadline):
    scheme, host, port, path = _split(url)
    address = resolve_public(host, port, allow_loopback=limits["allow_loopback"])
    remaining = max(0.1, deadline - time.monotonic())
    timeout = urllib3.Timeout(
        connect=min(remaining, limits["timeout"]), read=min(remaining, limits["timeout"])
    )
    host_header = host if port in (80, 443) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" if port in (80, 443) else f"[{host}]:{port}"
    common = {"port": port, "timeout": timeout, "retries": False, "maxsize": 1}
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED", **common
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, **common)
    response = pool.urlopen(
        "GET",
        path,
        headers={**headers, "Host": host_header},
        redirect=False,
        preload_content=False,
        assert_same_host=False,
    )
    return pool, response


def _read_capped(response, limits, deadline):
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits["max_bytes"]:
        raise FeedError(_("Le calendrier est trop volumineux."))
    chunks, size = [], 0
    for chunk in response.stream(64 * 1024, decode_content=True):
        size += len(chunk)
        if size > limits["max_bytes"]:
            raise FeedError(_("Le calendrier est trop volumineux."))
        if time.monotonic() > deadline:
            raise FeedError(_("Le serveur du calendrier met trop de temps à répondre."))
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_feed(url, *, etag="", last_modified=""):
    """GET ``url`` within the limits; ``FeedError`` (translated message) on any refusal or failure."""
    limits = _limits()
    deadline = time.monotonic() + limits["timeout"]
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    for _hop in range(limits["max_redirects"] + 1):
        try:
            pool, response = _request_once(current, headers, limits, deadline)
            try:
                if response.status in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location")
                    if not location:
                        raise FeedError(_("Le serveur redirige sans indiquer où."))
                    current = urljoin(current, location)
                    continue
                if response.status == 304:
                    return FetchResult(None, etag=etag, last_modified=last_modified, url=current)
                if response.status != 200:
                    raise FeedError(
                        _("Le serveur du calendrier a répondu %(status)s.") % {"status": response.status}
                    )
                content = _read_capped(response, limits, deadline)
                return FetchResult(
                    content,
                    etag=response.headers.get("ETag", "")[:255],
                    last_modified=response.headers.get("Last-Modified", "")[:64],
                    url=current,
                )
            finally:
                response.release_conn()
                pool.close()
        except (urllib3.exceptions.TimeoutError, urllib3.exceptions.ReadTimeoutError):
            raise FeedError(_("Le serveur du calendrier met trop de temps à répondre.")) from None
        except urllib3.exceptions.SSLError:
            raise FeedError(_("Le certificat HTTPS du serveur n'est pas valide.")) from None
        except urllib3.exceptions.HTTPError:
            raise FeedError(_("Le serveur du calendrier est injoignable.")) from None
    raise FeedError(_("Trop de redirections."))
