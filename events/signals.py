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


def workflow_ended(sender, instance, user=None, **kwargs):
    """A workflow approved or refused a page: record it if the page is a proposal."""
    from wagtail.models import Page

    from events.models import EventPage
    from events.proposals import record_proposal_decision

    # content_object is the base Page (workflows run on the base model), a snippet may have one too
    page = instance.content_object
    if not isinstance(page, Page) or not isinstance(page.specific, EventPage):
        return
    page = page.specific
    approved = instance.status == instance.STATUS_APPROVED
    task_state = instance.current_task_state
    reason = task_state.comment if task_state is not None and not approved else ""
    record_proposal_decision(page, approved=approved, reason=reason, by=user)


def connect():
    """Dates and registrations show on public pages (a venue's next dates, "full"):
    any saved or deleted one renews the content generation after the commit.
    The services that write them with ``.update()`` or ``bulk_create()`` call
    ``content_changed`` themselves."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, workflow_approved, workflow_rejected

    from events.models import Occurrence, Registration
    from members.signals import roles_changed as members_roles_changed

    page_published.connect(event_published, dispatch_uid="events.event_published")
    workflow_approved.connect(workflow_ended, dispatch_uid="events.proposal_approved")
    workflow_rejected.connect(workflow_ended, dispatch_uid="events.proposal_rejected")
    members_roles_changed.connect(roles_changed, dispatch_uid="events.roles_changed")
    for model in (Occurrence, Registration):
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed, sender=model, dispatch_uid=f"events-fresh-{model.__name__}-{id(signal)}"
            )
