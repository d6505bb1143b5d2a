"""Signal handlers of the members app, connected in ``MembersConfig.ready()``.

Freshness: every change of what the public sees that Wagtail, taggit or a
model announces renews the content generation after its commit
(``members.freshness.content_changed``). Changes made with ``.update()``
announce nothing: the service that makes them calls ``content_changed``
itself (``members.services.set_offers_mentoring``, the events services).
"""

from django.dispatch import Signal

from members.freshness import content_changed

# Sent by ``members.services.derive_room_rights`` with ``users``, inside its
# transaction: their groups or account changed; the apps that own rooms
# (events, mentoring) bring their members in line.
roles_changed = Signal()

# User fields that change what a user may read.
RIGHTS_FIELDS = ("is_active", "is_superuser")


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


def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """``user.groups`` or ``group.user_set`` changed (the user admin among others):
    re-derive the room rights of the users concerned."""
    from members.services import derive_room_rights

    if action == "pre_clear" and reverse:  # the group's users are gone after the clear
        instance._members_before_clear = list(instance.user_set.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        user_ids = [instance.pk]
    elif action == "post_clear":
        user_ids = getattr(instance, "_members_before_clear", [])
    else:
        user_ids = pk_set or []
    derive_room_rights(user_ids)


def permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A user's own permissions or a group's changed (Wagtail's user and group
    editors among others): staff is a permission (``network.permissions``), so
    re-derive the room rights of the users concerned."""
    from django.contrib.auth.models import Group

    from members.models import User
    from members.services import derive_room_rights

    if action not in ("post_add", "post_remove", "post_clear") or (action != "post_clear" and not pk_set):
        return
    if isinstance(instance, User):
        user_ids = [instance.pk]
    elif isinstance(instance, Group):
        user_ids = list(instance.user_set.values_list("pk", flat=True))
    elif model is User:  # ``permission.user_set``
        user_ids = list(pk_set or [])
    else:  # ``permission.group_set``
        user_ids = list(User.objects.filter(groups__in=pk_set or []).values_list("pk", flat=True))
    derive_room_rights(user_ids)


def user_before_save(sender, instance, update_fields=None, **kwargs):
    """Remember the rights fields as stored, to tell in ``user_saved`` whether they changed."""
    if instance.pk is None or (update_fields is not None and not set(update_fields) & set(RIGHTS_FIELDS)):
        instance._rights_before = None
        return
    stored = type(instance).objects.filter(pk=instance.pk)
    instance._rights_before = stored.values_list(*RIGHTS_FIELDS).first()


def user_saved(sender, instance, created=False, **kwargs):
    """A user deactivated (or reactivated, or made superuser or not): re-derive their rooms."""
    from members.services import derive_room_rights

    before = getattr(instance, "_rights_before", None)
    if created or before is None:
        return
    if tuple(getattr(instance, name) for name in RIGHTS_FIELDS) != tuple(before):
        derive_room_rights([instance.pk])


def connect():
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
    from taggit.models import Tag
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from members.context_processors import forget_header_links
    from members.models import Commune, User, VenuePage

    roles_changed.connect(forget_header_links, dispatch_uid="members-header-links")
    m2m_changed.connect(groups_changed, sender=User.groups.through, dispatch_uid="members-groups-rights")
    for through in (User.user_permissions.through, Group.permissions.through):
        uid = f"members-rights-{through.__name__}"
        m2m_changed.connect(permissions_changed, sender=through, dispatch_uid=uid)
    pre_save.connect(user_before_save, sender=User, dispatch_uid="members-user-rights-before")
    post_save.connect(user_saved, sender=User, dispatch_uid="members-user-rights")

    # Publishing a revision (a revert included), unpublishing, moving: any page,
    # since a page lists others (a venue its events, the directory its venues).
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"members-fresh-{id(signal)}")
    post_delete.connect(page_deleted, dispatch_uid="members-fresh-page-delete")
    # A privacy restriction added, changed or removed; a commune or a tag renamed; a site
    # changed (its host or root page: every page's URL).
    for model in (PageViewRestriction, Commune, Tag, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed, sender=model, dispatch_uid=f"members-fresh-{model.__name__}-{id(signal)}"
            )
    page_published.connect(venue_published, sender=VenuePage, dispatch_uid="members-venue-room")
