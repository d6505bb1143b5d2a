"""Writing to a venue: its team, as the recipients of a direct conversation.

The venue's Wagtail group is the one source of truth of who manages it; the
discussion space starts (or finds again) the conversation and knows no venue.
"""

from django.utils.translation import gettext as _

from network.permissions import has_verified_email


def venue_context(venue):
    """Keeps a member's conversation with this venue's team apart from any other with the same people."""
    return f"venue:{venue.pk}"


def venue_description(venue):
    return _("Avec l'équipe de %(venue)s") % {"venue": venue.title}


def venue_team(venue, *, by):
    """The venue's managers ``by`` may write to: active, e-mail verified, not
    ``by`` themselves, and not those who blocked ``by`` (the others stay
    reachable). Empty when the venue has nobody to answer."""
    from network.discussion.models import Block

    if venue.manager_group_id is None:
        return []
    managers = (
        venue.manager_group.user_set.filter(is_active=True)
        .exclude(pk=by.pk)
        .exclude(pk__in=Block.objects.filter(blocked=by).values("blocker"))
        .order_by("display_name", "pk")
    )
    return [user for user in managers if has_verified_email(user)]
