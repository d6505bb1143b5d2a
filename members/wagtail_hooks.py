from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from members import admin_views
from members.services import is_staff_member


@hooks.register("register_admin_urls")
def register_claim_urls():
    return [
        path("venue-claims/", admin_views.claim_list, name="members_claim_list"),
        path("venue-claims/<int:pk>/", admin_views.claim_detail, name="members_claim_detail"),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff_member(request.user)


@hooks.register("register_admin_menu_item")
def register_claims_menu_item():
    return StaffMenuItem(_("Demandes de lieux"), reverse("members_claim_list"), icon_name="home", order=250)
