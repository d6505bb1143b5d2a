"""Template context of every page."""

from django.utils.functional import SimpleLazyObject

from members.freshness import request_generation


def content_generation(request):
    """``content_generation``: the key of every ``{% cache %}`` fragment of published content.

    Read only when a template uses it (lazily), and then from what the
    page-cache middleware already read for the request when it did.
    """
    return {"content_generation": SimpleLazyObject(lambda: request_generation(request))}
