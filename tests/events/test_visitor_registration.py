"""Registering without an account: the held seat, the confirmation and cancel
links, the same capacity and waiting list as members, no account enumeration,
and the erasure of visitors' data after the event."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from events import services
from events.errors import HoldExpired, InvalidLink
from events.models import Registration, RegistrationAnswer
from events.vocabulary import RegistrationStatus
from tests.factories import VerifiedUserFactory
from tests.factories.events import in_days

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/inscription/(confirmer|annuler)/\S+/")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def links(message):
    """{"confirmer": path, "annuler": path} from an e-mail body, as paths on the test server."""
    found = {}
    for match in LINK.finditer(message.body):
        found[match.group(1)] = "/" + match.group(0).split("/", 3)[3]
    return found


def visitor_post(client, event, occurrence, **fields):
    data = {"occurrence": occurrence.pk, "name": "Zoé Visiteuse", "email": "zoe@example.org", **fields}
    return client.post(f"{event.url}inscription/", data)


def test_visitor_registers_confirms_by_link_and_cancels_by_link(client, event, occurrence, commit):
    form_page = client.get(f"{event.url}inscription/?occurrence={occurrence.pk}")
    assert form_page.status_code == 200
    assert "effacés 30 jours après l'événement" in unescape(form_page.content.decode())

    response = commit(visitor_post, client, event, occurrence)
    assert response.status_code == 302
    registration = Registration.objects.get(guest_email="zoe@example.org")
    assert registration.is_unconfirmed and registration.is_confirmed  # the seat is held
    assert registration.user is None
    (pending,) = mail.outbox
    assert pending.to == ["zoe@example.org"]
    assert "Confirmez votre inscription" in pending.subject
    urls = links(pending)
    assert set(urls) == {"confirmer", "annuler"}  # a cancel link in every e-mail

    # Mail scanners follow links: GET only shows a button.
    assert client.get(urls["confirmer"]).status_code == 200
    registration.refresh_from_db()
    assert registration.is_unconfirmed

    mail.outbox.clear()
    commit(client.post, urls["confirmer"])
    registration.refresh_from_db()
    assert not registration.is_unconfirmed and registration.is_confirmed
    (confirmed,) = mail.outbox
    assert "Inscription confirmée" in confirmed.subject
    assert "annuler" in links(confirmed)
    assert confirmed.attachments  # the .ics, as for a member

    page = client.get(event.url).content.decode()
    assert "1 place restante" in page

    commit(client.post, links(confirmed)["annuler"])
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_an_unconfirmed_hold_expires_and_the_seat_goes_to_the_waiting_list(event, occurrence, commit):
    event.capacity = 1
    event.save_revision().publish()
    occurrence.refresh_from_db()
    now = timezone.now()
    with freeze_time(now):
        held = commit(services.register_visitor, occurrence, name="Léa", email="lea@example.org")
        member = VerifiedUserFactory()
        waiting = services.register_for_event(occurrence, by=member)
    assert held.is_confirmed and held.is_unconfirmed
    assert waiting.is_waitlisted

    with freeze_time(now + timedelta(minutes=29)):
        call_command("release_registration_holds")
    held.refresh_from_db()
    assert held.is_confirmed  # still held

    mail.outbox.clear()
    with freeze_time(now + timedelta(minutes=31)):
        commit(call_command, "release_registration_holds")
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert held.status == RegistrationStatus.CANCELLED
    assert waiting.is_confirmed
    assert [m.to for m in mail.outbox] == [[member.email]]  # "a seat is free" to the member
    with freeze_time(now + timedelta(minutes=32)), pytest.raises(HoldExpired):
        services.confirm_visitor_registration(held)


def test_registering_releases_expired_holds_itself(event, occurrence):
    event.capacity = 1
    event.save_revision().publish()
    occurrence.refresh_from_db()
    now = timezone.now()
    with freeze_time(now):
        services.register_visitor(occurrence, name="Léa", email="lea@example.org")
    with freeze_time(now + timedelta(minutes=31)):
        late = services.register_for_event(occurrence, by=VerifiedUserFactory())
    assert late.is_confirmed


def test_the_response_says_nothing_about_the_address(client, event, occurrence, commit):
    member = VerifiedUserFactory(email="membre@example.org")
    answers = []
    for email in ("membre@example.org", "inconnu@example.org", "inconnu@example.org"):
        client.cookies.clear()
        response = commit(visitor_post, client, event, occurrence, email=email)
        page = client.get(response["Location"]).content.decode()
        message = re.search(r"Presque fini[^<]*", page).group(0)
        answers.append((response.status_code, response["Location"], message))
    assert answers[0] == answers[1] == answers[2]
    # The account is untouched and not linked; the second try made no second registration.
    assert not Registration.objects.filter(user=member).exists()
    assert Registration.objects.filter(guest_email="inconnu@example.org").count() == 1
    # ... but the address got its link again.
    assert [m.to for m in mail.outbox].count(["inconnu@example.org"]) == 2


def test_visitor_data_is_erased_30_days_after_the_event(make_event, member):
    old = make_event(start=in_days(3), end=in_days(3, hour=21))
    recent = make_event(start=in_days(4), end=in_days(4, hour=21))
    old_visitor = services.register_visitor(old.occurrences.get(), name="Ana", email="ana@example.org")
    recent_visitor = services.register_visitor(recent.occurrences.get(), name="Bo", email="bo@example.org")
    kept_member = services.register_for_event(old.occurrences.get(), by=member)
    RegistrationAnswer.objects.create(registration=old_visitor, question_label="Régime", value="sans gluten")

    # old ended 30 days and 23 hours before, recent 29 days and 23 hours (whatever the hour the test runs)
    with freeze_time(in_days(34, hour=20)):
        call_command("erase_visitor_data")
    old_visitor.refresh_from_db()
    recent_visitor.refresh_from_db()
    kept_member.refresh_from_db()
    assert (old_visitor.guest_name, old_visitor.guest_email, old_visitor.erased_at is not None) == (
        "",
        "",
        True,
    )
    assert not old_visitor.answers.exists()
    assert recent_visitor.guest_email == "bo@example.org"
    assert kept_member.user == member
    # An erased registration's links no longer work.
    token = services.registration_token(old_visitor, "cancel")
    with pytest.raises(InvalidLink):
        services.registration_from_token(token, "cancel", old)


def test_a_link_for_another_event_or_action_is_refused(event, make_event, occurrence):
    registration = services.register_visitor(occurrence, name="Ana", email="ana@example.org")
    other = make_event()
    with pytest.raises(InvalidLink):
        services.registration_from_token(
            services.registration_token(registration, "confirm"), "confirm", other
        )
    with pytest.raises(InvalidLink):
        services.registration_from_token(
            services.registration_token(registration, "cancel"), "confirm", event
        )


def test_an_event_closed_to_visitors_sends_them_to_log_in(client, event, occurrence):
    event.open_to_visitors = False
    event.save_revision().publish()
    response = visitor_post(client, event, occurrence)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()
