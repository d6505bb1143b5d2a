"""Mentor profiles: /compagnonnage/mentor/<venue_id>/, per role."""

import pytest

from mentoring.models import MentorProfile
from mentoring.services import save_mentor_profile
from network.errors import NotAllowed

pytestmark = pytest.mark.django_db

DATA = {
    "is_active": "on",
    "expertise": ["modele_economique", "gouvernance"],
    "stages": ["idee", "prefiguration"],
    "legal_forms": ["association", "cooperative"],
    "capacity": "3",
    "formats": ["visio"],
    "availability": "le jeudi",
    "accepts_visits": "on",
}


def url(venue):
    return f"/compagnonnage/mentor/{venue.pk}/"


def test_manager_turns_mentoring_on(client, mentoring_page, mentor_venue, mentor_manager):
    client.force_login(mentor_manager)
    assert client.get(url(mentor_venue)).status_code == 200
    response = client.post(url(mentor_venue), DATA)
    assert response.status_code == 302
    profile = MentorProfile.objects.get(venue=mentor_venue)
    assert profile.capacity == 3
    assert profile.expertise == ["modele_economique", "gouvernance"]
    assert profile.formats == ["visio"]
    # and edits it again
    response = client.post(url(mentor_venue), {**DATA, "capacity": "1"})
    profile.refresh_from_db()
    assert profile.capacity == 1
    assert MentorProfile.objects.count() == 1


def test_staff_may_edit_any_venue_profile(client, mentoring_page, mentor_venue, staff_user):
    client.force_login(staff_user)
    assert client.post(url(mentor_venue), DATA).status_code == 302
    assert MentorProfile.objects.filter(venue=mentor_venue).exists()


@pytest.mark.parametrize("who", ["member", "other_manager", "unverified"])
def test_others_get_the_same_404(client, mentoring_page, mentor_venue, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    expected = 403 if who == "unverified" else 404  # unverified members are told to verify first
    assert client.get(url(mentor_venue)).status_code == expected
    assert client.post(url(mentor_venue), DATA).status_code == expected
    assert not MentorProfile.objects.exists()


def test_missing_venue_is_a_404(client, mentoring_page, mentor_manager):
    client.force_login(mentor_manager)
    assert client.get("/compagnonnage/mentor/999999/").status_code == 404


def test_anonymous_is_sent_to_login(client, mentoring_page, mentor_venue):
    response = client.get(url(mentor_venue))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"expertise": []}, "expertise"),
        ({"formats": []}, "formats"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "500"}, "capacity"),
        ({"capacity": "beaucoup"}, "capacity"),
        ({"stages": ["jamais"]}, "stages"),
    ],
)
def test_bad_profile_input_is_explained(client, mentoring_page, mentor_venue, mentor_manager, change, field):
    client.force_login(mentor_manager)
    response = client.post(url(mentor_venue), {**DATA, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not MentorProfile.objects.exists()


def test_service_refuses_non_managers(mentor_venue, member):
    with pytest.raises(NotAllowed):
        save_mentor_profile(mentor_venue, {"expertise": ["gouvernance"], "formats": ["visio"]}, by=member)


def test_my_requests_lists_managed_venues(client, mentoring_page, mentor_venue, mentor_manager):
    client.force_login(mentor_manager)
    page = client.get("/compagnonnage/mes-demandes/").content.decode()
    assert url(mentor_venue) in page


def test_the_directory_mentoring_filter_follows_the_profile(
    client, mentoring_page, mentor_venue, mentor_manager, django_capture_on_commit_callbacks
):
    client.force_login(mentor_manager)
    with django_capture_on_commit_callbacks(execute=True):  # the directory is fresh after the commit
        client.post(url(mentor_venue), DATA)
    mentor_venue.refresh_from_db()
    assert mentor_venue.offers_mentoring
    assert mentor_venue.title in client.get("/lieux/", {"mentoring": "1"}).content.decode()
    # Publishing an older revision of the venue does not undo it.
    mentor_venue.save_revision().publish()
    mentor_venue.refresh_from_db()
    assert mentor_venue.offers_mentoring
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(mentor_venue), {key: value for key, value in DATA.items() if key != "is_active"})
    mentor_venue.refresh_from_db()
    assert not mentor_venue.offers_mentoring
    assert mentor_venue.title not in client.get("/lieux/", {"mentoring": "1"}).content.decode()
