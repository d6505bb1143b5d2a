from django.db import migrations

from members.search_index import operations


class Migration(migrations.Migration):
    dependencies = [("members", "0010_rate_limit_cache_table")]
    operations = operations("members", "VenuePage")
