"""A visitor without an account proposes an event, confirms by e-mail, staff approve it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_visitor_proposes_an_event(page, live_site, mailoutbox, staff_user):
    from events.models import EventProposal, ProposalStatus

    page.goto(live_site + "/agenda/")
    page.get_by_role("link", name="Proposer un événement").click()
    page.wait_for_url("**/agenda/proposer/")
    expect(page.locator("input[name=site_web]")).not_to_be_in_viewport()  # the honeypot stays off screen

    start = (timezone.localtime() + timedelta(days=12)).replace(hour=14, minute=0)
    page.get_by_label("Votre nom").fill("Camille")
    page.get_by_label("Votre adresse e-mail").fill("camille@example.org")
    page.get_by_label("Titre").fill("Atelier couture")
    page.get_by_label("Début").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Fin").fill(start.strftime("%Y-%m-%dT16:00"))
    page.get_by_label("Répétition").select_option("weekly")
    page.get_by_label("Nombre de dates").fill("2")
    page.get_by_label("Adresse", exact=True).fill("5 place de la Gare, Lille")
    page.get_by_label("Description", exact=True).fill("<p>Machines <script>alert(1)</script>fournies.</p>")
    page.get_by_role("button", name="Envoyer la proposition").click()
    page.wait_for_url("**/agenda/proposer/merci/")
    assert page.get_by_text("suivez son lien dans les 48 heures").is_visible()

    (message,) = mailoutbox
    link = re.search(r"https?://\S+/proposer/confirmer/\S+/", message.body).group(0)
    page.goto(link)
    assert page.get_by_text("votre proposition est transmise").is_visible()

    proposal = EventProposal.objects.get()
    assert proposal.status == ProposalStatus.SUBMITTED
    from wagtail.models import TaskState

    state = TaskState.objects.for_instance(proposal.page).get(status=TaskState.STATUS_IN_PROGRESS)
    state.task.specific.on_action(state, staff_user, "approve")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert "publié" in mailoutbox[-1].subject

    page.goto(live_site + proposal.page.url)
    assert page.get_by_role("heading", name="Atelier couture").is_visible()
    assert "alert(1)" not in page.content()
