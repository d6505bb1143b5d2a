from wagtail import hooks
from wagtail.permissions import register_permission_policy

from network.discussion.admin_views import ModerationViewSet, action_policy, report_policy
from network.discussion.models import ModerationAction, Report

register_permission_policy(Report, report_policy)
register_permission_policy(ModerationAction, action_policy)


@hooks.register("register_admin_viewset")
def register_moderation():
    return ModerationViewSet()
