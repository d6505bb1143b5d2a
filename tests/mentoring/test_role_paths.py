"""Each role's path through the compagnonnage: what the newcomer sees of a
proposal (once staff approve) and of the mentor venue (once paired), each
explanation worded for its reader, and who closes a pairing."""

import pytest
from django.core import mail
from django.utils import translation

from mentoring import explanations, matching, services
from mentoring.errors import NotAllowed
from mentoring.models import Pairing

pytestmark = pytest.mark.django_db

MINE = "/compagnonnage/mes-demandes/"


def pairing_url(pairing, action=""):
    return f"/compagnonnage/binome/{pairing.pk}/{action}"


def page_of(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.fixture
def contact_venue(mentor_venue):
    mentor_venue.email = "bonjour@coroutine.example"
    mentor_venue.phone = "03 20 00 00 00"
    mentor_venue.save()
    return mentor_venue


# -- the newcomer's page ---------------------------------------------------------------------


def test_the_newcomer_sees_the_suggested_venue_only_once_staff_approve(
    client,
    mentoring_page,
    newcomer,
    pending_proposal,
    staff_user,
    contact_venue,
    django_capture_on_commit_callbacks,
):
    page = page_of(client, newcomer, MINE).content.decode()
    assert "La Coroutine" not in page and "data-suggested-venue" not in page
    assert "En attente d'un lieu compagnon" in page  # nothing says a venue was put forward
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_proposal(pending_proposal, by=staff_user)
    page = page_of(client, newcomer, MINE).content.decode()
    suggestion = page.split("data-suggested-venue", 1)[1].split("</div>", 1)[0]
    assert "Lieu compagnon proposé : La Coroutine" in suggestion
    assert "Ce lieu vous est proposé parce qu&#x27;il couvre vos 2 besoins" in suggestion
    # The contact comes with the pairing, not before.
    assert "data-mentor-contact" not in page and contact_venue.email not in page


def test_the_newcomer_gets_the_mentor_venue_contact_once_paired(
    client, mentoring_page, newcomer, pairing, contact_venue, member, other_manager
):
    for url in (MINE, pairing_url(pairing)):
        page = page_of(client, newcomer, url).content.decode()
        contact = page.split("data-mentor-contact", 1)[1].split("</div>", 1)[0]
        assert f'href="mailto:{contact_venue.email}"' in contact and 'href="tel:0320000000"' in contact
    assert "data-suggested-venue" not in page_of(client, newcomer, MINE).content.decode()
    # Nobody else reads it on the newcomer's pages.
    assert page_of(client, member, pairing_url(pairing)).status_code == 404
    assert page_of(client, other_manager, pairing_url(pairing)).status_code == 404


def test_an_approved_proposal_stays_invisible_to_other_members(
    client, mentoring_page, awaiting_proposal, member, other_manager
):
    for user in (member, other_manager):
        page = page_of(client, user, MINE).content.decode()
        assert awaiting_proposal.request.project_name not in page and "data-suggested-venue" not in page


# -- explanations, worded for their reader -------------------------------------------------------


def test_each_reader_gets_an_explanation_written_to_them(awaiting_proposal):
    newcomer = explanations.explain_to(awaiting_proposal, "newcomer")
    venue = explanations.explain_to(awaiting_proposal, "venue")
    staff = explanations.explain_to(awaiting_proposal, "staff")
    assert newcomer.startswith("Ce lieu vous est proposé parce qu'il couvre vos 2 besoins : ")
    assert "modèle économique, statut juridique" in newcomer
    assert venue.startswith("Ce porteur de projet a besoin de ce que votre lieu transmet : ")
    assert "vous" not in staff.lower().split(" ; ")[0] and staff.startswith("Couvre les 2 besoins du projet")
    assert len({newcomer, venue, staff}) == 3
    with translation.override("en"):
        assert explanations.explain_to(awaiting_proposal, "newcomer").startswith(
            "This venue is suggested to you because it covers your 2 needs: "
        )
        assert explanations.explain_to(awaiting_proposal, "venue").startswith(
            "This project leader needs what your venue passes on: "
        )
        assert explanations.explain_to(awaiting_proposal, "staff").startswith("Covers the project's 2 needs")


def test_partial_cover_priority_and_format_wording():
    why = matching.reasons(
        matching.MentoringRequest(
            1,
            "P",
            needs=frozenset({"financement", "gouvernance", "communication"}),
            in_qpv=True,
            preferred_format="sur_place",
        ),
        matching.MentorProfile(1, "L", expertise=frozenset({"financement"}), formats=frozenset({"visio"})),
    )
    assert explanations.explain_to(why, "newcomer") == (
        "Ce lieu vous est proposé parce qu'il couvre 1 de vos 3 besoins : financement et appels à projets"
        " ; il accompagne uniquement en visio"
        " ; il accompagne en priorité les projets comme le vôtre (en QPV)."
    )
    assert explanations.explain_to(why, "venue") == (
        "Ce porteur de projet a besoin, entre autres, de ce que votre lieu transmet :"
        " financement et appels à projets (1 sur 3 besoins)"
        " ; souhaite un autre format que le vôtre (en visio)"
        " ; porte un projet en QPV, prioritaire pour le réseau."
    )
    assert explanations.explain_to(why, "staff") == (
        "Couvre 1 des 3 besoins du projet : financement et appels à projets ; distance inconnue"
        " ; uniquement en visio ; projet en QPV : prioritaire."
    )
    with pytest.raises(ValueError):
        explanations.explain_to(why, "someone")


def test_the_venue_reads_its_own_wording_on_the_answer_page_and_in_the_email(
    client, mentoring_page, pending_proposal, staff_user, mentor_manager, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_proposal(pending_proposal, by=staff_user)
    to_venue = next(m for m in mail.outbox if mentor_manager.email in m.to)
    to_newcomer = next(m for m in mail.outbox if pending_proposal.request.applicant.email in m.to)
    assert "Ce porteur de projet a besoin de ce que votre lieu transmet" in to_venue.body
    assert "Ce lieu vous est proposé parce qu'il" in to_newcomer.body
    assert "Ce porteur de projet" not in to_newcomer.body
    page = page_of(client, mentor_manager, f"/compagnonnage/proposition/{pending_proposal.pk}/")
    assert "Ce porteur de projet a besoin de ce que votre lieu transmet" in page.content.decode()


def test_staff_read_the_neutral_wording_on_their_dashboard(client, staff_user, pending_proposal):
    client.force_login(staff_user)
    page = client.get("/admin/compagnonnage/").content.decode()
    assert "Couvre les 2 besoins du projet" in page
    assert "Ce lieu vous est proposé" not in page and "Ce porteur de projet" not in page


# -- a suggestion covering none of the needs is not offered ---------------------------------------


def test_a_mentor_covering_none_of_the_needs_is_not_suggested_nor_queued(
    open_request, mentor, other_mentor, staff_user, client
):
    from mentoring.adapters import suggestions_for

    # other_mentor passes on "fabrication numérique" only; the request asks for none of it.
    assert not set(open_request.needs) & set(other_mentor.expertise)
    assert [m.pk for m, _s in suggestions_for(open_request, limit=10)] == [mentor.pk]
    client.force_login(staff_user)
    page = client.get(f"/admin/compagnonnage/demande/{open_request.pk}/").content.decode()
    assert "La Coroutine" in page and "Le Hangar" not in page


# -- who closes a pairing ----------------------------------------------------------------------

ROLES = ["anonymous", "member", "mentor_manager", "newcomer", "other_manager", "other_mentor", "staff_user"]
CLOSERS = {"mentor_manager", "newcomer"}


def user_for(role, request):
    if role == "anonymous":
        return None
    if role == "other_mentor":
        return request.getfixturevalue("other_mentor").venue.manager_group.user_set.get()
    return request.getfixturevalue(role)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_pair_closes_a_pairing_through_the_page(client, mentoring_page, pairing, role, request):
    user = user_for(role, request)
    response = page_of(client, user, pairing_url(pairing))
    if role in CLOSERS or role == "staff_user":
        assert response.status_code == 200
        assert ("Terminer le compagnonnage" in response.content.decode()) is (role in CLOSERS)
    response = client.post(pairing_url(pairing, "cloture/"), {"feedback": "Fini.", "project_opened": "yes"})
    pairing.refresh_from_db()
    if role in CLOSERS:
        assert response.status_code == 302 and pairing.status == Pairing.Status.COMPLETED
        assert pairing.closed_by == user
    else:
        assert pairing.status == Pairing.Status.ACTIVE, role
        assert response.status_code in (302, 404)  # the login page, a 404, or staff's refusal message


@pytest.mark.parametrize("role", ROLES[1:])
def test_only_the_pair_closes_a_pairing_in_the_service(pairing, role, request):
    user = user_for(role, request)
    if role in CLOSERS:
        services.close_pairing(pairing, by=user, feedback="Fini.")
        pairing.refresh_from_db()
        assert pairing.status == Pairing.Status.COMPLETED
    else:
        with pytest.raises(NotAllowed):
            services.close_pairing(pairing, by=user, feedback="Fini.")
