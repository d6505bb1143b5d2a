from wagtail import hooks
from wagtail.permissions import register_permission_policy

from exchanges.admin_views import ExchangeModerationViewSet
from exchanges.models import Post
from exchanges.permissions import post_policy

register_permission_policy(Post, post_policy)


@hooks.register("register_admin_viewset")
def register_exchange_moderation():
    return ExchangeModerationViewSet()
