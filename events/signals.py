"""Signal handlers, connected in ``EventsConfig.ready()``."""


def event_published(sender, instance, **kwargs):
    from events.models import EventPage
    from events.services import publish_event

    if isinstance(instance, EventPage):
        publish_event(instance)
