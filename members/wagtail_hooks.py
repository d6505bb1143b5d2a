from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from members.dashboard import ManagerVenuesPanel, managed_venues, pages_in_moderation
from members.models import VenueClaim, VenueImport
from members.permissions import claim_policy, import_policy
from members.viewsets import ClaimViewSet, ImportViewSet
from network.admin_panels import STAFF_TODO_HOOK, StaffTodoPanel, TodoItem, staff_todo_items

register_permission_policy(VenueClaim, claim_policy)
register_permission_policy(VenueImport, import_policy)


@hooks.register("register_admin_viewset")
def register_claims():
    return ClaimViewSet()


@hooks.register("register_admin_viewset")
def register_imports():
    return ImportViewSet()


@hooks.register(STAFF_TODO_HOOK)
def pending_claims_todo(request):
    if not claim_policy.user_has_permission(request.user, "change"):
        return None
    return TodoItem(
        _("Demandes de lieux en attente"),
        VenueClaim.objects.pending().count(),
        reverse("members_claims:index"),
        order=10,
    )


@hooks.register("construct_homepage_panels")
def add_role_panels(request, panels):
    """Staff see what waits for them (each row for whoever may act on it); a venue
    manager sees their venues first."""
    items = staff_todo_items(request)
    if items:
        panels.insert(0, StaffTodoPanel(items=items))
    venues = managed_venues(request)
    if venues:
        panels.insert(0, ManagerVenuesPanel(venues=venues, in_moderation=pages_in_moderation(venues)))
