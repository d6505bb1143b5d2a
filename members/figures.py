"""Network figures (home page and directory): computed from published venues.

Not cached here: their HTML is, as the ``{% cache %}`` fragment named
``network_figures`` of the home and directory templates, keyed by the
content generation (``members.freshness``) and the language.
"""

from django.db.models import Count, Sum


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


network_figures = compute_figures
