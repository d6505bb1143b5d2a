"""Full-text search of messages (PostgreSQL: ``unaccent``, a French
configuration that unaccents before stemming, a generated ``tsvector`` column
and its GIN index; nothing of it on SQLite) and attached files."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations, models

import network.discussion.models
import network.discussion.search_vector

CONFIG = "french_unaccent"
# French stemming over unaccented words ("Réunions" and "reunion" are one word).
CREATE_CONFIGURATION = """
DO $$ BEGIN
IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION french_unaccent
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
END IF;
END $$
"""
INDEX = "discussion_msg_search"


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_CONFIGURATION)


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON "discussion_message" USING gin ("search_vector")'
        )
        # The search reads the newest matches first (ORDER BY id DESC LIMIT n): the
        # planner walks the primary key for a common word and the GIN index for a
        # rare one, which it can tell only if the statistics keep rare words too
        # (at the default target a word it does not know looks 20 times commoner
        # than it is, and a search for it reads the whole table).
        schema_editor.execute(
            'ALTER TABLE "discussion_message" ALTER COLUMN "search_vector" SET STATISTICS 1000'
        )


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(
            'ALTER TABLE "discussion_message" ALTER COLUMN "search_vector" SET STATISTICS -1'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0004_direct_conversations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        UnaccentExtension(),  # a trusted extension: the database owner may create it
        migrations.RunPython(create_configuration, drop_configuration),
        migrations.AddField(
            model_name="message",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=network.discussion.search_vector.MessageVector("body"),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.RunPython(add_index, remove_index),
        migrations.CreateModel(
            name="Attachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("image", "image"), ("pdf", "PDF")], max_length=8, verbose_name="type"
                    ),
                ),
                ("content_type", models.CharField(max_length=40, verbose_name="type MIME")),
                ("name", models.CharField(max_length=120, verbose_name="nom")),
                ("size", models.PositiveIntegerField(verbose_name="taille (octets)")),
                ("width", models.PositiveIntegerField(blank=True, null=True)),
                ("height", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        storage=network.discussion.models.attachment_storage,
                        upload_to="files/%Y/%m/",
                        verbose_name="fichier",
                    ),
                ),
                (
                    "thumbnail",
                    models.FileField(
                        blank=True,
                        max_length=200,
                        storage=network.discussion.models.attachment_storage,
                        upload_to="thumbnails/%Y/%m/",
                        verbose_name="vignette",
                    ),
                ),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="envoyé le")),
                (
                    "message",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachment",
                        to="discussion.message",
                    ),
                ),
                (
                    "room",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="discussion.room",
                    ),
                ),
                (
                    "uploader",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="discussion_attachments",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "fichier joint",
                "verbose_name_plural": "fichiers joints",
                "ordering": ["id"],
            },
        ),
    ]
