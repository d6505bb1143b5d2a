"""Requests: the form at /compagnonnage/demande/, the follow-up page, edit and withdraw."""

import pytest
from django.core import mail

from mentoring import matching, vocabulary
from mentoring.models import MentoringRequest, Proposal
from tests.factories.mentoring import MentoringRequestFactory

pytestmark = pytest.mark.django_db

URL = "/compagnonnage/demande/"
MINE = "/compagnonnage/mes-demandes/"


def test_vocabularies_match_the_engine():
    assert [c for c, _ in vocabulary.EXPERTISE_CHOICES] == list(matching.EXPERTISE)
    assert [c for c, _ in vocabulary.STAGE_CHOICES] == list(matching.STAGES)
    assert [c for c, _ in vocabulary.ACTIVITY_CHOICES] == list(matching.ACTIVITIES)
    assert [c for c, _ in vocabulary.LEGAL_FORM_CHOICES] == list(matching.LEGAL_FORMS)
    assert [c for c, _ in vocabulary.FORMAT_CHOICES] == list(matching.FORMATS)


def test_landing_links_to_the_form(client, mentoring_page):
    response = client.get("/compagnonnage/")
    assert response.status_code == 200
    assert URL in response.content.decode()


def test_anonymous_is_sent_to_login(client, mentoring_page):
    for url in (URL, MINE, "/compagnonnage/demande/1/", "/compagnonnage/binome/1/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_unverified_member_gets_a_clear_message(client, mentoring_page, unverified, request_form_data):
    client.force_login(unverified)
    response = client.get(URL)
    assert response.status_code == 403
    assert "Confirmez d'abord votre adresse e-mail" in response.content.decode()
    response = client.post(URL, request_form_data)
    assert response.status_code == 403
    assert not MentoringRequest.objects.exists()


def test_member_submits_a_request(
    client, mentoring_page, newcomer, staff_user, request_form_data, django_capture_on_commit_callbacks
):
    client.force_login(newcomer)
    assert client.get(URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, request_form_data)
    assert response.status_code == 302 and response["Location"] == MINE
    request = MentoringRequest.objects.get()
    assert request.applicant == newcomer
    assert request.status == "open"
    assert request.needs == ["modele_economique", "amenagement"]
    assert {m.to[0] for m in mail.outbox} == {newcomer.email, staff_user.email}
    page = client.get(MINE).content.decode()
    assert "La Bricole" in page and "En attente d&#x27;un lieu compagnon" in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"needs": []}, "needs"),
        ({"needs": ["pas_un_besoin"]}, "needs"),
        ({"commune": "999999"}, "commune"),
        ({"commune": "abc"}, "commune"),
        ({"stage": "lune"}, "stage"),
        ({"project_name": " "}, "project_name"),
        ({"description": "court"}, "description"),
        ({"preferred_format": "pigeon"}, "preferred_format"),
        ({"project_name": "x" * 500}, "project_name"),
    ],
)
def test_bad_input_is_explained_never_a_500(
    client, mentoring_page, newcomer, request_form_data, change, field
):
    client.force_login(newcomer)
    response = client.post(URL, {**request_form_data, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not MentoringRequest.objects.exists()


def test_errors_in_english_for_an_english_speaker(client, mentoring_page, newcomer, request_form_data):
    client.force_login(newcomer)
    response = client.post(URL, {**request_form_data, "needs": []}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].errors["needs"]


def test_applicant_edits_then_withdraws(client, mentoring_page, open_request, request_form_data):
    client.force_login(open_request.applicant)
    url = f"/compagnonnage/demande/{open_request.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {**request_form_data, "project_name": "Nouveau nom"})
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert open_request.project_name == "Nouveau nom"
    response = client.post(url + "retirer/")
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert open_request.status == "withdrawn"
    # A withdrawn request can no longer be edited.
    response = client.post(url, request_form_data)
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert open_request.project_name == "Nouveau nom"


def test_someone_elses_request_is_a_404(client, mentoring_page, open_request, member, request_form_data):
    client.force_login(member)
    url = f"/compagnonnage/demande/{open_request.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url + "retirer/").status_code == 404
    assert client.get("/compagnonnage/demande/999999/").status_code == 404
    open_request.refresh_from_db()
    assert open_request.status == "open"


def test_withdrawing_cancels_the_live_proposal(
    awaiting_proposal, django_capture_on_commit_callbacks, mentor_manager
):
    from mentoring.services import withdraw_request

    request = awaiting_proposal.request
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_request(request, by=request.applicant)
    awaiting_proposal.refresh_from_db()
    assert awaiting_proposal.status == Proposal.Status.CANCELLED
    assert mentor_manager.email in {m.to[0] for m in mail.outbox}


def test_at_most_three_current_requests(newcomer):
    from mentoring.errors import InvalidInput
    from mentoring.services import submit_request
    from tests.factories.venues import commune

    MentoringRequestFactory.create_batch(3, applicant=newcomer)
    data = {
        "project_name": "Quatrième",
        "description": "x" * 30,
        "stage": "idee",
        "needs": ["financement"],
        "commune": commune(),
    }
    with pytest.raises(InvalidInput) as error:
        submit_request(data, by=newcomer)
    assert error.value.code == "too_many_requests"


def test_my_requests_page_has_bounded_queries(
    client, mentoring_page, newcomer, pairing, django_assert_max_num_queries
):
    MentoringRequestFactory.create_batch(2, applicant=newcomer)
    client.force_login(newcomer)
    with django_assert_max_num_queries(25):
        response = client.get(MINE)
    assert response.status_code == 200
    MentoringRequestFactory.create_batch(5, applicant=pairing.request.applicant)
    with django_assert_max_num_queries(25):
        client.get(MINE)
