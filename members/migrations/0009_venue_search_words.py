"""Venue search documents in the site search's format: words cut at hyphens and
apostrophes, French plurals dropped, compounds in both spellings."""

from django.db import migrations

from members.migrations import _search_documents


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_claims_plain_text"),
    ]

    operations = [
        migrations.RunPython(_search_documents.fill_venue_documents, migrations.RunPython.noop),
    ]
