"""Content-Security-Policy: strict on the site, one allowance for the admin.

The public site allows no inline script at all. Wagtail's admin still
renders a few inline initialisation scripts (date and time pickers), so the
editing interface, which only signed-in editors reach, also accepts inline
scripts; everything else in the policy stays the same.
"""

from csp.middleware import CSPMiddleware

ADMIN_PREFIX = "/admin/"


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), "script-src": ["'unsafe-inline'"]}
        return parts
