"""Signal handlers of the members app, connected in ``MembersConfig.ready()``."""

from members.directory import invalidate_menus
from members.figures import invalidate_figures
from members.page_cache import invalidate as invalidate_page_cache


def venue_changed(sender, instance=None, **kwargs):
    """A venue was published, unpublished or deleted: the network figures and the
    directory's tag menu are stale."""
    invalidate_figures()
    invalidate_menus()


def page_changed(sender, instance=None, **kwargs):
    """Any page was published or unpublished, or a venue deleted: cached pages are stale.

    Not only venues: a venue page lists the events held there (child pages).
    """
    invalidate_page_cache()


def venue_published(sender, instance=None, **kwargs):
    """A venue created straight in the admin gets its discussion room when first published."""
    from members.services import ensure_venue_room

    if instance is not None and instance.room_id is None:
        ensure_venue_room(instance)


def connect():
    from django.db.models.signals import post_delete
    from wagtail.signals import page_published, page_unpublished

    from members.models import VenuePage

    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(venue_changed, sender=VenuePage, dispatch_uid=f"members-figures-{id(signal)}")
    for signal in (page_published, page_unpublished):
        signal.connect(page_changed, dispatch_uid=f"members-page-cache-{id(signal)}")
    post_delete.connect(page_changed, sender=VenuePage, dispatch_uid="members-page-cache-delete")
    page_published.connect(venue_published, sender=VenuePage, dispatch_uid="members-venue-room")
