from collections import defaultdict

from django.db import migrations, models


def fill_search_documents(apps, schema_editor):
    from events.search import event_document

    EventPage = apps.get_model("events", "EventPage")
    EventTag = apps.get_model("events", "EventTag")
    tags = defaultdict(list)
    for event_id, name in EventTag.objects.order_by("pk").values_list("content_object_id", "tag__name"):
        tags[event_id].append(name)
    for event in EventPage.objects.select_related("venue__commune", "commune"):
        venue = event.venue
        commune = event.commune or (venue.commune if venue else None)
        event.search_document = event_document(
            title=event.title,
            summary=event.summary,
            body=event.body,
            tags=tags[event.pk],
            kind=event.kind,
            place_names=[venue.title if venue else "", commune.name if commune else ""],
            organizer_name=event.organizer_name,
        )
        event.save(update_fields=["search_document"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_eventpage_is_private"),
        ("members", "0009_venue_search_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="eventpage",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_documents, migrations.RunPython.noop),
    ]
