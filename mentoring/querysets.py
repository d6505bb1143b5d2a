"""Reads of the compagnonnage, with the joins their listings need."""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

LIVE_PROPOSAL_STATUSES = ("pending_review", "awaiting_mentor")


def _count(model_name, **filters):
    from django.apps import apps

    model = apps.get_model("mentoring", model_name)
    rows = (
        model.objects.filter(mentor=OuterRef("pk"), **filters)
        .order_by()
        .values("mentor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), Value(0))


class MentorProfileQuerySet(models.QuerySet):
    def with_load(self):
        """``active_count`` (active pairings) and ``live_count`` (proposals reviewed or awaiting)."""
        return self.annotate(
            active_count=_count("Pairing", status="active"),
            live_count=_count("Proposal", status__in=LIVE_PROPOSAL_STATUSES),
        )

    def available(self):
        """Profiles switched on, of published venues."""
        return self.filter(is_active=True, venue__live=True)

    def for_matching(self):
        return self.available().select_related("venue", "venue__commune").with_load()

    def for_listing(self):
        return self.select_related("venue", "venue__commune").with_load()

    def managed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(venue__manager_group__in=user.groups.all())


class MentoringRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status="open")

    def current(self):
        return self.filter(status__in=("open", "proposed", "paired"))

    def for_listing(self):
        return self.select_related("applicant", "commune")


class ProposalQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_PROPOSAL_STATUSES)

    def pending_review(self):
        return self.filter(status="pending_review")

    def awaiting_mentor(self):
        return self.filter(status="awaiting_mentor")

    def overdue(self, now):
        return self.awaiting_mentor().filter(deadline__lt=now)

    def for_listing(self):
        return self.select_related(
            "request__applicant", "request__commune", "mentor__venue", "mentor__venue__commune"
        )

    def for_managers_of(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(mentor__venue__manager_group__in=user.groups.all())


class PairingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

    def completed(self):
        return self.filter(status="completed")

    def for_listing(self):
        return self.select_related("request__applicant", "request__commune", "mentor__venue", "room")

    def visible_to(self, user):
        """The pair (the newcomer and the mentor venue's managers) and staff."""
        from network.permissions import is_staff_member

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_staff_member(user):
            return self
        return self.filter(
            Q(request__applicant=user) | Q(mentor__venue__manager_group__in=user.groups.all())
        ).distinct()
