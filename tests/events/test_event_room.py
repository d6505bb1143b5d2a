"""An event's room: the events app makes it for its confirmed participants and
staff (its visibility), whatever else the person is on the network."""

import pytest
from django.contrib.auth.models import AnonymousUser

from events import services
from network.discussion.models import Room
from tests.discussion.access import LISTED, MODERATES, NOTHING, access
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.django_db


def test_the_event_room_is_its_participants_and_staffs(
    venue_event, manager, other_manager, staff_user, django_capture_on_commit_callbacks
):
    occurrence = venue_event.occurrences.get()
    participant, outsider = VerifiedUserFactory(), VerifiedUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.register_for_event(occurrence, by=participant)
    room = Room.objects.get(pk=occurrence.event.room_id)
    assert (room.kind, room.visibility) == (Room.Kind.EVENT, Room.Visibility.MEMBERS_AND_STAFF)
    assert access(participant, room) == LISTED
    assert access(staff_user, room) == MODERATES
    assert access(AnonymousUser(), room) == NOTHING
    assert access(outsider, room) == NOTHING
    # Managing the venue that holds the event, or another venue, opens nothing.
    assert access(manager, room) == NOTHING
    assert access(other_manager, room) == NOTHING
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(occurrence, by=participant)
    assert access(type(participant).objects.get(pk=participant.pk), room) == NOTHING
