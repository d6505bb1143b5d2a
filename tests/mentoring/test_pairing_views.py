"""Who sees a pairing and a proposal, and the forms of the pairing page."""

import datetime

import pytest
from django.utils import timezone

from mentoring.models import Pairing, Proposal

pytestmark = pytest.mark.django_db


def pairing_url(pairing):
    return f"/compagnonnage/binome/{pairing.pk}/"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("member", 404),
        ("other_manager", 404),
        ("mentor_manager", 200),
        ("newcomer", 200),
        ("staff_user", 200),
    ],
)
def test_only_the_pair_and_staff_see_a_pairing(client, mentoring_page, pairing, who, status, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(pairing_url(pairing))
    assert response.status_code == status
    if status == 200:
        assert pairing.request.project_name in response.content.decode()
    # A missing pairing looks the same as a forbidden one.
    if status == 404:
        assert client.get("/compagnonnage/binome/999999/").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("member", 404), ("other_manager", 404), ("newcomer", 404), ("mentor_manager", 200)],
)
def test_only_the_mentor_venue_sees_the_proposal(
    client, mentoring_page, awaiting_proposal, who, status, request
):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(f"/compagnonnage/proposition/{awaiting_proposal.pk}/").status_code == status


def test_a_proposal_under_review_is_invisible_to_the_mentor(
    client, mentoring_page, pending_proposal, mentor_manager
):
    client.force_login(mentor_manager)
    assert client.get(f"/compagnonnage/proposition/{pending_proposal.pk}/").status_code == 404
    assert (
        pending_proposal.request.project_name
        not in client.get("/compagnonnage/mes-demandes/").content.decode()
    )


def test_mentor_accepts_through_the_form(client, mentoring_page, awaiting_proposal, mentor_manager):
    client.force_login(mentor_manager)
    url = f"/compagnonnage/proposition/{awaiting_proposal.pk}/"
    assert (
        awaiting_proposal.request.project_name in client.get("/compagnonnage/mes-demandes/").content.decode()
    )
    response = client.post(url, {"decision": "accept"})
    pairing = Pairing.objects.get()
    assert response.status_code == 302 and response["Location"] == pairing_url(pairing)


def test_decline_without_reason_is_explained(client, mentoring_page, awaiting_proposal, mentor_manager):
    client.force_login(mentor_manager)
    url = f"/compagnonnage/proposition/{awaiting_proposal.pk}/"
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = client.post(url, {"decision": "peut-être"})
    assert response.status_code == 200 and "decision" in response.context["form"].errors
    response = client.post(url, {"decision": "decline", "reason": "Trop loin"})
    assert response.status_code == 302
    awaiting_proposal.refresh_from_db()
    assert awaiting_proposal.status == Proposal.Status.DECLINED


def test_pair_logs_checkins_plans_a_visit_and_closes(
    client, mentoring_page, pairing, newcomer, mentor_manager
):
    client.force_login(newcomer)
    base = pairing_url(pairing)
    today = timezone.localdate().isoformat()
    response = client.post(
        base + "point/", {"date": today, "notes": "Premier rendez-vous", "next_steps": "Budget"}
    )
    assert response.status_code == 302
    assert pairing.checkins.count() == 1
    visit = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(base + "visite/", {"visit_at": visit, "visit_notes": "Entrée côté cour"}).status_code
        == 302
    )
    pairing.refresh_from_db()
    assert pairing.visit_at is not None
    client.force_login(mentor_manager)
    page = client.get(base).content.decode()
    assert "Premier rendez-vous" in page and "Entrée côté cour" in page
    response = client.post(base + "cloture/", {"feedback": "Belle aventure", "project_opened": "yes"})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == "completed" and pairing.project_opened is True


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("point/", {"date": "pas une date", "notes": "x"}, "date"),
        ("point/", {"date": "2999-01-01", "notes": "x"}, "date"),
        ("point/", {"date": "2020-01-01", "notes": ""}, "notes"),
        ("visite/", {"visit_at": "2001-01-01T10:00"}, "visit_at"),
        ("visite/", {"visit_at": "demain"}, "visit_at"),
        ("cloture/", {"feedback": "", "project_opened": "yes"}, "feedback"),
        ("cloture/", {"feedback": "ok", "project_opened": "peut-être"}, "project_opened"),
    ],
)
def test_bad_pairing_input_is_explained(client, mentoring_page, pairing, newcomer, action, data, field):
    client.force_login(newcomer)
    response = client.post(pairing_url(pairing) + action, data)
    assert response.status_code == 400
    forms = [response.context[k] for k in ("checkin_form", "visit_form", "close_form")]
    assert any(field in f.errors for f in forms)
    pairing.refresh_from_db()
    assert pairing.status == "active" and pairing.checkins.count() == 0


@pytest.mark.parametrize("who", ["member", "other_manager"])
def test_outsiders_cannot_post_to_a_pairing(client, mentoring_page, pairing, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(pairing_url(pairing) + "point/", {"date": "2020-01-01", "notes": "intrus"})
    assert response.status_code == 404
    assert pairing.checkins.count() == 0


def test_staff_see_but_cannot_use_the_pair_forms(client, mentoring_page, pairing, staff_user):
    client.force_login(staff_user)
    response = client.get(pairing_url(pairing))
    assert response.status_code == 200 and response.context["can_act"] is False


def test_pairing_page_has_bounded_queries(
    client, mentoring_page, pairing, newcomer, django_assert_max_num_queries
):
    from tests.factories.mentoring import CheckInFactory

    CheckInFactory.create_batch(10, pairing=pairing, author=newcomer)
    client.force_login(newcomer)
    with django_assert_max_num_queries(25):
        assert client.get(pairing_url(pairing)).status_code == 200
