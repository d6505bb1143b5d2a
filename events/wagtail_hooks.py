from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from events.calendar_sync.admin import CalendarSubscriptionViewSet, managed_venues, upload_view
from events.dashboard import UpcomingEventsPanel, proposals_awaiting_approval, upcoming_at
from members.dashboard import managed_venues as dashboard_venues
from network.admin_panels import STAFF_TODO_HOOK, TodoItem
from network.permissions import is_staff_member


@hooks.register("register_admin_viewset")
def register_calendar_subscriptions():
    return CalendarSubscriptionViewSet()


@hooks.register("register_admin_urls")
def register_calendar_upload_url():
    return [path("calendriers-import/", upload_view, name="calendar_sync_upload")]


class UploadMenuItem(MenuItem):
    def is_shown(self, request):
        return managed_venues(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_calendar_upload_menu_item():
    return UploadMenuItem(
        _("Importer un .ics"), reverse("calendar_sync_upload"), icon_name="upload", order=610
    )


@hooks.register(STAFF_TODO_HOOK)
def event_proposals_todo(request):
    if not is_staff_member(request.user):
        return None
    return TodoItem(
        _("Propositions d'événements à approuver"),
        proposals_awaiting_approval().count(),
        reverse("wagtailadmin_reports:workflow"),
        order=30,
    )


@hooks.register("construct_homepage_panels")
def add_upcoming_events_panel(request, panels):
    venues = dashboard_venues(request)
    if venues:
        panels.append(UpcomingEventsPanel(occurrences=upcoming_at(venues)))
