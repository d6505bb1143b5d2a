import pytest

from members.services import attach_manager
from mentoring import services
from tests.factories import UserFactory, VerifiedUserFactory
from tests.factories.mentoring import MentoringRequestFactory, MentorProfileFactory
from tests.factories.venues import VenuePageFactory

FORM = {
    "project_name": "La Bricole",
    "description": "Un atelier partagé de réparation dans une ancienne boulangerie du centre-bourg.",
    "stage": "recherche_lieu",
    "activities": ["atelier_partage", "culture_cafe"],
    "needs": ["modele_economique", "amenagement"],
    "commune": "",  # set by the fixture: a Commune pk
    "in_qpv": "",
    "legal_form": "association",
    "preferred_format": "sur_place",
    "availability": "le samedi",
}


@pytest.fixture
def venue_index(site_tree):
    return site_tree["lieux"]


@pytest.fixture
def mentoring_page(site_tree):
    return site_tree["compagnonnage"]


@pytest.fixture
def make_venue(venue_index):
    def make(**kwargs):
        return VenuePageFactory(parent=venue_index, **kwargs)

    return make


@pytest.fixture
def mentor_venue(make_venue):
    return make_venue(title="La Coroutine", slug="la-coroutine", main_activity="culture_cafe")


@pytest.fixture
def other_venue(make_venue):
    return make_venue(title="Le Hangar", slug="le-hangar", main_activity="fablab")


@pytest.fixture
def mentor_manager(mentor_venue, staff_user):
    user = VerifiedUserFactory(display_name="Gérante Coroutine")
    attach_manager(mentor_venue, user, by=staff_user)
    return user


@pytest.fixture
def other_manager(other_venue, staff_user):
    user = VerifiedUserFactory(display_name="Gérant Hangar")
    attach_manager(other_venue, user, by=staff_user)
    return user


@pytest.fixture
def mentor(mentor_venue, mentor_manager):
    return MentorProfileFactory(venue=mentor_venue)


@pytest.fixture
def other_mentor(other_venue, other_manager):
    return MentorProfileFactory(venue=other_venue, expertise=["fabrication_numerique"], stages=["idee"])


@pytest.fixture
def newcomer(db):
    return VerifiedUserFactory(display_name="Porteuse de projet")


@pytest.fixture
def unverified(db):
    return UserFactory()


@pytest.fixture
def open_request(newcomer):
    return MentoringRequestFactory(applicant=newcomer)


@pytest.fixture
def pending_proposal(open_request, mentor, staff_user):
    return services.propose_pairing(open_request, mentor, by=staff_user)


@pytest.fixture
def awaiting_proposal(pending_proposal, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.approve_proposal(pending_proposal, by=staff_user)


@pytest.fixture
def pairing(awaiting_proposal, mentor_manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.accept_proposal(awaiting_proposal, by=mentor_manager)


@pytest.fixture
def request_form_data():
    from tests.factories.venues import commune

    return {**FORM, "commune": str(commune("59350").pk)}
