"""Reads of events: every listing goes through these, with what it needs joined."""

import functools

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import PageQuerySet


class EventPageQuerySet(PageQuerySet):
    def published(self):
        """Live, public and not private: what every listing, feed and count reads."""
        from members.querysets import outside_private_sections

        return self.live().filter(outside_private_sections(), is_private=False)

    def for_listing(self):
        return self.select_related("venue", "venue__commune", "commune")

    def for_page(self):
        """What an event's page reads, joined: its venue and communes, and
        ``has_questions`` (``EventPage.asks_questions``)."""
        from events.models import RegistrationQuestion

        asks = Exists(RegistrationQuestion.objects.filter(page=OuterRef("pk")))
        return self.for_listing().annotate(has_questions=asks)


class OccurrenceQuerySet(models.QuerySet):
    def published(self):
        """Occurrences of live, public, non-private events."""
        from events.models import EventPage

        return self.filter(event__in=EventPage.objects.published().values("pk"))

    def for_listing(self):
        return self.select_related("event", "event__venue", "event__venue__commune", "event__commune")

    def with_counts(self):
        """Annotate ``confirmed_count`` (seats taken: each party counts its guests)
        and ``waitlist_count`` (people waiting, guests included).

        One correlated subquery each rather than a join and GROUP BY: a page of
        30 occurrences out of thousands counts the registrations of those 30
        only (PostgreSQL evaluates the subqueries after the sort and limit).
        """
        from events.models import Registration

        def count(status):
            rows = Registration.objects.filter(occurrence=OuterRef("pk"), status=status).order_by()
            seats = rows.values("occurrence").annotate(n=Sum(F("guests") + 1)).values("n")
            return Coalesce(Subquery(seats), 0)

        return self.annotate(confirmed_count=count("confirmed"), waitlist_count=count("waitlisted"))

    def with_registration_of(self, user):
        """Annotate ``my_status`` (``user``'s confirmed or waitlisted registration, else
        ``None``) and ``my_rank`` (their place on the waiting list): inside the listing's
        own query, not one more."""
        from events.models import Registration

        active = Registration.objects.active().filter(user=user).order_by()
        mine = active.filter(occurrence=OuterRef("pk"))
        my_pk = active.filter(occurrence=OuterRef(OuterRef("pk")))
        ahead = (
            Registration.objects.filter(
                status="waitlisted", occurrence=OuterRef("pk"), pk__lte=Subquery(my_pk.values("pk")[:1])
            )
            .order_by()
            .values("occurrence")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(my_status=Subquery(mine.values("status")[:1]), my_rank=Subquery(ahead))

    def upcoming(self, now=None):
        """Not over yet (an occurrence under way is still "upcoming")."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def between(self, start, end):
        """Overlapping the half-open interval [start, end)."""
        return self.filter(start__lt=end, end__gte=start)

    def network(self):
        """Occurrences of the network's own meetups (events under the calendar page)."""
        from events.models import EventIndexPage

        index = EventIndexPage.objects.only("path").first()
        if index is None:
            return self.none()
        return self.filter(event__path__startswith=index.path)

    def with_effective_status(self, status):
        """Whose ``Occurrence.effective_status`` is ``status``: the event's own status applies.

        A date is cancelled when it or its event is; else postponed when it or
        its event is; else scheduled (an event "full" is still scheduled).
        """
        from events.vocabulary import EventStatus, OccurrenceStatus

        cancelled = Q(status=OccurrenceStatus.CANCELLED) | Q(event__status=EventStatus.CANCELLED)
        postponed = Q(status=OccurrenceStatus.POSTPONED) | Q(event__status=EventStatus.POSTPONED)
        if status == OccurrenceStatus.CANCELLED:
            return self.filter(cancelled)
        if status == OccurrenceStatus.POSTPONED:
            return self.filter(postponed).exclude(cancelled)
        return self.exclude(cancelled).exclude(postponed)

    def at_venue(self, venue):
        """Held at ``venue`` (its own events and the network's meetups hosted there)."""
        return self.filter(Q(event__venue=venue) | Q(event__path__startswith=venue.path))


@functools.cache
def _tag_rows():
    """``(event id, slug, name)`` of every event tag, in the order added: built once per
    process (a listing filters a clone), its joins resolved once."""
    from events.models import EventTag

    return EventTag.objects.order_by("pk").values_list("content_object_id", "tag__slug", "tag__name")


def tags_by_event(event_ids):
    """``{event id: [(slug, name), ...]}`` for these events, in one query (order added)."""
    from collections import defaultdict

    tags = defaultdict(list)
    for event_id, slug, name in _tag_rows().filter(content_object_id__in=event_ids):
        tags[event_id].append((slug, name))
    return tags


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=["confirmed", "waitlisted"])

    def confirmed(self):
        return self.filter(status="confirmed")

    def waitlisted(self):
        return self.filter(status="waitlisted").order_by("pk")

    def seat_count(self):
        """Seats these registrations take (each party: one plus its guests)."""
        return self.aggregate(n=Coalesce(Sum(F("guests") + 1), 0))["n"]

    def hold_expired(self, now=None):
        """Visitors' registrations whose confirmation link was not followed in time."""
        return self.active().filter(hold_expires_at__lt=now or timezone.now())

    def for_attendee_list(self):
        return self.select_related("user").prefetch_related("answers")

    def with_positions(self):
        """Annotate ``waitlist_rank``: 1 for the first in line (meaningful on waitlisted rows only)."""
        ahead = (
            type(self)(self.model, using=self._db)
            .filter(status="waitlisted", occurrence_id=OuterRef("occurrence_id"), pk__lte=OuterRef("pk"))
            .order_by()
            .values("occurrence_id")
            .annotate(rank=Count("pk"))
            .values("rank")
        )
        return self.annotate(waitlist_rank=Subquery(ahead))
