"""Draft venues created in bulk by an import are the same drafts as ``create_venue`` makes."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, PageLogEntry, Revision

from members.models import Commune, VenuePage
from members.services import create_draft_venues, create_venue


def _records(commune, count, **extra):
    return [
        {
            "title": f"Atelier partagé {number}",
            "summary": "Un lieu pour fabriquer ensemble.",
            "commune": commune,
            "latitude": 50.63,
            "longitude": 3.06,
            "source": "geojson",
            "source_id": f"a{number}",
            **extra,
        }
        for number in range(count)
    ]


def test_bulk_drafts_are_whole_unpublished_pages(venue_index, make_venue, staff_user):
    lille = Commune.objects.get(insee_code="59350")
    make_venue(title="Atelier partagé 0", slug="atelier-partagé-0", commune=lille)  # its slug is taken
    records = _records(lille, 3)
    records[1]["tags"] = ["impression 3D", "café"]
    venues = create_draft_venues(records, by=staff_user, parent=venue_index)

    assert Page.find_problems() == ([], [], [], [], [])  # treebeard: paths, depths, numchild sound
    assert venue_index.get_children().count() == 4
    first = VenuePage.objects.get(pk=venues[0].pk)
    assert first.slug == "atelier-partagé-0-2"
    assert first.url_path == f"{venue_index.url_path}atelier-partagé-0-2/"
    assert not first.live and first.has_unpublished_changes
    assert first.source_id == "a0" and first.commune == lille
    assert first.room is not None and first.room.kind == "venue"
    assert len({venue.room_id for venue in venues}) == 3
    revision = first.latest_revision
    assert revision.user == staff_user and revision.content["title"] == "Atelier partagé 0"
    assert Revision.page_revisions.filter(object_id=str(first.pk)).count() == 1
    log = PageLogEntry.objects.get(page=first)
    assert log.action == "wagtail.edit" and log.revision == revision and log.user == staff_user
    tagged = VenuePage.objects.get(pk=venues[1].pk)
    assert tagged.tag_names == ["café", "impression 3D"]
    assert "impression" in tagged.search_document
    assert sorted(tag["tag"] for tag in tagged.latest_revision.content["tagged_items"]) == sorted(
        tag.pk for tag in tagged.tags.all()
    )
    # Wagtail's own search index holds the drafts (the admin search lists them).
    assert venues[2].pk in [hit.pk for hit in VenuePage.objects.search("Atelier")]

    # Publishing the draft's revision gives the live venue with its tags, as for create_venue.
    tagged.latest_revision.publish(user=staff_user)
    tagged.refresh_from_db()
    assert tagged.live and tagged.tag_names == ["café", "impression 3D"]

    # A venue created one at a time afterwards takes the next free place in the tree.
    later = create_venue({"title": "Après l'import", "commune": lille}, by=staff_user, parent=venue_index)
    assert later.path > venues[-1].path
    assert Page.find_problems() == ([], [], [], [], [])


def test_bulk_drafts_take_few_queries(venue_index, staff_user, django_assert_max_num_queries):
    lille = Commune.objects.get(insee_code="59350")
    with django_assert_max_num_queries(60 + 60):  # one insert per venue's own row, the rest per batch
        venues = create_draft_venues(_records(lille, 60), by=staff_user, parent=venue_index)
    assert len(venues) == 60
    assert VenuePage.objects.filter(live=False, latest_revision__isnull=False).count() == 60
    assert ContentType.objects.get_for_model(venues[0]) == venues[0].content_type
