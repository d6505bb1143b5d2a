"""Content-Security-Policy: strict on the site, one allowance for the admin.

The public site allows no inline script at all. Wagtail's admin still
renders a few inline initialisation scripts (date and time pickers), so the
editing interface, which only signed-in editors reach, also accepts inline
scripts; everything else in the policy stays the same.

The embeds (``embeds.views``) are the only pages any site may frame:
``frame-ancestors *`` is given by their path here, not by a view decorator,
so that a copy answered by the page cache (which runs inside this
middleware, before the view) keeps it.
"""

import functools

from csp.middleware import CSPMiddleware
from django.urls import reverse

ADMIN_PREFIX = "/admin/"
FRAMEABLE_URL_NAMES = ("embed_agenda", "embed_map")


@functools.cache
def frameable_paths():
    return frozenset(reverse(name) for name in FRAMEABLE_URL_NAMES)


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), "script-src": ["'unsafe-inline'"]}
        elif request.path in frameable_paths():
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["*"]}
        return parts
