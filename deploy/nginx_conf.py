"""Fill the nginx site template (deploy/nginx/tiers-lieux.conf) and print it.

    python deploy/nginx_conf.py --server-name tiers-lieux.example \\
        --wsgi 127.0.0.1:8000,127.0.0.1:8010 --asgi 127.0.0.1:8001,127.0.0.1:8002 \\
        --static-root /srv/tiers-lieux/staticfiles --media-root /srv/tiers-lieux/media \\
        --certificate /etc/letsencrypt/live/tiers-lieux.example/fullchain.pem \\
        --certificate-key /etc/letsencrypt/live/tiers-lieux.example/privkey.pem \\
        > /etc/nginx/sites-available/tiers-lieux
"""

import argparse
import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "tiers-lieux.conf"


def render(
    *,
    server_name,
    wsgi,
    asgi,
    static_root,
    media_root,
    certificate,
    certificate_key,
    http_listen="80",
    https_listen="443",
    access_log="/var/log/nginx/tiers-lieux.access.log",
):
    """The site configuration for these addresses; listens are nginx `listen` values."""
    https_port = https_listen.rsplit(":", 1)[-1]
    values = {
        "WSGI_SERVERS": "\n".join(f"    server {address};" for address in wsgi),
        "ASGI_SERVERS": "\n".join(f"    server {address};" for address in asgi),
        "SERVER_NAME": server_name,
        "HTTP_LISTEN": http_listen,
        "HTTPS_LISTEN": https_listen,
        "HTTPS_PORT_SUFFIX": "" if https_port == "443" else f":{https_port}",
        "SSL_CERTIFICATE": certificate,
        "SSL_CERTIFICATE_KEY": certificate_key,
        "STATIC_ROOT": str(static_root).rstrip("/"),
        "MEDIA_ROOT": str(media_root).rstrip("/"),
        "ACCESS_LOG": access_log,
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"%%{name}%%", value)
    unfilled = re.findall(r"%%[A-Z_]+%%", text)
    if unfilled:
        raise ValueError(f"unfilled placeholders in {TEMPLATE}: {', '.join(unfilled)}")
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-name", required=True)
    parser.add_argument("--wsgi", required=True, help="gunicorn addresses, comma-separated")
    parser.add_argument("--asgi", required=True, help="Uvicorn addresses, comma-separated")
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--media-root", required=True)
    parser.add_argument("--certificate", required=True)
    parser.add_argument("--certificate-key", required=True)
    parser.add_argument("--http-listen", default="80")
    parser.add_argument("--https-listen", default="443")
    arguments = parser.parse_args()
    print(
        render(
            server_name=arguments.server_name,
            wsgi=arguments.wsgi.split(","),
            asgi=arguments.asgi.split(","),
            static_root=arguments.static_root,
            media_root=arguments.media_root,
            certificate=arguments.certificate,
            certificate_key=arguments.certificate_key,
            http_listen=arguments.http_listen,
            https_listen=arguments.https_listen,
        ),
        end="",
    )


if __name__ == "__main__":
    main()
