"""Absolute addresses of the site, from the one setting that names it (``SITE_URL``)."""

from django.conf import settings


def absolute_url(path):
    """``path`` (``/media/…``) on the site's address; an address that is already absolute is kept."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
