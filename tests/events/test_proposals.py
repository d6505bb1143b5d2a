"""Proposing an event at /agenda/proposer/: members, visitors, moderation, abuse."""

import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.models import TaskState

from events.models import EventPage, EventProposal, ProposalStatus
from network.public_forms import HONEYPOT_FIELD
from tests.factories import VerifiedUserFactory

URL = "/agenda/proposer/"


class CommittingClient(Client):
    """E-mails leave after the commit: each request runs its callbacks as a real commit would."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return CommittingClient()


def moment(days, hour=18):
    day = timezone.localtime() + timedelta(days=days)
    return day.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides):
    data = {
        "title": "Atelier réparation de vélos",
        "kind": "workshop",
        "summary": "On répare ensemble.",
        "description": "<p>Apportez <strong>votre vélo</strong>.</p>",
        "start": moment(10),
        "end": moment(10, hour=20),
        "repeat": "none",
        "repeat_interval": "1",
        "street_address": "12 rue des Arts, Roubaix",
        "registration_mode": "site",
        "capacity": "12",
        HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def visitor_data(**overrides):
    return form_data(**{"name": "Camille", "email": "camille@example.org", **overrides})


def png(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


def task_state_of(page):
    return TaskState.objects.for_instance(page).get(status=TaskState.STATUS_IN_PROGRESS)


def moderate(client, page, action, **data):
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state_of(page).pk))
    return client.post(url, data)


def link_in(message):
    return re.search(r"https?://\S+/proposer/confirmer/\S+/", message.body).group(0)


# -- members -------------------------------------------------------------------


def test_the_calendar_links_to_the_proposal_form(client, agenda):
    response = client.get("/agenda/")
    assert f'href="{URL}"' in response.content.decode()


def test_a_member_proposes_at_a_venue_whose_manager_approves_it(
    client, member, venue, manager, agenda, django_assert_max_num_queries
):
    client.force_login(member)
    page = client.get(URL).content.decode()
    assert 'name="email"' not in page  # the account says who proposes
    response = client.post(
        URL, form_data(venue=venue.pk, street_address="", repeat="weekly", repeat_count="3")
    )
    assert response.status_code == 302 and response["Location"] == f"{URL}merci/"

    proposal = EventProposal.objects.get()
    event = proposal.page.specific
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.proposer == member
    assert not event.live and event.get_parent().pk == venue.pk
    assert event.workflow_in_progress
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "en modération" in mail.outbox[0].subject

    client.force_login(manager)
    with django_assert_max_num_queries(200):
        response = moderate(client, event, "approve")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.live
    assert event.occurrences.count() == 3  # the weekly rule, through the events services
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    notice = mail.outbox[-1]
    assert notice.to == [member.email] and "publié" in notice.subject
    assert event.get_full_url() in notice.body
    assert client.get(event.url).status_code == 200


def test_staff_reject_with_a_reason_that_reaches_the_proposer(client, member, staff_user, agenda):
    client.force_login(member)
    client.post(URL, form_data())
    event = EventProposal.objects.get().page
    assert event.get_parent().pk == agenda.pk  # a free address: under the calendar

    client.force_login(staff_user)
    response = moderate(client, event, "reject", comment="Le lieu n'est pas accessible au public.")
    assert response.status_code == 302
    event.refresh_from_db()
    assert not event.live
    proposal = EventProposal.objects.get()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.reason == "Le lieu n'est pas accessible au public."
    notice = mail.outbox[-1]
    assert notice.to == [member.email] and "pas été retenue" in notice.subject
    assert "Le lieu n'est pas accessible au public." in notice.body


def test_a_proposer_who_reads_english_gets_english_notices(client, member, staff_user, agenda):
    member.language = "en"
    member.save()
    client.force_login(member)
    client.post(URL, form_data())
    assert "under review" in mail.outbox[-1].subject


# -- visitors ------------------------------------------------------------------


def test_a_visitor_confirms_by_e_mail_then_staff_approve(client, staff_user, agenda):
    page = client.get(URL).content.decode()
    assert 'name="email"' in page and f'name="{HONEYPOT_FIELD}"' in page
    response = client.post(URL, visitor_data())
    assert response.status_code == 302
    proposal = EventProposal.objects.get()
    assert proposal.status == ProposalStatus.UNCONFIRMED and proposal.proposer is None
    assert not proposal.page.workflow_in_progress  # nothing to moderate before the address is confirmed
    (confirmation,) = mail.outbox
    assert confirmation.to == ["camille@example.org"]

    response = client.get(link_in(confirmation))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.page.workflow_in_progress
    client.get(link_in(confirmation))  # a second click changes nothing
    assert TaskState.objects.for_instance(proposal.page).count() == 1

    client.force_login(staff_user)
    moderate(client, proposal.page, "approve")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert EventPage.objects.live().filter(pk=proposal.page.pk).exists()
    assert mail.outbox[-1].to == ["camille@example.org"]


def test_a_tampered_confirmation_link_is_refused_with_a_message(client, agenda):
    client.post(URL, visitor_data())
    link = link_in(mail.outbox[0])
    response = client.get(link[:-3] + "xx/", follow=True)
    assert "pas valable" in response.content.decode()
    assert EventProposal.objects.get().status == ProposalStatus.UNCONFIRMED


def test_the_answer_is_the_same_whether_or_not_an_account_has_the_address(client, member, agenda):
    unknown = client.post(URL, visitor_data(), follow=True)
    known = client.post(URL, visitor_data(email=member.email, title="Autre atelier"), follow=True)
    assert unknown.status_code == known.status_code == 200
    strip = lambda response: response.content.decode().replace("Autre atelier", "")  # noqa: E731
    assert strip(unknown) == strip(known)
    assert [m.subject.replace("Autre atelier", "Atelier réparation de vélos") for m in mail.outbox] == [
        mail.outbox[0].subject
    ] * 2
    assert EventProposal.objects.filter(proposer__isnull=True).count() == 2


# -- who moderates -------------------------------------------------------------


def test_only_the_venues_managers_and_staff_moderate_a_proposal_at_the_venue(
    client, member, venue, manager, other_manager, staff_user, agenda
):
    from events.models import ProposalModerationTask

    client.force_login(member)
    client.post(URL, form_data(venue=venue.pk, street_address=""))
    client.post(URL, form_data(title="À une adresse"))
    at_venue, at_address = (p.page for p in EventProposal.objects.order_by("pk"))
    task = ProposalModerationTask.objects.get()

    def queue(user):
        return set(TaskState.objects.reviewable_by(user).values_list("workflow_state__object_id", flat=True))

    assert task.get_actions(at_venue, manager)
    assert not task.get_actions(at_venue, other_manager)
    assert not task.get_actions(at_address, manager)
    assert not task.get_actions(at_venue, member)
    assert task.get_actions(at_address, staff_user) and task.get_actions(at_venue, staff_user)
    assert queue(manager) == {str(at_venue.pk)}
    assert queue(other_manager) == set()
    assert queue(staff_user) == {str(at_venue.pk), str(at_address.pk)}

    client.force_login(other_manager)
    assert moderate(client, at_venue, "approve").status_code in (302, 403)
    at_venue.refresh_from_db()
    assert not at_venue.live
    client.force_login(manager)
    assert moderate(client, at_address, "approve").status_code in (302, 403)
    at_address.refresh_from_db()
    assert not at_address.live


def test_an_unverified_account_is_asked_to_confirm_its_address_first(client, unverified_user, agenda):
    client.force_login(unverified_user)
    assert "Confirmez d'abord" in client.get(URL).content.decode()
    client.post(URL, form_data())
    assert not EventProposal.objects.exists()


# -- abuse and bad input -----------------------------------------------------------


def test_a_filled_honeypot_creates_nothing(client, agenda):
    response = client.post(URL, visitor_data(**{HONEYPOT_FIELD: "http://spam.example"}))
    assert response.status_code == 200
    assert "pas pu être accepté" in response.content.decode()
    assert not EventProposal.objects.exists() and not mail.outbox


def test_proposals_are_rate_limited_per_client(client, agenda, settings):
    settings.EVENT_PROPOSAL_RATE_LIMIT = (2, 3600)
    for index in range(2):
        assert client.post(URL, visitor_data(title=f"Atelier {index}")).status_code == 302
    response = client.post(URL, visitor_data(title="Encore"))
    assert response.status_code == 429
    assert "Trop d'envois" in unescape(response.content.decode())  # the page escapes the apostrophe
    assert EventProposal.objects.count() == 2
    other = client.post(URL, visitor_data(title="Ailleurs"), REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 302


def test_the_rate_limit_speaks_english_to_an_english_visitor(client, agenda, settings):
    settings.EVENT_PROPOSAL_RATE_LIMIT = (0, 3600)
    response = client.post(f"/en{URL}", visitor_data())  # the form's English address
    assert response.status_code == 429
    assert "Too many submissions" in response.content.decode()


def test_html_in_the_description_is_sanitized(client, member, agenda):
    client.force_login(member)
    hostile = '<p onclick="x()">Salut</p><script>alert(1)</script><a href="javascript:alert(1)">lien</a>'
    assert client.post(URL, form_data(description=hostile, title="<b>Gras</b>")).status_code == 302
    event = EventProposal.objects.get().page.specific
    assert "<script" not in event.body and "onclick" not in event.body and "javascript:" not in event.body
    assert "Salut" in event.body


def test_an_image_is_re_encoded_and_a_huge_one_is_a_form_error(client, member, agenda):
    client.force_login(member)
    response = client.post(URL, {**form_data(), "image": png()})
    assert response.status_code == 200 and "ce texte la remplace" in response.content.decode()  # no alt text
    alt = "Des vélos retournés sur un établi"
    assert client.post(URL, {**form_data(), "image": png(), "image_alt": alt}).status_code == 302
    event = EventProposal.objects.get().page.specific
    assert event.image is not None and event.image.width == 40 and event.image_alt == alt

    huge = SimpleUploadedFile("huge.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024), content_type="image/png")
    response = client.post(URL, {**form_data(title="Deux"), "image": huge})
    assert response.status_code == 200 and "ne doit pas dépasser" in response.content.decode()
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post(URL, {**form_data(title="Trois"), "image": fake})
    assert response.status_code == 200 and "errors" in response.content.decode()
    assert EventProposal.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end": moment(9)}, "end", "La fin doit suivre le début."),
        ({"start": moment(-3), "end": moment(-3, 20)}, "start", "Choisissez une date à venir."),
        ({"start": "9999-01-01T10:00", "end": "9999-01-01T12:00"}, "start", "Choisissez une date entre"),
        ({"start": "demain", "end": "zzz"}, "start", "Saisissez une date et une heure valides."),
        ({"repeat": "weekly"}, "repeat_until", "Une répétition doit s'arrêter"),
        ({"repeat": "weekly", "repeat_count": "100000"}, "repeat_count", "Au plus"),
        ({"repeat": "weekly", "repeat_until": "2020-01-01"}, "repeat_until", "précède la première date"),
        ({"exception_dates": "lundi"}, "exception_dates", "Dates non reconnues"),
        ({"street_address": ""}, "venue", "Choisissez un lieu du réseau ou indiquez une adresse."),
        ({"venue": "999999"}, "venue", "Sélectionnez un choix valide"),
        ({"title": "x" * 500}, "title", "au plus 120"),
        ({"title": "a\x00b"}, "title", "caractère nul"),
    ],
)
def test_bad_input_is_a_form_error_not_a_crash(client, member, agenda, overrides, field, message):
    client.force_login(member)
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert not EventProposal.objects.exists()


def test_a_bad_visitor_address_is_a_form_error(client, agenda):
    response = client.post(URL, visitor_data(email="pas-une-adresse"))
    assert response.status_code == 200 and "email" in response.context["form"].errors


def test_a_second_member_proposing_the_same_title_gets_a_distinct_page(client, agenda):
    for _ in range(2):
        client.force_login(VerifiedUserFactory())
        assert client.post(URL, form_data()).status_code == 302
    slugs = {p.page.slug for p in EventProposal.objects.all()}
    assert len(slugs) == 2
