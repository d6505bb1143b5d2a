"""Network figures (home page and directory): computed from published venues.

Not cached here: their HTML is, as the ``{% cache %}`` fragment named
``network_figures`` of the home and directory templates, keyed by the
content generation (``members.freshness``) and the language.
"""

from django.db.models import Count, Sum


def compute_figures(venues=None):
    """Totals and breakdowns in two queries (plus Wagtail's privacy check): by activity,
    whose sums are the totals, and by commune.

    ``venues``: the published venues (default ``VenuePage.objects.published()``; the API
    gives them with the privacy check in SQL, one query less).
    """
    from members.models import VenuePage

    if venues is None:
        venues = VenuePage.objects.published()
    by_activity = list(
        venues.values("main_activity")
        .annotate(count=Count("pk"), surface=Sum("surface_m2"), capacity=Sum("capacity"))
        .order_by("-count", "main_activity")
    )
    by_commune = list(
        venues.filter(commune__isnull=False)
        .values("commune__insee_code", "commune__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "commune__name")
    )
    return {
        "count": sum(row["count"] for row in by_activity),
        "surface_m2": sum(row["surface"] or 0 for row in by_activity),
        "capacity": sum(row["capacity"] or 0 for row in by_activity),
        "by_activity": [(row["main_activity"], row["count"]) for row in by_activity],
        "by_commune": [
            (row["commune__insee_code"], row["commune__name"], row["count"]) for row in by_commune
        ],
    }


network_figures = compute_figures
