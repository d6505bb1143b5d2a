"""Figures of the compagnonnage for the network and its funders, and their CSV export."""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.matching import SMALL_COMMUNE_POPULATION
from mentoring.models import MentoringRequest, MentorProfile, Pairing

SECONDS_PER_DAY = 86_400


@dataclass
class MentorLoad:
    venue: str
    active: int
    pending: int
    capacity: int


@dataclass
class Figures:
    open_requests: int = 0
    proposed_requests: int = 0
    average_wait_days: float | None = None
    current_wait_days: float | None = None
    active_pairings: int = 0
    completed_pairings: int = 0
    projects_opened: int = 0
    served: int = 0
    served_qpv: int = 0
    served_small_commune: int = 0
    served_priority: int = 0
    loads: list[MentorLoad] = field(default_factory=list)

    def share(self, count):
        return round(100 * count / self.served, 1) if self.served else None

    @property
    def share_qpv(self):
        return self.share(self.served_qpv)

    @property
    def share_small_commune(self):
        return self.share(self.served_small_commune)

    @property
    def share_priority(self):
        return self.share(self.served_priority)


def _mean_days(durations):
    durations = list(durations)
    if not durations:
        return None
    return round(sum(d.total_seconds() for d in durations) / len(durations) / SECONDS_PER_DAY, 1)


def compute(now=None):
    """Every figure in a handful of queries (no query per row)."""
    now = now or timezone.now()
    counts = {
        row["status"]: row["n"]
        for row in MentoringRequest.objects.order_by().values("status").annotate(n=Count("pk"))
    }
    waiting = MentoringRequest.objects.filter(status__in=["open", "proposed"]).values_list(
        "submitted_at", flat=True
    )
    pairings = list(
        Pairing.objects.values_list(
            "status",
            "started_at",
            "request__submitted_at",
            "project_opened",
            "request__in_qpv",
            "request__commune__population",
        )
    )
    small = [p for p in pairings if p[5] and p[5] < SMALL_COMMUNE_POPULATION]
    figures = Figures(
        open_requests=counts.get("open", 0),
        proposed_requests=counts.get("proposed", 0),
        average_wait_days=_mean_days(started - submitted for _s, started, submitted, *_rest in pairings),
        current_wait_days=_mean_days(now - submitted for submitted in waiting),
        active_pairings=sum(1 for p in pairings if p[0] == Pairing.Status.ACTIVE),
        completed_pairings=sum(1 for p in pairings if p[0] == Pairing.Status.COMPLETED),
        projects_opened=sum(1 for p in pairings if p[3] is True),
        served=len(pairings),
        served_qpv=sum(1 for p in pairings if p[4]),
        served_small_commune=len(small),
        served_priority=sum(1 for p in pairings if p[4] or (p[5] and p[5] < SMALL_COMMUNE_POPULATION)),
    )
    for profile in MentorProfile.objects.for_listing().filter(Q(is_active=True) | Q(active_count__gt=0)):
        figures.loads.append(
            MentorLoad(profile.venue.title, profile.active_count, profile.live_count, profile.capacity)
        )
    return figures


def rows(figures):
    """``(indicator, value)`` rows, the same in the admin page and the CSV."""

    def fmt(value):
        return "" if value is None else value

    yield _("Demandes en attente d'un lieu compagnon"), figures.open_requests
    yield _("Demandes avec une proposition en cours"), figures.proposed_requests
    yield _("Attente moyenne avant un compagnonnage (jours)"), fmt(figures.average_wait_days)
    yield _("Ancienneté moyenne des demandes en attente (jours)"), fmt(figures.current_wait_days)
    yield _("Compagnonnages en cours"), figures.active_pairings
    yield _("Compagnonnages terminés"), figures.completed_pairings
    yield _("Projets ouverts à l'issue du compagnonnage"), figures.projects_opened
    yield _("Projets accompagnés"), figures.served
    yield _("Part des projets accompagnés en QPV (%)"), fmt(figures.share_qpv)
    yield (
        _("Part des projets accompagnés en commune périurbaine ou rurale (%)"),
        fmt(figures.share_small_commune),
    )
    yield _("Part des projets prioritaires accompagnés (%)"), fmt(figures.share_priority)


def to_csv(figures):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("indicateur"), _("valeur")])
    writer.writerows(rows(figures))
    writer.writerow([])
    writer.writerow(
        [_("lieu compagnon"), _("compagnonnages en cours"), _("propositions en cours"), _("capacité")]
    )
    for load in figures.loads:
        writer.writerow([load.venue, load.active, load.pending, load.capacity])
    return out.getvalue()
