"""The GIN index of a page type's search document, for its migrations (PostgreSQL only).

Built from ``members.search.full_text_vector``, the very expression the
search filters on, so the planner uses it; other databases get no index
(their search is a ``LIKE`` per word).
"""


def index_name(model_name):
    return f"{model_name[:20]}_search_fts"


def operations(app_label, model_name):
    """``RunPython`` operations adding and removing the index of ``app_label.model_name``."""
    from django.db import migrations

    def index(apps):
        from django.contrib.postgres.indexes import GinIndex

        from members.search import full_text_vector

        model = apps.get_model(app_label, model_name)
        return model, GinIndex(full_text_vector("search_document"), name=index_name(model_name.lower()))

    def add(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(*index(apps))

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(*index(apps))

    return [migrations.RunPython(add, remove)]
