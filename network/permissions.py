"""Network-wide role checks, shared by every app (they import no app)."""

from django.conf import settings


def is_staff_member(user):
    """Staff of the network: superusers and members of the "Équipe du réseau" group."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=settings.STAFF_GROUP_NAME).exists()
