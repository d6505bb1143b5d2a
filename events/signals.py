"""Signal handlers, connected in ``EventsConfig.ready()``."""

from members.freshness import content_changed


def roles_changed(sender, users, **kwargs):
    """Users' groups or accounts changed (``members.signals.roles_changed``)."""
    from events.services import revoke_event_rooms

    revoke_event_rooms(users)


def event_published(sender, instance, **kwargs):
    from events.models import EventPage
    from events.services import publish_event

    if isinstance(instance, EventPage):
        publish_event(instance)


def connect():
    """Dates and registrations show on public pages (a venue's next dates, "full"):
    any saved or deleted one renews the content generation after the commit.
    The services that write them with ``.update()`` or ``bulk_create()`` call
    ``content_changed`` themselves."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published

    from events.models import Occurrence, Registration
    from members.signals import roles_changed as members_roles_changed

    page_published.connect(event_published, dispatch_uid="events.event_published")
    members_roles_changed.connect(roles_changed, dispatch_uid="events.roles_changed")
    for model in (Occurrence, Registration):
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed, sender=model, dispatch_uid=f"events-fresh-{model.__name__}-{id(signal)}"
            )
