"""Signal handlers of the members app, connected in ``MembersConfig.ready()``.

Freshness: every change of what the public sees that Wagtail, taggit or a
model announces renews the content generation after its commit
(``members.freshness.content_changed``). Changes made with ``.update()``
announce nothing: the service that makes them calls ``content_changed``
itself (``members.services.set_offers_mentoring``, the events services).
"""

from members.freshness import content_changed


def page_deleted(sender, instance=None, **kwargs):
    """``post_delete`` of any model: only pages matter (a page and its subtree)."""
    from wagtail.models import Page

    if isinstance(instance, Page):
        content_changed()


def venue_published(sender, instance=None, **kwargs):
    """A venue created straight in the admin gets its discussion room when first published."""
    from members.services import ensure_venue_room

    if instance is not None and instance.room_id is None:
        ensure_venue_room(instance)


def connect():
    from django.db.models.signals import post_delete, post_save
    from taggit.models import Tag
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from members.models import Commune, VenuePage

    # Publishing a revision (a revert included), unpublishing, moving: any page,
    # since a page lists others (a venue its events, the directory its venues).
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"members-fresh-{id(signal)}")
    post_delete.connect(page_deleted, dispatch_uid="members-fresh-page-delete")
    # A privacy restriction added, changed or removed; a commune or a tag renamed.
    for model in (PageViewRestriction, Commune, Tag):
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed, sender=model, dispatch_uid=f"members-fresh-{model.__name__}-{id(signal)}"
            )
    page_published.connect(venue_published, sender=VenuePage, dispatch_uid="members-venue-room")
