"""Wagtail's first migrations create the "Moderators" and "Editors" groups, in
English, which staff then read in the French admin: give them French names.

Wagtail's own migrations find these groups by their English names, so this one
runs after the last of them. A group already renamed, or a French name already
taken, is left alone."""

from django.db import migrations

FRENCH_NAMES = {"Moderators": "Modérateurs", "Editors": "Éditeurs"}


def rename(apps, schema_editor, names=FRENCH_NAMES):
    Group = apps.get_model("auth", "Group")
    for old, new in names.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, names={new: old for old, new in FRENCH_NAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0015_labelled_empty_choices"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0002_initial_data"),
        ("wagtailimages", "0002_initial_data"),
    ]
    operations = [migrations.RunPython(rename, rename_back)]
