"""State changes of members and their accounts."""

from django.db import transaction

from network.errors import NotAllowed

PROFILE_FIELDS = ("display_name", "bio", "commune", "avatar", "language")


@transaction.atomic
def update_profile(user, data, *, by):
    """Apply validated profile ``data`` to ``user``; only the member edits their profile."""
    if by.pk != user.pk:
        raise NotAllowed("Only the member may edit their own profile.")
    for field in PROFILE_FIELDS:
        if field in data:
            value = data[field]
            if field == "avatar" and value is False:  # "clear" ticked
                user.avatar.delete(save=False)
                value = ""
            elif field == "avatar" and value is None:
                continue
            setattr(user, field, value)
    user.save()
    return user


def ensure_staff_group():
    """The "Équipe du réseau" group: admin access and every right on the site's pages."""
    from django.conf import settings
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    home = Page.get_first_root_node()
    if home is not None:
        for codename in (
            "add_page",
            "change_page",
            "publish_page",
            "bulk_delete_page",
            "lock_page",
            "unlock_page",
        ):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=home,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for action in ("add", "change", "choose", "delete"):
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    ),
                )
    return group


def is_staff_member(user):
    """Staff of the network: superusers and members of the staff group."""
    from django.conf import settings

    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=settings.STAFF_GROUP_NAME).exists()
