"""Visitors' proposals never confirmed are deleted, with their draft page, after a delay."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.images import get_image_model

from events.models import EventPage, EventProposal, ProposalStatus
from tests.events.test_proposals import URL, CommittingClient, link_in, png, visitor_data


@pytest.fixture
def client():
    return CommittingClient()


def propose(client, title, **extra):
    assert client.post(URL, {**visitor_data(title=title), **extra}).status_code == 302
    return EventProposal.objects.select_related("page").get(page__title=title)


def age(proposal, days):
    EventProposal.objects.filter(pk=proposal.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_an_old_unconfirmed_proposal_goes_with_its_draft_and_image(client, agenda, member):
    forgotten = propose(client, "Atelier oublié", image=png(), image_alt="Un vélo")
    forgotten_link = link_in(mail.outbox[-1])
    recent = propose(client, "Atelier récent")
    confirmed = propose(client, "Atelier confirmé")
    client.get(link_in(mail.outbox[-1]))
    client.force_login(member)
    assert client.post(URL, visitor_data(title="Atelier d'un membre")).status_code == 302
    client.logout()
    image_pk = forgotten.page.specific.image_id
    assert image_pk is not None
    for proposal in EventProposal.objects.exclude(pk=recent.pk):
        age(proposal, 8)
    age(recent, 6)

    call_command("erase_visitor_data", stdout=io.StringIO())

    assert not EventProposal.objects.filter(pk=forgotten.pk).exists()
    assert not EventPage.objects.filter(pk=forgotten.page_id).exists()
    assert not get_image_model().objects.filter(pk=image_pk).exists()
    assert set(EventProposal.objects.values_list("page__title", flat=True)) == {
        "Atelier récent",
        "Atelier confirmé",
        "Atelier d'un membre",
    }
    assert EventProposal.objects.get(pk=confirmed.pk).status == ProposalStatus.SUBMITTED
    # The forgotten link now says it is no longer valid.
    response = client.get(forgotten_link, follow=True)
    assert response.status_code == 200 and "pas valable" in response.content.decode()


def test_the_delay_is_a_setting(client, agenda, settings):
    from events.proposals import delete_unconfirmed_proposals

    settings.EVENTS_UNCONFIRMED_PROPOSAL_DAYS = 2
    proposal = propose(client, "Atelier de trois jours")
    age(proposal, 3)
    assert delete_unconfirmed_proposals() == 1
    assert not EventPage.objects.filter(title="Atelier de trois jours").exists()
    assert delete_unconfirmed_proposals() == 0
