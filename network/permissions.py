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
