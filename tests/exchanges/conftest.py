import pytest

from tests.events.test_proposals import CommittingClient  # e-mails leave after the commit
from tests.factories import VerifiedUserFactory
from tests.factories.exchanges import PostFactory


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture
def author(db):
    return VerifiedUserFactory(display_name="Camille Atelier", email="camille@example.org")


@pytest.fixture
def post(author):
    return PostFactory(author=author, title="Un local pour notre repair café")


@pytest.fixture
def other_member(db):
    return VerifiedUserFactory(display_name="Dominique Fablab", email="dominique@example.org")


@pytest.fixture
def manager(venue, staff_user):
    from members.services import attach_manager

    user = VerifiedUserFactory(display_name="Gérante Coroutine")
    attach_manager(venue, user, by=staff_user)
    return user
