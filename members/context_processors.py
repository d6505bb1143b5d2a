"""Template context of every page."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.functional import SimpleLazyObject

from members.freshness import TIMEOUT, request_generation
from members.services import venues_managed_by

HEADER_KEY = "members:header:v1:{}"  # (generation, first venue id, venue count, admin right)


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
    """``header_links``: read when the header is rendered, none for an anonymous visitor.

    For a member, from the cache: the query that reads them (the managed venues
    and the admin right together) costs more CPU than the rest of the header.
    An entry holds for its content generation (a venue renamed, unpublished or
    deleted renews it) and until the member's groups or rights change
    (``forget_header_links``, on ``members.signals.roles_changed``).
    """
    user = getattr(request, "user", None)

    def load():
        if user is None or not user.is_authenticated:
            return HeaderLinks()
        from members.models import User

        current = request_generation(request)
        key = HEADER_KEY.format(user.pk)
        entry = cache.get(key)
        if entry is None or entry[0] != current:
            entry = (current, *User.objects.header_facts(user, venues_managed_by(user)))
            cache.set(key, entry, TIMEOUT)
        _generation, first_venue_id, venue_count, admin = entry
        return HeaderLinks(first_venue_id, venue_count, admin or user.is_superuser)

    return {"header_links": SimpleLazyObject(load)}


def forget_header_links(sender=None, users=(), **kwargs):
    """Users' groups or rights changed: their header is read again after the commit."""
    keys = [HEADER_KEY.format(user.pk) for user in users]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))
