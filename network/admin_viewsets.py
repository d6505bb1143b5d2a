"""Staff screens of the admin as Wagtail viewsets guarded by a permission policy.

A ``PolicyViewSet`` holds custom views (screens that are no plain create / edit /
delete: decide a claim, pair a request, hide a post) of one model. Each route
names the actions of ``permission_policy`` that open it, so who may reach a screen
is written once, next to its URL, and the menu item shows itself to whoever may
take ``menu_actions``. Views check the finer actions (a POST that decides) on the
same policy; the services check it again, for callers other than the admin.
"""

from functools import wraps
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet


class Route(NamedTuple):
    """A URL of a ``PolicyViewSet``, open to whoever may take one of ``actions``
    under ``policy`` (the viewset's ``permission_policy`` when ``None``)."""

    route: str
    view: object
    name: str
    actions: tuple = ("view",)
    policy: object = None


def permission_required(policy, actions):
    """Decorate a view: ``PermissionDenied`` (the admin's "no permission" redirect)
    unless the user may take one of ``actions`` under ``policy``."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not policy.user_has_any_permission(request.user, actions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def require_action(request, policy, action):
    """For a view's finer step (the POST that decides): refuse unless allowed."""
    if not policy.user_has_permission(request.user, action):
        raise PermissionDenied


class PolicyViewSet(ViewSet):
    """A Wagtail ``ViewSet`` of ``routes``, each guarded by ``permission_policy``
    (or its own ``policy``). Register it with the ``register_admin_viewset`` hook;
    its views check nothing more for opening, only for their finer steps."""

    permission_policy = None
    menu_actions = ("view",)
    add_to_admin_menu = True
    routes = ()

    def get_urlpatterns(self):
        return [path(r.route, self.guard(r), name=r.name) for r in self.routes]

    def guard(self, route):
        return permission_required(route.policy or self.permission_policy, route.actions)(route.view)

    @cached_property
    def menu_item_class(self):
        viewset = self

        def is_shown(item, request):
            return viewset.permission_policy.user_has_any_permission(request.user, viewset.menu_actions)

        return type(f"{type(self).__name__}MenuItem", (MenuItem,), {"is_shown": is_shown})
