"""Staff views in the Wagtail admin, the batch command and the figures."""

import csv
import io

import pytest
from django.core.management import call_command

from mentoring import services
from mentoring.models import MentoringRequest, Proposal
from tests.factories.mentoring import MentoringRequestFactory, MentorProfileFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/compagnonnage/"


@pytest.mark.parametrize("who", ["member", "mentor_manager", "newcomer"])
def test_non_staff_cannot_reach_the_admin_views(client, open_request, mentor, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in (
        ADMIN,
        f"{ADMIN}demande/{open_request.pk}/",
        f"{ADMIN}affectation/",
        f"{ADMIN}chiffres/",
        f"{ADMIN}chiffres.csv",
    ):
        assert client.get(url).status_code in (302, 403)
    assert client.post(f"{ADMIN}demande/{open_request.pk}/proposer/", {"mentor": mentor.pk}).status_code in (
        302,
        403,
    )
    assert not Proposal.objects.exists()


def test_dashboard_shows_suggestions_and_staff_propose_then_approve(
    client, staff_user, open_request, mentor, mentor_manager, django_assert_max_num_queries
):
    MentoringRequestFactory.create_batch(5)
    client.force_login(staff_user)
    with django_assert_max_num_queries(40):
        response = client.get(ADMIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert open_request.project_name in page and mentor.venue.title in page
    assert "Couvre les 2 besoins du projet" in page  # the explanation, worded for staff
    response = client.post(f"{ADMIN}demande/{open_request.pk}/proposer/", {"mentor": mentor.pk})
    assert response.status_code == 302
    proposal = Proposal.objects.get(request=open_request)
    assert proposal.status == "pending_review"
    response = client.post(f"{ADMIN}proposition/{proposal.pk}/", {"action": "approve"})
    proposal.refresh_from_db()
    assert proposal.status == "awaiting_mentor"
    # Approving twice only shows a message.
    assert client.post(f"{ADMIN}proposition/{proposal.pk}/", {"action": "approve"}).status_code == 302


def test_admin_bad_input_is_never_a_500(client, staff_user, open_request, mentor):
    client.force_login(staff_user)
    assert client.post(f"{ADMIN}demande/{open_request.pk}/proposer/", {"mentor": "abc"}).status_code == 302
    assert client.post(f"{ADMIN}demande/{open_request.pk}/proposer/", {"mentor": "99999"}).status_code == 302
    assert client.post(f"{ADMIN}demande/99999/proposer/", {"mentor": mentor.pk}).status_code == 404
    assert client.post(f"{ADMIN}proposition/99999/", {"action": "approve"}).status_code == 404
    assert (
        client.post(f"{ADMIN}affectation/", {"pair": ["x:y", "1", f"{open_request.pk}:99999"]}).status_code
        == 302
    )
    assert client.get(f"{ADMIN}demande/{open_request.pk}/proposer/").status_code == 405
    assert not Proposal.objects.exists()


def test_request_detail(client, staff_user, open_request, mentor):
    client.force_login(staff_user)
    response = client.get(f"{ADMIN}demande/{open_request.pk}/")
    assert response.status_code == 200
    assert mentor.venue.title in response.content.decode()


def covering(profile, need="statut_juridique"):
    """The profile, now passing on one of the factory requests' needs (else it is never offered)."""
    profile.expertise = [*profile.expertise, need]
    profile.save()
    return profile


def test_batch_is_reviewed_then_written_pending_review(client, staff_user, mentor, other_mentor):
    covering(other_mentor)
    requests = MentoringRequestFactory.create_batch(5)
    client.force_login(staff_user)
    response = client.get(f"{ADMIN}affectation/")
    assert response.status_code == 200
    pairs = [f"{item.pk}:{m.pk}" for item, m, _p in response.context["pairs"]]
    assert len(pairs) == 4  # two mentors, two slots each
    assert len(response.context["unmatched"]) == 1
    assert not Proposal.objects.exists()
    client.post(f"{ADMIN}affectation/", {"pair": pairs[:3]})  # staff unticked one
    assert Proposal.objects.filter(status="pending_review", from_batch=True).count() == 3
    assert MentoringRequest.objects.filter(pk__in=[r.pk for r in requests], status="proposed").count() == 3


def test_mentoring_match_command_is_a_dry_run_without_commit(mentor, other_mentor):
    covering(other_mentor)
    requests = MentoringRequestFactory.create_batch(5)
    out = io.StringIO()
    call_command("mentoring_match", stdout=out)
    text = out.getvalue()
    assert "4 pairing(s) proposed for 5 open request(s)" in text
    assert mentor.venue.title in text and "Couvre" in text
    assert "1 unmatched request(s)" in text
    assert not Proposal.objects.exists()
    out = io.StringIO()
    call_command("mentoring_match", "--commit", stdout=out)
    assert "4 proposal(s) written, pending staff review" in out.getvalue()
    assert set(Proposal.objects.values_list("status", flat=True)) == {"pending_review"}
    assert MentoringRequest.objects.filter(pk__in=[r.pk for r in requests], status="open").count() == 1


def test_command_spreads_load_and_respects_capacity(make_venue, staff_user):
    a = MentorProfileFactory(venue=make_venue(main_activity="culture_cafe"), capacity=1)
    b = MentorProfileFactory(venue=make_venue(main_activity="culture_cafe"), capacity=1)
    MentoringRequestFactory.create_batch(2)
    call_command("mentoring_match", "--commit", stdout=io.StringIO())
    assert sorted(Proposal.objects.values_list("mentor", flat=True)) == sorted([a.pk, b.pk])


def test_figures_and_csv(client, staff_user, pairing, mentor_manager, make_venue):
    from members.models import Commune
    from mentoring.figures import compute

    small = Commune.objects.filter(population__lt=10_000, population__gt=0).first()
    MentoringRequestFactory(in_qpv=True, commune=small)
    services.close_pairing(pairing, by=mentor_manager, feedback="Bien", project_opened=True)
    figures = compute()
    assert figures.open_requests == 1
    assert figures.completed_pairings == 1 and figures.projects_opened == 1 and figures.active_pairings == 0
    assert figures.served == 1 and figures.average_wait_days is not None
    assert figures.loads[0].venue == pairing.mentor.venue.title
    client.force_login(staff_user)
    assert client.get(f"{ADMIN}chiffres/").status_code == 200
    response = client.get(f"{ADMIN}chiffres.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["indicateur", "valeur"]
    assert ["Compagnonnages terminés", "1"] in rows
    assert [pairing.mentor.venue.title, "0", "0", "2"] in rows


def test_admin_menu_item_only_for_staff(client, staff_user, mentor_manager):
    client.force_login(staff_user)
    assert ADMIN in client.get("/admin/").content.decode()
    client.force_login(mentor_manager)
    assert ADMIN not in client.get("/admin/").content.decode()


def test_a_mentor_covering_none_of_the_needs_is_left_out_of_the_batch(mentor, other_mentor):
    MentoringRequestFactory.create_batch(5)  # they ask for nothing "Le Hangar" passes on
    out = io.StringIO()
    call_command("mentoring_match", stdout=out)
    text = out.getvalue()
    assert "2 pairing(s) proposed for 5 open request(s)" in text  # the Coroutine's two slots only
    assert other_mentor.venue.title not in text and "Couvre les 2 besoins du projet" in text
