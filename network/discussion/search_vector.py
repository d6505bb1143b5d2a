"""The full-text vector of a message (PostgreSQL), shared by the model's
generated column and the search: French stemming over unaccented words, so
"reunion" finds "réunion" and "réunions".

``french_unaccent`` is a text search configuration created by migration
``0005_search_and_files`` (a copy of ``french`` whose words pass through the
``unaccent`` dictionary before the French stemmer). On other databases the
column holds nothing and the search falls back to ``icontains``.
"""

from django.contrib.postgres.search import SearchVector

CONFIG = "french_unaccent"


class MessageVector(SearchVector):
    """``to_tsvector('french_unaccent', body)`` on PostgreSQL; NULL elsewhere
    (SQLite has no ``to_tsvector``: its search reads the body itself)."""

    def __init__(self, *expressions, **extra):
        extra.setdefault("config", CONFIG)
        super().__init__(*expressions, **extra)

    def as_sql(self, compiler, connection, *args, **kwargs):
        if connection.vendor != "postgresql":
            return "NULL", []
        return super().as_sql(compiler, connection, *args, **kwargs)
