"""Reads of venues: querysets used by the directory, the feeds and the figures."""

from django.db.models import Q
from wagtail.models import PageQuerySet


class VenuePageQuerySet(PageQuerySet):
    def published(self):
        """What the public sees: live, not in a private section."""
        return self.live().public()

    def for_listing(self):
        """Everything a card, a map marker or an export row reads, in a fixed number of queries."""
        return self.select_related("commune").prefetch_related("tags")

    def with_activity(self, code):
        # Codes never contain one another, and the field stores them space-separated.
        return self.filter(Q(main_activity=code) | Q(secondary_activities__regex=rf"(^| ){code}( |$)"))

    def with_tag(self, slug):
        from members.models import VenueTag

        return self.filter(pk__in=VenueTag.objects.filter(tag__slug=slug).values("content_object_id"))

    def matching(self, text):
        """Plain ``icontains`` search on name, summary and tags (same results on SQLite and PostgreSQL)."""
        from members.models import VenueTag

        tagged = VenueTag.objects.filter(tag__name__icontains=text).values("content_object_id")
        return self.filter(
            Q(title__icontains=text)
            | Q(summary__icontains=text)
            | Q(commune__name__icontains=text)
            | Q(pk__in=tagged)
        )
