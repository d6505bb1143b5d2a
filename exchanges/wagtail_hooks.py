from wagtail import hooks

from exchanges.admin_views import ExchangeModerationViewSet


@hooks.register("register_admin_viewset")
def register_exchange_moderation():
    return ExchangeModerationViewSet()
