"""Wagtail's first migrations name the default workflow and its task after the
"Moderators" group, in English ("Moderators approval"), which a venue manager
then reads in the publish menu of the French admin: give them a French name.
Names an editor has changed are left alone."""

from django.db import migrations

WAGTAIL_NAME = "Moderators approval"
FRENCH_NAME = "Validation par l'équipe du réseau"


def rename(apps, schema_editor, old=WAGTAIL_NAME, new=FRENCH_NAME):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=FRENCH_NAME, new=WAGTAIL_NAME)


class Migration(migrations.Migration):
    dependencies = [("home", "0003_search_document_fts"), ("wagtailcore", "0048_add_default_workflows")]
    operations = [migrations.RunPython(rename, rename_back)]
