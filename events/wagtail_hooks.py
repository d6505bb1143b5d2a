from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from events.calendar_sync.admin import CalendarSubscriptionViewSet, managed_venues, upload_view


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
