"""Template context of every page."""

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from members.freshness import request_generation
from members.services import venues_managed_by


def content_generation(request):
    """``content_generation``: the key of every ``{% cache %}`` fragment of published content.

    Read only when a template uses it (lazily), and then from what the
    page-cache middleware already read for the request when it did.
    """
    return {"content_generation": SimpleLazyObject(lambda: request_generation(request))}


def managed_venues(request):
    """``managed_venues``: the venues the visitor manages (pk and title, by title).

    Read only when a template uses it, in one query, and never for an anonymous visitor.
    """
    user = getattr(request, "user", None)

    def load():
        if user is None or not user.is_authenticated:
            return []
        return list(venues_managed_by(user).order_by("title").only("pk", "title"))

    return {"managed_venues": SimpleLazyObject(load)}


@dataclass(frozen=True)
class HeaderLinks:
    """What the header shows a signed-in visitor: "Ma fiche" (their first venue by
    title, "Mes lieux (n)" past one) and "Administration"."""

    first_venue_id: int | None = None
    venue_count: int = 0
    admin: bool = False


def header_links(request):
    """``header_links``: read when the header is rendered, in one query for a member
    (the managed venues and the admin right together), none for an anonymous visitor."""
    user = getattr(request, "user", None)

    def load():
        if user is None or not user.is_authenticated:
            return HeaderLinks()
        from members.models import User

        first_venue_id, venue_count, admin = User.objects.header_facts(user, venues_managed_by(user))
        return HeaderLinks(first_venue_id, venue_count, admin or user.is_superuser)

    return {"header_links": SimpleLazyObject(load)}
