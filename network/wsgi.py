"""WSGI entry point, for the workers that serve pages behind the proxy."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings.production")

application = get_wsgi_application()

from network.startup import settle  # noqa: E402

settle()
