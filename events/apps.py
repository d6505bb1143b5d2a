from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Agenda")

    def ready(self):
        from wagtail.signals import page_published

        from events.signals import event_published, roles_changed
        from members.signals import roles_changed as members_roles_changed

        page_published.connect(event_published, dispatch_uid="events.event_published")
        members_roles_changed.connect(roles_changed, dispatch_uid="events.roles_changed")
