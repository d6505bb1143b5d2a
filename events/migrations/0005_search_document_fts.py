from django.db import migrations

from members.search_index import operations


class Migration(migrations.Migration):
    dependencies = [("events", "0004_search_document"), ("members", "0011_search_document_fts")]
    operations = operations("events", "EventPage")
