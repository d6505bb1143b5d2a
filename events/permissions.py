"""Who may do what with an event; Wagtail's page permissions decide who organizes."""

from network.permissions import can_edit_page, has_verified_email


def can_register(user):
    """Verified members register; anonymous visitors and unverified accounts do not."""
    return has_verified_email(user)


def can_manage_event(user, event):
    """Staff and the managers of the event's venue (Wagtail edit right on the page)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return can_edit_page(user, event)
