from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Compagnonnage")

    def ready(self):
        from members.signals import roles_changed
        from mentoring.signals import roles_changed as mentoring_roles_changed

        roles_changed.connect(mentoring_roles_changed, dispatch_uid="mentoring.roles_changed")
