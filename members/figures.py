"""Network figures (home page and directory): computed from published venues, cached.

The figures and their rendered HTML (the ``{% cache %}`` fragment named
``network_figures``, by language, in the home and directory templates) are
cleared by the Wagtail signal handlers in ``members.signals`` whenever a
venue is published, unpublished or deleted.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db.models import Count, Sum

CACHE_KEY = "members:network-figures:v1"
CACHE_TIMEOUT = 6 * 60 * 60  # a safety net; the signals do the real invalidation
FRAGMENT = "network_figures"


def compute_figures():
    """Totals and breakdowns in three queries (plus Wagtail's privacy check)."""
    from members.models import VenuePage

    venues = VenuePage.objects.published()
    totals = venues.aggregate(count=Count("pk"), surface=Sum("surface_m2"), capacity=Sum("capacity"))
    by_activity = list(
        venues.values("main_activity").annotate(count=Count("pk")).order_by("-count", "main_activity")
    )
    by_commune = list(
        venues.filter(commune__isnull=False)
        .values("commune__insee_code", "commune__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "commune__name")
    )
    return {
        "count": totals["count"] or 0,
        "surface_m2": totals["surface"] or 0,
        "capacity": totals["capacity"] or 0,
        "by_activity": [(row["main_activity"], row["count"]) for row in by_activity],
        "by_commune": [
            (row["commune__insee_code"], row["commune__name"], row["count"]) for row in by_commune
        ],
    }


def network_figures():
    return cache.get_or_set(CACHE_KEY, compute_figures, CACHE_TIMEOUT)


def invalidate_figures(**kwargs):
    fragments = [make_template_fragment_key(FRAGMENT, [code]) for code, _name in settings.LANGUAGES]
    cache.delete_many([CACHE_KEY, *fragments])
