import pytest

from tests.factories import VerifiedUserFactory
from tests.factories.events import EventPageFactory
from tests.factories.venues import VenuePageFactory, commune


@pytest.fixture
def agenda(site_tree):
    return site_tree["agenda"].specific


@pytest.fixture
def venue_index(site_tree):
    return site_tree["lieux"]


@pytest.fixture
def venue(venue_index):
    return VenuePageFactory(
        parent=venue_index, title="La Coroutine", slug="la-coroutine", street_address="3 rue du Code"
    )


@pytest.fixture
def other_venue(venue_index):
    return VenuePageFactory(parent=venue_index, title="Le Hangar", slug="le-hangar", commune=commune("59512"))


@pytest.fixture
def manager(venue, staff_user):
    from members.services import attach_manager

    user = VerifiedUserFactory()
    attach_manager(venue, user, by=staff_user)
    return user


@pytest.fixture
def other_manager(other_venue, staff_user):
    from members.services import attach_manager

    user = VerifiedUserFactory()
    attach_manager(other_venue, user, by=staff_user)
    return user


@pytest.fixture
def make_event(agenda):
    def make(parent=None, **kwargs):
        return EventPageFactory(parent=parent or agenda, **kwargs)

    return make


@pytest.fixture
def event(make_event):
    """A network meetup next week, 2 seats."""
    return make_event(title="Apéro du réseau", slug="apero-du-reseau", capacity=2, tags=["convivial"])


@pytest.fixture
def venue_event(make_event, venue):
    return make_event(
        parent=venue, title="Atelier soudure", slug="atelier-soudure", kind="workshop", street_address=""
    )


@pytest.fixture
def occurrence(event):
    return event.occurrences.get()
