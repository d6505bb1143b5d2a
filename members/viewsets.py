"""The members app's admin viewsets: Wagtail's users, and the staff's claims and imports."""

from django.utils.translation import gettext_lazy as _
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from members import admin_views, import_views
from members.forms import AdminUserCreationForm, AdminUserEditForm
from members.permissions import claim_policy, import_policy
from network.admin_viewsets import PolicyViewSet, Route


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm


class ClaimViewSet(PolicyViewSet):
    """Venue claims: staff read them and decide each one."""

    name = "members_claims"
    url_prefix = "venue-claims"
    icon = "home"
    menu_label = _("Demandes de lieux")
    menu_order = 250
    permission_policy = claim_policy
    menu_actions = ("view", "change")
    routes = (
        Route("", admin_views.claim_list, "index", ("view", "change")),
        Route("<int:pk>/", admin_views.claim_detail, "detail", ("view", "change")),
    )


class ImportViewSet(PolicyViewSet):
    """Venue imports: upload a file, check its preview, start it, follow it, get its report."""

    name = "members_imports"
    url_prefix = "venue-imports"
    icon = "upload"
    menu_label = _("Import de lieux")
    menu_order = 260
    permission_policy = import_policy
    menu_actions = ("view", "add")
    routes = (
        Route("", import_views.import_list, "index", ("view", "add")),
        Route("<int:pk>/", import_views.import_detail, "detail", ("view", "add")),
        Route("<int:pk>/status/", import_views.import_status, "status", ("view", "add")),
        Route("<int:pk>/report.csv", import_views.import_report, "report", ("view", "add")),
    )
