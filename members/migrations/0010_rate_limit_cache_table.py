"""The table of the database cache that keeps the rate limits (allauth's logins,
sign-ups..., the discussion's posts) while Redis is down (``network/cache_backends.py``)."""

from django.core.management import call_command
from django.db import migrations

TABLE = "network_rate_limit_cache"  # settings.RATE_LIMIT_CACHE_TABLE, frozen here


def create_table(apps, schema_editor):
    # createcachetable skips a table that exists already.
    call_command(
        "createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("members", "0009_venue_search_words")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
