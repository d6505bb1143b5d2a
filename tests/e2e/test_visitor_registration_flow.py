"""A visitor without an account registers for an event with a guest and an
answer, confirms by the e-mailed link, and finds the seats taken."""

import re

import pytest
from playwright.sync_api import expect

from events.models import Registration, RegistrationQuestion
from tests.factories.events import EventPageFactory

pytestmark = pytest.mark.browser


def test_visitor_registers_without_an_account(page, live_site, site_tree, mailoutbox):
    event = EventPageFactory(
        parent=site_tree["agenda"].specific, title="Atelier vélo", capacity=5, max_guests=2
    )
    RegistrationQuestion.objects.create(page=event, label="Régime alimentaire", kind="text")

    page.goto(live_site + event.url)
    page.get_by_role("link", name="M’inscrire sans compte").click()
    page.get_by_label("Votre nom").fill("Zoé Visiteuse")
    page.get_by_label("Votre adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="M’inscrire").click()
    expect(
        page.get_by_text("Saisissez une adresse de courriel valide.")
    ).to_be_visible()  # a form error, not a 500

    page.get_by_label("Votre adresse e-mail").fill("zoe@example.org")
    page.get_by_label("Accompagnant·es").select_option("1")
    page.get_by_label("Régime alimentaire").fill("végétarien")
    page.get_by_role("button", name="M’inscrire").click()
    expect(page.get_by_text("Presque fini")).to_be_visible()

    (message,) = [m for m in mailoutbox if m.to == ["zoe@example.org"]]
    confirm_url = re.search(r"\S+/inscription/confirmer/\S+/", message.body).group(0)
    page.goto(confirm_url)
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_text("Votre inscription est confirmée.")).to_be_visible()
    expect(page.get_by_text("3 places restantes")).to_be_visible()  # she and her guest

    registration = Registration.objects.get(guest_email="zoe@example.org")
    assert registration.is_confirmed and not registration.is_unconfirmed and registration.guests == 1
    assert registration.answers.get().value == "végétarien"
