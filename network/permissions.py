"""Network-wide role checks, shared by every app (they import no app)."""

from allauth.account.models import EmailAddress
from django.conf import settings


def has_verified_email(user):
    """A member: an active account whose email address allauth has verified."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def is_staff_member(user):
    """Staff of the network: superusers and members of the "Équipe du réseau" group."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=settings.STAFF_GROUP_NAME).exists()


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
