"""Each venue has a discussion room, created with it and moderated by its managers."""

import pytest

from members.services import attach_manager, create_venue, detach_manager
from network.discussion.models import Room, RoomMembership
from network.discussion.permissions import can_moderate_room, can_read_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue(venue, staff_user):
    """The venue, published through Wagtail as an editor would."""
    venue.save_revision(user=staff_user).publish(user=staff_user)
    venue.refresh_from_db()
    return venue


@pytest.fixture
def other_venue(other_venue, staff_user):
    other_venue.save_revision(user=staff_user).publish(user=staff_user)
    return other_venue


def test_a_venue_created_by_the_service_has_its_room(site_tree, staff_user):
    from tests.factories.venues import commune

    venue = create_venue({"title": "L'Atelier du Coin", "commune": commune()}, by=staff_user, publish=True)
    venue.refresh_from_db()
    assert venue.room.kind == Room.Kind.VENUE
    assert venue.room.title == "L'Atelier du Coin"


def test_a_venue_published_from_the_admin_gets_one_room_and_keeps_it(venue, staff_user):
    venue.refresh_from_db()
    room = venue.room
    assert room is not None
    # Publishing an older revision never drops nor duplicates the room.
    old_revision = venue.save_revision(user=staff_user)
    venue.title = "La Coroutine (nouveau nom)"
    venue.save_revision(user=staff_user).publish(user=staff_user)
    old_revision.publish(user=staff_user)
    venue.refresh_from_db()
    assert venue.room == room
    assert Room.objects.filter(kind=Room.Kind.VENUE, venue=venue).count() == 1


def test_managers_moderate_the_venue_room_until_detached(venue, manager, member, staff_user):
    venue.refresh_from_db()
    assert RoomMembership.objects.get(room=venue.room, user=manager).role == RoomMembership.Role.MODERATOR
    assert can_moderate_room(manager, venue.room)
    assert can_read_room(member, venue.room)
    assert not can_moderate_room(member, venue.room)
    detach_manager(venue, manager, by=staff_user)
    assert not can_moderate_room(manager, venue.room)


def test_manager_of_another_venue_does_not_moderate_this_room(venue, other_venue, staff_user):
    from tests.factories import VerifiedUserFactory

    other_manager = VerifiedUserFactory()
    attach_manager(other_venue, other_manager, by=staff_user)
    venue.refresh_from_db()
    assert not can_moderate_room(other_manager, venue.room)


def test_venue_page_links_to_its_room(client, venue):
    venue.refresh_from_db()
    html = client.get(venue.url).content.decode()
    assert f"/discussions/{venue.room.slug}/" in html


def test_the_venue_room_is_open_to_every_member_and_moderated_by_its_managers(
    venue, other_venue, manager, member, staff_user
):
    """The venue app sets its room's visibility: every member reads it and writes
    in it from the venue's page (listed once they did), its managers and staff
    moderate it, a manager of another venue is one more member."""
    from django.contrib.auth.models import AnonymousUser

    from network.discussion import services as discussion
    from tests.discussion.access import LISTED, MODERATES, NOTHING, READ, access
    from tests.factories import UserFactory, VerifiedUserFactory

    venue.refresh_from_db()
    room = venue.room
    assert room.visibility == Room.Visibility.OPEN
    other_manager = VerifiedUserFactory()
    attach_manager(other_venue, other_manager, by=staff_user)
    assert access(AnonymousUser(), room) == NOTHING
    assert access(UserFactory(), room) == NOTHING
    assert access(member, room) == READ
    assert access(other_manager, room) == READ
    assert access(manager, room) == MODERATES
    assert access(staff_user, room) == MODERATES
    discussion.post_message(room, by=member, body="Bonjour, vous ouvrez le samedi ?")
    assert access(member, room) == LISTED


def test_imported_venues_get_open_rooms(venue_index, staff_user):
    from members.services import create_draft_venues
    from tests.factories.venues import commune

    records = [
        {"title": title, "commune": commune(), "source": "geojson", "source_id": title}
        for title in ("Le Garage", "La Serre")
    ]
    venues = create_draft_venues(records, by=staff_user, parent=venue_index)
    rooms = Room.objects.filter(pk__in=[venue.room_id for venue in venues])
    assert [(room.kind, room.visibility) for room in rooms] == [(Room.Kind.VENUE, Room.Visibility.OPEN)] * 2
