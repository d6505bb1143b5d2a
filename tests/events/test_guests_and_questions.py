"""Guests (+N) count toward capacity and the waiting list; registration
questions reach the attendee CSV and the check-in list; who sees that data."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from events import services
from events.errors import EventFull, InvalidRegistration
from events.models import RegistrationQuestion
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def party_event(make_event):
    """4 seats, up to 3 guests each, three questions."""
    event = make_event(title="Repas partagé", slug="repas-partage", capacity=4, max_guests=3)
    RegistrationQuestion.objects.create(page=event, sort_order=0, label="Régime alimentaire", kind="text")
    RegistrationQuestion.objects.create(
        page=event, sort_order=1, label="Atelier", kind="choice", choices="Bois\nMétal", required=True
    )
    RegistrationQuestion.objects.create(page=event, sort_order=2, label="Fauteuil roulant ?", kind="yes_no")
    return event


@pytest.fixture
def party_occurrence(party_event):
    return party_event.occurrences.get()


def test_a_party_is_promoted_only_when_it_fits_and_nobody_overtakes_it(party_occurrence):
    first, second, third = (VerifiedUserFactory() for _ in range(3))
    a = services.register_for_event(party_occurrence, by=first, guests=2)  # 3 seats of 4
    b = services.register_for_event(party_occurrence, by=second, guests=2)  # does not fit
    c = services.register_for_event(party_occurrence, by=third)  # 1 seat is free, but b waits
    assert a.is_confirmed and b.is_waitlisted and c.is_waitlisted
    assert [services.waitlist_position(r) for r in (b, c)] == [1, 2]

    services.cancel_registration(party_occurrence, by=first)
    b.refresh_from_db()
    c.refresh_from_db()
    assert b.is_confirmed and c.is_confirmed  # 3 + 1 seats: both fit, in order
    assert party_occurrence.registrations.confirmed().seat_count() == 4


def test_the_head_of_the_line_blocks_smaller_parties_behind_it(party_occurrence):
    members = [VerifiedUserFactory() for _ in range(4)]
    services.register_for_event(party_occurrence, by=members[0], guests=1)  # 2
    services.register_for_event(party_occurrence, by=members[1], guests=1)  # 4: full
    big = services.register_for_event(party_occurrence, by=members[2], guests=2)  # needs 3
    small = services.register_for_event(party_occurrence, by=members[3])  # needs 1
    services.cancel_registration(party_occurrence, by=members[0])  # 2 seats free
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.is_waitlisted and small.is_waitlisted  # the small party does not overtake
    services.cancel_registration(party_occurrence, by=members[1])
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.is_confirmed and small.is_confirmed


def test_visitors_and_guests_share_the_same_seats_as_members(party_occurrence):
    services.register_visitor(party_occurrence, name="Ana", email="ana@example.org", guests=3)
    late = services.register_for_event(party_occurrence, by=VerifiedUserFactory())
    assert late.is_waitlisted


def test_guests_are_capped_and_a_party_larger_than_the_date_is_refused(party_occurrence, event, occurrence):
    with pytest.raises(InvalidRegistration):
        services.register_for_event(party_occurrence, by=VerifiedUserFactory(), guests=4)
    with pytest.raises(InvalidRegistration):
        services.register_for_event(occurrence, by=VerifiedUserFactory(), guests=1)  # no guests here
    party_occurrence.capacity = 2
    party_occurrence.save()
    with pytest.raises(EventFull):
        services.register_for_event(party_occurrence, by=VerifiedUserFactory(), guests=2)


def test_answers_reach_the_csv_through_the_formula_guard_and_the_check_in_list(
    client, party_event, party_occurrence, staff_user, member
):
    client.force_login(member)
    response = client.post(
        f"{party_event.url}inscription/",
        {
            "occurrence": party_occurrence.pk,
            "guests": "1",
            f"q_{_q(party_event, 'Régime').pk}": '=HYPERLINK("http://evil")',
            f"q_{_q(party_event, 'Atelier').pk}": "Métal",
            f"q_{_q(party_event, 'Fauteuil').pk}": "yes",
        },
    )
    assert response.status_code == 302
    client.logout()
    services.register_visitor(
        party_occurrence,
        name="@Visiteur",
        email="v@example.org",
        answers={_q(party_event, "Atelier"): "Bois"},
    )

    client.force_login(staff_user)
    rows = list(
        csv.reader(io.StringIO(client.get(f"{party_event.url}participants/csv/").content.decode()[1:]))
    )
    header, *body = rows
    assert header[-3:] == ["Régime alimentaire", "Atelier", "Fauteuil roulant ?"]
    by_name = {row[1]: row for row in body}
    mine = by_name[member.display_name]
    assert mine[-3:] == ['\'=HYPERLINK("http://evil")', "Métal", "oui"]
    assert mine[header.index("accompagnant·es")] == "1"
    visitor = by_name["'@Visiteur"]
    assert visitor[2] == "v@example.org" and visitor[-2] == "Bois"
    assert visitor[header.index("statut")] == "en attente de confirmation de l'e-mail"

    page = client.get(f"{party_event.url}participants/").content.decode()
    assert "Métal" in page and "@Visiteur" in page and "e-mail à confirmer" in page


def _q(event, label):
    return RegistrationQuestion.objects.get(page=event, label__startswith=label)


def test_the_check_in_list_does_not_query_per_row(
    client, party_event, party_occurrence, staff_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    party_occurrence.capacity = None
    party_occurrence.save()
    services.register_for_event(party_occurrence, by=VerifiedUserFactory())
    client.force_login(staff_user)
    urls = [f"{party_event.url}participants/", f"{party_event.url}participants/csv/"]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    counts()  # warm the caches (site root, content types)
    with_one = counts()
    for n in range(8):
        services.register_visitor(
            party_occurrence,
            name=f"V{n}",
            email=f"v{n}@example.org",
            answers={_q(party_event, "Atelier"): "Bois"},
        )
    assert counts() == with_one  # nine rows cost what one row costs
    with django_assert_max_num_queries(30):
        assert client.get(urls[0]).status_code == 200
    with django_assert_max_num_queries(16):  # session, user, page routing: none per row
        assert client.get(urls[1]).status_code == 200


def test_a_choice_question_needs_two_choices():
    question = RegistrationQuestion(label="Atelier", kind="choice", choices="Bois")
    with pytest.raises(ValidationError):
        question.clean()


# -- who sees the attendee data ---------------------------------------------------


@pytest.fixture
def mentor(venue_index, staff_user):
    from members.services import attach_manager
    from tests.factories.mentoring import MentorProfileFactory
    from tests.factories.venues import VenuePageFactory

    mentor_venue = VenuePageFactory(parent=venue_index, title="Le Mentor", slug="le-mentor")
    user = VerifiedUserFactory()
    attach_manager(mentor_venue, user, by=staff_user)
    MentorProfileFactory(venue=mentor_venue)
    return user


@pytest.mark.parametrize("route", ["participants/", "participants/csv/"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("other_manager", 403),
        ("mentor", 403),
        ("staff_user", 200),
        ("manager", 200),
    ],
)
def test_attendee_data_per_role(request, client, venue_event, route, role, expected):
    occurrence = venue_event.occurrences.get()
    services.register_visitor(occurrence, name="Secret Visitor", email="secret@example.org")
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(f"{venue_event.url}{route}")
    assert response.status_code == expected
    if expected != 200:
        assert b"secret@example.org" not in response.content
    else:
        assert b"secret@example.org" in response.content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parties_never_overfill_a_date_under_concurrent_registrations(agenda):
    import threading

    from django.db import connection, connections

    from tests.factories.events import EventPageFactory

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI sets DATABASE_URL)")
    event = EventPageFactory(parent=agenda, capacity=5, max_guests=2)
    occurrence = event.occurrences.get()
    members = [VerifiedUserFactory() for _ in range(5)]
    barrier = threading.Barrier(10)
    errors = []

    def run(function, **kwargs):
        try:
            barrier.wait()
            function(occurrence, **kwargs)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    jobs = [(services.register_for_event, {"by": m, "guests": 1}) for m in members]
    jobs += [
        (services.register_visitor, {"name": f"V{n}", "email": f"v{n}@example.org", "guests": 2})
        for n in range(5)
    ]
    threads = [threading.Thread(target=run, args=(f,), kwargs=k) for f, k in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert occurrence.registrations.confirmed().seat_count() <= 5
    assert occurrence.registrations.active().count() == 10
    waiting = list(occurrence.registrations.waitlisted())
    assert [services.waitlist_position(r) for r in waiting] == list(range(1, len(waiting) + 1))


def test_the_venue_manager_edits_guests_and_questions_in_the_admin(client, venue_event, manager):
    client.force_login(manager)
    html = client.get(f"/admin/pages/{venue_event.pk}/edit/").content.decode()
    assert "questions-TOTAL_FORMS" in html  # the InlinePanel of registration questions
    assert 'name="max_guests"' in html and 'name="open_to_visitors"' in html
