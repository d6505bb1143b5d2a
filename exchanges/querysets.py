"""Reads of needs and offers: what the list shows, and the filters it applies."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone


class PostQuerySet(QuerySet):
    def listed(self):
        """What the public list shows: neither hidden, closed nor expired."""
        return self.filter(hidden=False, closed_at__isnull=True, expires_on__gte=timezone.localdate())

    def for_listing(self):
        return self.select_related("commune", "venue", "author")

    def matching(self, text):
        """Posts whose title or description holds every word of ``text``."""
        condition = Q()
        for word in text.split()[:10]:
            condition &= Q(title__icontains=word) | Q(description__icontains=word)
        return self.filter(condition)

    def by_author(self, user):
        return self.filter(author=user) if user.is_authenticated else self.none()

    def with_open_reports(self):
        return self.annotate(open_reports=Count("reports", filter=Q(reports__resolved=False)))
