"""Registration, capacity, the waiting list and the discussion room."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from freezegun import freeze_time

from events import services
from events.errors import AlreadyRegistered, EmailNotVerified, NotAllowed, NotRegistered, RegistrationClosed
from events.models import Registration
from network.discussion.models import RoomMembership
from tests.factories import UserFactory, VerifiedUserFactory
from tests.factories.events import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service as its own committed transaction would: after-commit callbacks included."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def test_register_confirms_joins_the_room_and_emails_the_ics(occurrence, member, commit):
    registration = commit(services.register_for_event, occurrence, by=member)
    assert registration.is_confirmed
    assert RoomMembership.objects.filter(room=occurrence.event.room, user=member).exists()
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "Inscription confirmée" in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content


def test_english_member_gets_english_email(occurrence, commit):
    member = VerifiedUserFactory(language="en")
    commit(services.register_for_event, occurrence, by=member)
    assert mail.outbox[0].subject  # rendered under translation.override("en")


def test_double_registration_is_refused(occurrence, member):
    services.register_for_event(occurrence, by=member)
    with pytest.raises(AlreadyRegistered) as error:
        services.register_for_event(occurrence, by=member)
    assert error.value.code == "already_registered"


def test_unverified_and_anonymous_cannot_register(occurrence, unverified_user):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(EmailNotVerified):
        services.register_for_event(occurrence, by=unverified_user)
    with pytest.raises(NotAllowed):
        services.register_for_event(occurrence, by=AnonymousUser())


def test_past_capacity_members_wait_in_order_and_a_cancellation_promotes_the_first(occurrence, commit):
    first, second, third, fourth = (VerifiedUserFactory() for _ in range(4))
    assert services.register_for_event(occurrence, by=first).is_confirmed
    assert services.register_for_event(occurrence, by=second).is_confirmed
    waiting_a = services.register_for_event(occurrence, by=third)
    waiting_b = services.register_for_event(occurrence, by=fourth)
    assert waiting_a.is_waitlisted and waiting_b.is_waitlisted
    assert services.waitlist_position(waiting_a) == 1
    assert services.waitlist_position(waiting_b) == 2
    assert not RoomMembership.objects.filter(user=third).exists()
    mail.outbox.clear()

    commit(services.cancel_registration, occurrence, by=first)
    waiting_a.refresh_from_db()
    waiting_b.refresh_from_db()
    assert waiting_a.is_confirmed and waiting_a.promoted_at is not None
    assert services.waitlist_position(waiting_b) == 1
    assert [m.to for m in mail.outbox] == [[third.email]]
    assert "place s'est libérée" in mail.outbox[0].subject
    assert RoomMembership.objects.filter(user=third).exists()
    assert not RoomMembership.objects.filter(user=first).exists()


def test_leaving_the_waiting_list_promotes_nobody(occurrence):
    members = [VerifiedUserFactory() for _ in range(4)]
    for member in members:
        services.register_for_event(occurrence, by=member)
    services.cancel_registration(occurrence, by=members[2])
    assert Registration.objects.waitlisted().get().user == members[3]


def test_no_email_leaves_when_the_transaction_rolls_back(occurrence, member, commit):
    from django.db import transaction

    class Boom(Exception):
        pass

    def register_then_fail():
        with transaction.atomic():
            services.register_for_event(occurrence, by=member)
            raise Boom

    with pytest.raises(Boom):
        commit(register_then_fail)
    assert mail.outbox == []
    assert not Registration.objects.exists()


def test_cancel_without_registration(occurrence, member):
    with pytest.raises(NotRegistered):
        services.cancel_registration(occurrence, by=member)


def test_registration_closes_at_start_and_when_the_organizer_closes_it(occurrence, member, staff_user):
    services.set_registration_open(occurrence, by=staff_user, is_open=False)
    with pytest.raises(RegistrationClosed):
        services.register_for_event(occurrence, by=member)
    services.set_registration_open(occurrence, by=staff_user, is_open=True)
    with freeze_time(occurrence.start), pytest.raises(RegistrationClosed):
        services.register_for_event(occurrence, by=member)
    assert services.register_for_event(occurrence, by=member).is_confirmed


def test_cancelled_occurrence_and_event_refuse_registrations(occurrence, member, staff_user):
    services.cancel_occurrence(occurrence, by=staff_user)
    with pytest.raises(RegistrationClosed):
        services.register_for_event(occurrence, by=member)


def test_full_status_sends_new_registrations_to_the_waiting_list(event, occurrence, member):
    event.status = "full"
    event.save()
    assert services.register_for_event(occurrence, by=member).is_waitlisted


def test_register_again_after_cancelling(occurrence, member):
    services.register_for_event(occurrence, by=member)
    services.cancel_registration(occurrence, by=member)
    assert services.register_for_event(occurrence, by=member).is_confirmed
    assert Registration.objects.filter(user=member).count() == 2


def test_only_organizers_close_cancel_move_or_mark(occurrence, member, other_manager):
    registration = services.register_for_event(occurrence, by=member)
    for by in (member, other_manager):
        with pytest.raises(NotAllowed):
            services.set_registration_open(occurrence, by=by, is_open=False)
        with pytest.raises(NotAllowed):
            services.cancel_occurrence(occurrence, by=by)
        with pytest.raises(NotAllowed):
            services.move_occurrence(occurrence, by=by, start=in_days(9), end=in_days(9, 21))
        with pytest.raises(NotAllowed):
            services.mark_attendance(registration, by=by, attended=True)


def test_venue_manager_organizes_their_venue_events(venue_event, manager, member):
    occurrence = venue_event.occurrences.get()
    registration = services.register_for_event(occurrence, by=member)
    assert services.mark_attendance(registration, by=manager, attended=True).attended is True


def test_cancel_and_move_notify_registrants(occurrence, member, staff_user, commit):
    services.register_for_event(occurrence, by=member)
    mail.outbox.clear()
    moved = commit(services.move_occurrence, occurrence, by=staff_user, start=in_days(9), end=in_days(9, 21))
    assert moved.original_start is not None and moved.sequence == 1
    assert "Changement" in mail.outbox[0].subject
    commit(services.cancel_occurrence, occurrence, by=staff_user)
    assert "Annulation" in mail.outbox[1].subject
    occurrence.refresh_from_db()
    assert occurrence.sequence == 2


def test_practical_change_on_publish_notifies_registrants(event, occurrence, member, staff_user, commit):
    services.register_for_event(occurrence, by=member)
    mail.outbox.clear()
    event.street_address = "99 avenue Nouvelle"
    commit(event.save_revision(user=staff_user).publish, user=staff_user)
    assert [m.to for m in mail.outbox] == [[member.email]]
    event.status = "cancelled"
    commit(event.save_revision(user=staff_user).publish, user=staff_user)
    assert "Annulation" in mail.outbox[1].subject


def test_reminders_are_sent_once(occurrence, member, commit):
    services.register_for_event(occurrence, by=member)
    mail.outbox.clear()
    with freeze_time(occurrence.start - timedelta(hours=30)):
        assert services.send_due_reminders() == []
    with freeze_time(occurrence.start - timedelta(hours=20)):
        from django.core.management import call_command

        commit(call_command, "send_event_reminders")
        commit(call_command, "send_event_reminders")
    assert len(mail.outbox) == 1 and "Rappel" in mail.outbox[0].subject
    assert Registration.objects.get(user=member).reminder_sent_at is not None


def test_unregistered_member_keeps_the_room_while_registered_for_another_date(make_event, member):
    event = make_event(repeat="weekly", repeat_count=2)
    first, second = event.occurrences.all()
    services.register_for_event(first, by=member)
    services.register_for_event(second, by=member)
    services.cancel_registration(first, by=member)
    assert RoomMembership.objects.filter(room=event.room, user=member).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_registrations(agenda):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI sets DATABASE_URL)")
    from tests.factories.events import EventPageFactory

    event = EventPageFactory(parent=agenda, capacity=3)
    occurrence = event.occurrences.get()
    members = [VerifiedUserFactory() for _ in range(12)]
    barrier = threading.Barrier(len(members))
    errors = []

    def register(member):
        try:
            barrier.wait()
            services.register_for_event(occurrence, by=member)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert occurrence.registrations.confirmed().count() == 3
    waiting = list(occurrence.registrations.waitlisted())
    assert len(waiting) == 9
    # Strictly first come: positions are 1..9 with no gap or tie.
    assert [services.waitlist_position(r) for r in waiting] == list(range(1, 10))

    # Concurrent cancellations promote exactly as many as leave.
    confirmed = [r.user for r in occurrence.registrations.confirmed()]
    barrier = threading.Barrier(len(confirmed))

    def cancel(member):
        try:
            barrier.wait()
            services.cancel_registration(occurrence, by=member)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(m,)) for m in confirmed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert occurrence.registrations.confirmed().count() == 3
    assert occurrence.registrations.waitlisted().count() == 6
    assert {r.user for r in occurrence.registrations.confirmed()} == {w.user for w in waiting[:3]}


def test_unverified_user_factory_is_not_verified():
    from events.permissions import can_register

    assert not can_register(UserFactory())
