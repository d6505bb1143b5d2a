from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from network.admin_panels import STAFF_TODO_HOOK, TodoItem
from network.discussion.admin_views import ModerationViewSet, action_policy, report_policy
from network.discussion.models import ModerationAction, Report
from network.permissions import is_staff_member

register_permission_policy(Report, report_policy)
register_permission_policy(ModerationAction, action_policy)


@hooks.register("register_admin_viewset")
def register_moderation():
    return ModerationViewSet()


@hooks.register(STAFF_TODO_HOOK)
def open_reports_todo(request):
    """Staff's row (every room's reports); a room's moderators find theirs on the screen."""
    if not is_staff_member(request.user):
        return None
    return TodoItem(
        _("Signalements à traiter"),
        Report.objects.filter(resolved=False).count(),
        reverse("discussion_moderation:index"),
        order=40,
    )
