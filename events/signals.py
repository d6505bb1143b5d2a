"""Signal handlers, connected in ``EventsConfig.ready()``."""


def roles_changed(sender, users, **kwargs):
    """Users' groups or accounts changed (``members.signals.roles_changed``)."""
    from events.services import revoke_event_rooms

    revoke_event_rooms(users)


def event_published(sender, instance, **kwargs):
    from events.models import EventPage
    from events.services import publish_event

    if isinstance(instance, EventPage):
        publish_event(instance)
