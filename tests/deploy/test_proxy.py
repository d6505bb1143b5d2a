"""The production layout, run: nginx in front of two gunicorn and two Uvicorn processes.

Everything runs on loopback under production settings (HTTPS redirect,
secure cookies, one trusted proxy), with the nginx site of
``deploy/nginx/tiers-lieux.conf`` filled in by ``deploy/nginx_conf.py`` and a
self-signed certificate. Pages go through nginx to gunicorn, static files come
from nginx itself, and two WebSocket clients attached to different Uvicorn
processes get each other's messages over the Redis channel layer.
"""

import asyncio
import http.cookiejar
import json
import os
import shutil
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from deploy.nginx_conf import render
from tests.conftest import require_service
from tests.discussion.conftest import live_database  # noqa: F401 (fixture)
from tests.discussion.live import ROOT, Server, free_port, live_env, run_tool, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.timeout(600), pytest.mark.xdist_group("deploy")]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE  # the certificate is self-signed for this test


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _start_nginx(tmp_path, site):
    """nginx on its own prefix, in the foreground of a child process."""
    (tmp_path / "nginx").mkdir()
    (tmp_path / "nginx" / "site.conf").write_text(site)
    main = f"""
        user root;
        worker_processes 1;
        pid {tmp_path}/nginx/nginx.pid;
        error_log {tmp_path}/nginx/error.log warn;
        events {{ worker_connections 1024; }}
        http {{
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            client_body_temp_path {tmp_path}/nginx/body;
            proxy_temp_path {tmp_path}/nginx/proxy;
            fastcgi_temp_path {tmp_path}/nginx/fastcgi;
            uwsgi_temp_path {tmp_path}/nginx/uwsgi;
            scgi_temp_path {tmp_path}/nginx/scgi;
            include {tmp_path}/nginx/site.conf;
        }}
    """
    (tmp_path / "nginx" / "nginx.conf").write_text(main)
    config = ["-p", f"{tmp_path}/nginx", "-c", f"{tmp_path}/nginx/nginx.conf"]
    subprocess.run([NGINX, "-t", *config], check=True, capture_output=True)
    return subprocess.Popen([NGINX, *config, "-g", "daemon off;"], stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def site(live_database, tmp_path_factory):  # noqa: F811
    require_service(os.path.exists(NGINX), "nginx is not installed (Debian's package nginx-light)")
    redis_url = os.environ.get("REDIS_URL", "")
    require_service(bool(redis_url), "REDIS_URL is not set: the processes share Redis")
    tmp_path = tmp_path_factory.mktemp("proxy")
    http_port, https_port = free_port(), free_port()
    origin = f"https://127.0.0.1:{https_port}"
    env = live_env(live_database, redis_url)
    env.update(
        DJANGO_SETTINGS_MODULE="network.settings.production",
        SECRET_KEY=uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=origin,
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    (tmp_path / "media").mkdir()
    for command in (("collectstatic", "--noinput"), ("seed_demo", "--force")):
        subprocess.run([sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1"),
            *("-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")),
        ],
        check=True,
        capture_output=True,
    )
    pages = [Server(env, tmp_path, kind="gunicorn", proxied=True) for _ in range(2)]
    sockets = [Server(env, tmp_path, kind="uvicorn", proxied=True) for _ in range(2)]
    started = []
    try:
        for server in pages + sockets:
            started.append(server.start())
        nginx = _start_nginx(
            tmp_path,
            render(
                server_name="127.0.0.1",
                wsgi=[s.address for s in pages],
                asgi=[s.address for s in sockets],
                static_root=tmp_path / "static",
                media_root=tmp_path / "media",
                certificate=str(tmp_path / "cert.pem"),
                certificate_key=str(tmp_path / "key.pem"),
                http_listen=f"127.0.0.1:{http_port}",
                https_listen=f"127.0.0.1:{https_port}",
                access_log=str(tmp_path / "nginx" / "access.log"),
            ),
        )
        _wait_for_port(https_port)
        yield {"env": env, "origin": origin, "http_port": http_port, "pages": pages, "sockets": sockets}
        nginx.terminate()
        nginx.wait(timeout=10)
    finally:
        for server in started:
            server.stop()


def _wait_for_port(port, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"https://127.0.0.1:{port}/robots.txt", context=TLS, timeout=2)
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise RuntimeError("nginx did not answer")


def _opener(*handlers):
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=TLS), *handlers)


def test_pages_static_files_and_forwarded_headers_through_nginx(site):
    origin = site["origin"]
    opener = _opener(NoRedirect)
    # Plain HTTP is sent to HTTPS by nginx itself.
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"http://127.0.0.1:{site['http_port']}/lieux/", timeout=10)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == f"{origin}/lieux/"
    # Over HTTPS the pages answer 200 (X-Forwarded-Proto reached Django: no
    # redirect loop), from both gunicorn processes in turn, with their links
    # and HSTS on the proxied scheme.
    for path in ("/", "/lieux/", "/agenda/", "/compagnonnage/", "/plan-du-site/"):
        response = opener.open(origin + path, timeout=30)
        assert response.status == 200, path
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    home = opener.open(origin + "/", timeout=30).read().decode()
    assert f'<link rel="canonical" href="{origin}/"' in home
    # Static files are served by nginx from collectstatic's output, gzipped, cached for a year.
    stylesheet = next(
        part.split('"')[0] for part in home.split('href="/static/')[1:] if part.split('"')[0].endswith(".css")
    )
    request = urllib.request.Request(f"{origin}/static/{stylesheet}", headers={"Accept-Encoding": "gzip"})
    response = opener.open(request, timeout=10)
    assert response.headers["Content-Type"] == "text/css"
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    access = (site["pages"][0].log.read_text(), site["pages"][1].log.read_text())
    assert all("Booting worker" in log for log in access)

    # A failed login is refused with the form's error, not a 500: allauth's
    # per-address rate limit read the client's address from X-Forwarded-For.
    jar = http.cookiejar.CookieJar()
    browser = _opener(urllib.request.HTTPCookieProcessor(jar))
    login = browser.open(origin + "/accounts/login/", timeout=30).read().decode()
    token = login.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": "nobody@example.org", "password": "wrong"}
    ).encode()
    headers = {"Referer": origin + "/"}
    request = urllib.request.Request(origin + "/accounts/login/", data=data, headers=headers)
    answer = browser.open(request, timeout=30)
    assert answer.status == 200
    assert "errorlist" in answer.read().decode()

    # With the page workers gone, nginx still serves the static files itself.
    for server in site["pages"]:
        server.stop()
    assert opener.open(f"{origin}/static/{stylesheet}", timeout=10).status == 200
    with pytest.raises(urllib.error.HTTPError) as gone:
        opener.open(origin + "/lieux/", timeout=10)
    assert gone.value.code == 502
    for server in site["pages"]:
        server.start()


async def test_sockets_on_two_uvicorn_processes_get_each_others_messages(site):
    import websockets

    seed = await asyncio.to_thread(run_tool, site["env"], "seed", 2)
    url = site["origin"].replace("https://", "wss://") + f"/ws/discussions/{seed['room']}/"
    logs = site["sockets"]

    def accepted():
        return [log.log.read_text().count("[accepted]") for log in logs]

    clients = []
    for user in seed["users"]:
        before = accepted()
        ws = await websockets.connect(
            url,
            ssl=TLS,
            origin=site["origin"],
            additional_headers={"Cookie": f"sessionid={user['session']}"},
            open_timeout=10,
        )
        assert await wait_for(lambda before=before: accepted() != before, timeout=10)
        clients.append((ws, [n - b for n, b in zip(accepted(), before, strict=True)].index(1)))
    first, second = clients
    assert first[1] != second[1], "nginx sent both sockets to the same Uvicorn process"

    async def message_on(ws, body):
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            if frame["type"] == "message" and frame["body"] == body:
                return frame

    try:
        for sender, receiver in ((first[0], second[0]), (second[0], first[0])):
            body = f"via nginx {uuid.uuid4().hex[:6]}"
            await sender.send(json.dumps({"type": "message", "body": body, "client_id": str(uuid.uuid4())}))
            frame = await message_on(receiver, body)
            assert frame["seq"] >= 1
    finally:
        for ws, _process in clients:
            await ws.close()
