"""Shared by the migrations that (re)build the venues' search documents."""

from collections import defaultdict


def fill_venue_documents(apps, schema_editor):
    from members.search import search_document

    VenuePage = apps.get_model("members", "VenuePage")
    VenueTag = apps.get_model("members", "VenueTag")
    tags = defaultdict(list)
    for venue_id, name in VenueTag.objects.order_by("pk").values_list("content_object_id", "tag__name"):
        tags[venue_id].append(name)
    for venue in VenuePage.objects.select_related("commune"):
        venue.search_document = search_document(
            title=venue.title,
            summary=venue.summary,
            description=venue.description,
            commune=venue.commune.name if venue.commune else "",
            tags=tags[venue.pk],
            main_activity=venue.main_activity,
            secondary_activities=venue.secondary_activities,
        )
        venue.save(update_fields=["search_document"])
