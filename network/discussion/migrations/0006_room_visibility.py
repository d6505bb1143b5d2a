"""Rooms carry their visibility. Existing rooms get the one their owning app
gives them from now on; until this migration the same rules were read from
the room's kind inside the discussion app."""

from django.db import migrations, models

# The rules the kinds stood for, as they stood when this migration was written.
VISIBILITY_OF_KIND = {
    "topic": "public",  # every member reads it and finds it listed
    "venue": "open",  # every member reads it; listed once joined, and for staff
    "event": "staff",  # its participants and staff
    "private": "members",  # a mentoring pairing's members only
    "direct": "members",  # a conversation's members only
}


def set_visibility(apps, schema_editor):
    Room = apps.get_model("discussion", "Room")
    for kind, visibility in VISIBILITY_OF_KIND.items():
        Room.objects.filter(kind=kind).update(visibility=visibility)


def keep_kinds(apps, schema_editor):
    """Going back, the kinds hold the rules again and the column is dropped: nothing to do."""


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0005_search_and_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="room",
            name="visibility",
            field=models.CharField(
                choices=[
                    ("public", "tous les membres"),
                    ("open", "tous les membres, depuis son adresse"),
                    ("staff", "ses membres et l'équipe du réseau"),
                    ("members", "ses membres seulement"),
                ],
                default="members",
                max_length=10,
                verbose_name="visibilité",
            ),
        ),
        migrations.RunPython(set_visibility, keep_kinds, elidable=False),
        migrations.AddConstraint(
            model_name="room",
            constraint=models.CheckConstraint(
                condition=(~models.Q(kind="topic") | models.Q(visibility="public"))
                & (~models.Q(kind="direct") | models.Q(visibility="members")),
                name="discussion_room_kind_visibility",
            ),
        ),
    ]
