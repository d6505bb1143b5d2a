from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class MembersConfig(AppConfig):
    default = True  # apps.py holds two configs: "members" in INSTALLED_APPS means this one
    name = "members"
    verbose_name = _("Membres et lieux")

    def ready(self):
        from members import signals
        from network.uploads import cap_image_pixels

        signals.connect()
        cap_image_pixels()


class MembersUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our email-login user model."""

    user_viewset = "members.viewsets.UserViewSet"
