import pytest

from tests.factories import VerifiedUserFactory
from tests.factories.venues import VenuePageFactory


@pytest.fixture
def venue_index(site_tree):
    return site_tree["lieux"]


@pytest.fixture
def make_venue(venue_index):
    def make(**kwargs):
        return VenuePageFactory(parent=venue_index, **kwargs)

    return make


@pytest.fixture
def venue(make_venue):
    return make_venue(title="La Coroutine", slug="la-coroutine", tags=["impression 3D", "salle de réunion"])


@pytest.fixture
def other_venue(make_venue):
    return make_venue(title="Le Hangar", slug="le-hangar", main_activity="fablab")


@pytest.fixture
def manager(venue, staff_user):
    from members.services import attach_manager

    user = VerifiedUserFactory()
    attach_manager(venue, user, by=staff_user)
    return user
