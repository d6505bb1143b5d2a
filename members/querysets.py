"""Reads of venues: querysets used by the directory, the feeds and the figures."""

from collections import defaultdict

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Length, Substr
from wagtail.models import PageQuerySet


def outside_private_sections():
    """The condition of Wagtail's ``public()`` (in no section under a view restriction)
    as one ``NOT EXISTS`` inside the listing's own query: ``public()`` reads every
    restriction in a query of its own first, each time a listing is built."""
    from wagtail.models import PageViewRestriction

    below_restriction = PageViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("path"), 1, Length("page__path"))
    ).filter(prefix=F("page__path"))
    return ~Exists(below_restriction)


class VenuePageQuerySet(PageQuerySet):
    def published(self):
        """What the public sees: live, not in a private section."""
        return self.live().filter(outside_private_sections())

    def for_listing(self):
        """Venues with their commune and tags, in a fixed number of queries (the importer).

        Tags come as a plain list (read through ``VenuePage.tag_list``), in
        the order they were added, as on the venue's page: prefetched into the
        tag manager instead, they would cost one taggit queryset built per
        venue, more than the query itself. The directory and the exports read
        ``values()`` instead.
        """
        from members.models import VenueTag

        tagged = VenueTag.objects.select_related("tag").order_by("pk")
        return self.select_related("commune").prefetch_related(
            Prefetch("tagged_items", queryset=tagged, to_attr="listed_tagged_items")
        )

    def with_activity(self, code):
        # Codes never contain one another, and the field stores them space-separated.
        return self.filter(Q(main_activity=code) | Q(secondary_activities__regex=rf"(^| ){code}( |$)"))

    def with_tag(self, slug):
        from members.models import VenueTag

        return self.filter(pk__in=VenueTag.objects.filter(tag__slug=slug).values("content_object_id"))

    def matching(self, text):
        """Venues whose search document holds every word of ``text`` (``members.search``)."""
        from members.search import matching_q

        condition = matching_q("search_document", text)
        return self.none() if condition is None else self.filter(condition)


class VenueTagQuerySet(QuerySet):
    def by_venue(self, venue_ids):
        """``{venue id: [(slug, name), ...]}`` for these venues, in one query.

        Each list is in the order the tags were added, as on the venue's page.
        """
        tags = defaultdict(list)
        pairs = self.filter(content_object_id__in=venue_ids).order_by("pk")
        for venue_id, slug, name in pairs.values_list("content_object_id", "tag__slug", "tag__name"):
            tags[venue_id].append((slug, name))
        return tags
