from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from members import admin_views, import_views
from members.dashboard import ManagerVenuesPanel, managed_venues, pages_in_moderation
from members.services import is_staff_member
from network.admin_panels import STAFF_TODO_HOOK, StaffTodoPanel, TodoItem, staff_todo_items


@hooks.register("register_admin_urls")
def register_claim_urls():
    return [
        path("venue-claims/", admin_views.claim_list, name="members_claim_list"),
        path("venue-claims/<int:pk>/", admin_views.claim_detail, name="members_claim_detail"),
        path("venue-imports/", import_views.import_list, name="members_import_list"),
        path("venue-imports/<int:pk>/", import_views.import_detail, name="members_import_detail"),
        path("venue-imports/<int:pk>/status/", import_views.import_status, name="members_import_status"),
        path("venue-imports/<int:pk>/report.csv", import_views.import_report, name="members_import_report"),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff_member(request.user)


@hooks.register("register_admin_menu_item")
def register_claims_menu_item():
    return StaffMenuItem(_("Demandes de lieux"), reverse("members_claim_list"), icon_name="home", order=250)


@hooks.register("register_admin_menu_item")
def register_imports_menu_item():
    return StaffMenuItem(_("Import de lieux"), reverse("members_import_list"), icon_name="upload", order=260)


@hooks.register(STAFF_TODO_HOOK)
def pending_claims_todo(request):
    from members.models import VenueClaim

    return TodoItem(
        _("Demandes de lieux en attente"),
        VenueClaim.objects.pending().count(),
        reverse("members_claim_list"),
        order=10,
    )


@hooks.register("construct_homepage_panels")
def add_role_panels(request, panels):
    """Staff see what waits for them; a venue manager sees their venues first."""
    if is_staff_member(request.user):
        panels.insert(0, StaffTodoPanel(items=staff_todo_items(request)))
    venues = managed_venues(request)
    if venues:
        panels.insert(0, ManagerVenuesPanel(venues=venues, in_moderation=pages_in_moderation(venues)))
