import pytest

from network.discussion import services
from network.discussion.models import Room
from tests.factories import VerifiedUserFactory


@pytest.fixture
def room(db):
    return services.create_room(kind=Room.Kind.TOPIC, title="Fab labs", by=None)


@pytest.fixture
def other_member(db):
    return VerifiedUserFactory(display_name="Sacha Martin")


@pytest.fixture
def private_room(db, member):
    room = services.create_room(kind=Room.Kind.PRIVATE, title="Binôme", by=None)
    services.add_room_member(room, member)
    return room


@pytest.fixture
def no_rate_limit(settings):
    settings.DISCUSSION_RATE_LIMIT = (10_000, 10)
