"""Network-wide role checks, shared by every app (they import no app).

Who is staff is decided by Django permissions, never by a group's name: the
"Équipe du réseau" group (``settings.STAFF_GROUP_NAME``) is only where the
permissions are granted (``members.services.ensure_staff_group`` and its data
migration). Each staff screen of the admin checks its own model permissions
through its viewset's permission policy; ``STAFF_PERMISSION`` is the one left for
what staff do outside those screens (reading every public room, editing any
post, managing every venue's calendars).
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

STAFF_PERMISSION = "members.act_as_network_staff"


def has_verified_email(user):
    """A member: an active account whose email address allauth has verified."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def is_staff_member(user):
    """Staff of the network outside the admin's screens: active superusers and the
    holders of ``STAFF_PERMISSION`` (through a group or granted to the user).

    One query, kept on the user object for the request: ``user.has_perm`` would
    read all the user's permissions and all their groups' in two, on every page a
    member reads (the header and the rooms ask)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "network_staff_cache", None)
    if known is None:
        known = user.network_staff_cache = holders_of(STAFF_PERMISSION).filter(pk=user.pk).exists()
    return known


def holders_of(permission):
    """Active users granted ``permission`` ("app_label.codename") through one of
    their groups or directly: who receives the staff's mail and sits in the rooms
    staff moderate. Superusers pass every check but are not listed unless they
    hold it too."""
    app_label, codename = permission.split(".", 1)
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(Q(groups__permissions__in=granted) | Q(user_permissions__in=granted), is_active=True)
        .distinct()
    )


def staff_members():
    """The active holders of ``STAFF_PERMISSION``."""
    return holders_of(STAFF_PERMISSION)


def can_edit_page(user, page):
    """Wagtail's right to edit ``page`` ("change" granted on it or above, or "add" on a
    page of one's own), read from the user's page permissions, which Wagtail loads once
    per request. ``permissions_for_user(user).can_edit()`` says the same and, for
    whoever lacks it, also asks whether a moderation task lets them in: one query
    more on every public page a member reads, for a right no public page gives."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    if user is None or not user.is_authenticated:
        return False
    return PagePermissionPolicy().user_has_permission_for_instance(user, "change", page)
