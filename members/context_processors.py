"""Template context of every page."""

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
    """``managed_venues``: the venues the visitor manages, for the header's "Ma fiche".

    Read only when a template uses it, in one query, and never for an anonymous visitor.
    """
    user = getattr(request, "user", None)

    def load():
        if user is None or not user.is_authenticated:
            return []
        return list(venues_managed_by(user).order_by("title").only("pk", "title"))

    return {"managed_venues": SimpleLazyObject(load)}
