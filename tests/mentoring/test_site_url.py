"""Mentoring e-mails and the visit's calendar link to SITE_URL, whatever Host the request came with."""

import re

import pytest
from django.core import mail
from icalendar import Calendar

from mentoring import services
from tests.factories.events import in_days

pytestmark = pytest.mark.django_db

SITE_URLS = ["https://tiers-lieux.example", "http://127.0.0.1:8080"]
BOTH = pytest.mark.parametrize("site_url", SITE_URLS, indirect=True)


def _links(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)


@BOTH
def test_proposal_emails_link_to_site_url(
    site_url, pending_proposal, staff_user, mentor_manager, newcomer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.approve_proposal(pending_proposal, by=staff_user)
    to_manager = next(m for m in mail.outbox if m.to == [mentor_manager.email])
    assert f"{site_url}/compagnonnage/proposition/{proposal.pk}/" in _links(to_manager.body)
    for message in mail.outbox:
        links = _links(message.body)
        assert links and all(link.startswith(site_url + "/") for link in links), links


@BOTH
def test_visit_calendar_links_to_the_pairing_on_site_url(
    client, site_url, pairing, newcomer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_visit(pairing, {"visit_at": in_days(5, 14)}, by=newcomer)
    pairing_url = f"{site_url}/compagnonnage/binome/{pairing.pk}/"
    for message in mail.outbox:
        assert pairing_url in _links(message.body)
        (vevent,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
        assert str(vevent["URL"]) == pairing_url
    client.force_login(newcomer)
    response = client.get(f"/compagnonnage/binome/{pairing.pk}/visite/ics/", HTTP_HOST="localhost:9000")
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["URL"]) == pairing_url
