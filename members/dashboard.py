"""The venue manager's panel of the Wagtail dashboard: their venues, straight to
each edit page, and their pages waiting for moderation."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, WorkflowState

from members.services import venues_managed_by
from network.admin_panels import DashboardPanel

MODERATION_LIMIT = 10
ACTIVE_WORKFLOW = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)


def managed_venues(request):
    """The venues ``request.user`` manages, read once per request (the header, the panels)."""
    if not hasattr(request, "_managed_venues"):
        request._managed_venues = list(
            venues_managed_by(request.user).order_by("title").only("pk", "title", "path", "live", "url_path")
        )
    return request._managed_venues


def under(venues, field="path"):
    """``Q`` of the pages under any of ``venues`` (themselves included)."""
    condition = Q(pk__in=[])
    for venue in venues:
        condition |= Q(**{f"{field}__startswith": venue.path})
    return condition


def pages_in_moderation(venues):
    """The pages of these venues (the venue and its events) submitted to a workflow, not decided yet."""
    if not venues:
        return []
    return list(
        Page.objects.filter(
            under(venues),
            _workflow_states__status__in=ACTIVE_WORKFLOW,
        )
        .distinct()
        .order_by("-latest_revision_created_at")
        .only("pk", "title", "latest_revision_created_at")[:MODERATION_LIMIT]
    )


class ManagerVenuesPanel(DashboardPanel):
    """``venues`` (each to its edit page) and their pages ``in_moderation``."""

    name = "members_my_venues"
    order = 40
    template_name = "members/admin/my_venues_panel.html"
    heading = _("Mes lieux")
