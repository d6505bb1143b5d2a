"""The migration that gives existing rooms their visibility, forwards and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("discussion", "0005_search_and_files")]
AFTER = [("discussion", "0006_room_visibility")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rooms_get_the_visibility_their_kind_stood_for_and_it_goes_back():
    old = _migrate(BEFORE).get_model("discussion", "Room")
    for kind in ("topic", "venue", "event", "private", "direct"):
        old.objects.create(slug=f"salon-{kind}", title=kind, kind=kind)
    try:
        new = _migrate(AFTER).get_model("discussion", "Room")
        assert dict(new.objects.values_list("kind", "visibility")) == {
            "topic": "public",
            "venue": "open",
            "event": "staff",
            "private": "members",
            "direct": "members",
        }
        old = _migrate(BEFORE).get_model("discussion", "Room")
        assert old.objects.count() == 5
        assert "visibility" not in {field.name for field in old._meta.get_fields()}
    finally:
        _migrate(AFTER)
