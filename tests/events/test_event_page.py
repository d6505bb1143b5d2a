"""The event page: details, JSON-LD, registration views and organizer views, per role."""

import csv
import io
import json

import pytest

from events import services
from events.models import Registration
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.django_db


def jsonld(response):
    html = response.content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    return json.loads(block)


def test_event_page_shows_details_jsonld_and_ics_link(client, venue_event, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        response = client.get(venue_event.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{venue_event.url}ics/"' in html
    assert "data-venue-map" in html
    assert "Connectez-vous pour vous inscrire" in html
    data = jsonld(response)
    assert data["@type"] == "Event" and data["name"] == "Atelier soudure"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["name"] == "La Coroutine"
    assert data["location"]["address"]["streetAddress"] == "3 rue du Code"
    assert data["startDate"].startswith(
        venue_event.occurrences.get().start.astimezone().date().isoformat()[:4]
    )
    assert data["organizer"]["@type"] == "Organization"


def test_jsonld_is_escaped(client, make_event):
    event = make_event(title="</script><script>alert(1)</script>", slug="xss")
    html = client.get(event.url).content.decode()
    assert "<script>alert(1)" not in html
    assert json.loads(html.split('type="application/ld+json">', 1)[1].split("</script>", 1)[0])[
        "name"
    ].startswith("</script>")


def test_member_registers_and_cancels_through_the_page(client, event, occurrence, member):
    client.force_login(member)
    response = client.post(f"{event.url}inscription/", {"occurrence": occurrence.pk}, follow=True)
    assert "Vous êtes inscrit·e" in response.content.decode()
    response = client.post(f"{event.url}inscription/", {"occurrence": occurrence.pk}, follow=True)
    assert "déjà inscrit·e" in response.content.decode()
    response = client.post(f"{event.url}desinscription/", {"occurrence": occurrence.pk}, follow=True)
    assert "Votre inscription est annulée" in response.content.decode()
    assert not Registration.objects.active().exists()


def test_single_occurrence_needs_no_id(client, event, member):
    client.force_login(member)
    client.post(f"{event.url}inscription/")
    assert Registration.objects.confirmed().filter(user=member).exists()


def test_waitlisted_member_sees_their_position(client, event, occurrence):
    for _ in range(2):
        services.register_for_event(occurrence, by=VerifiedUserFactory())
    member = VerifiedUserFactory()
    client.force_login(member)
    response = client.post(f"{event.url}inscription/", {"occurrence": occurrence.pk}, follow=True)
    html = response.content.decode()
    assert "n° 1 sur la liste d" in html


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1"])
def test_bad_occurrence_ids_are_explained(client, make_event, member, value):
    event = make_event(repeat="weekly", repeat_count=2)
    client.force_login(member)
    response = client.post(f"{event.url}inscription/", {"occurrence": value}, follow=True)
    assert response.status_code == 200
    assert not Registration.objects.exists()
    html = response.content.decode()
    assert "Choisissez une date" in html or "Cette date n" in html


def test_occurrence_of_another_event_is_refused(client, event, make_event, member):
    other = make_event(title="Autre", slug="autre")
    client.force_login(member)
    client.post(f"{event.url}inscription/", {"occurrence": other.occurrences.get().pk})
    assert not Registration.objects.exists()


def test_anonymous_is_sent_to_login_and_unverified_is_told(client, event, occurrence, unverified_user):
    # An event open to visitors takes them without an account
    # (tests/events/test_visitor_registration.py); this one is not.
    event.open_to_visitors = False
    event.save_revision().publish()
    response = client.post(f"{event.url}inscription/", {"occurrence": occurrence.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(unverified_user)
    response = client.post(f"{event.url}inscription/", {"occurrence": occurrence.pk}, follow=True)
    assert "Confirmez d" in response.content.decode()
    assert not Registration.objects.exists()


def test_get_shows_the_registration_form_and_unregistering_needs_a_post(client, event, occurrence, member):
    client.force_login(member)
    form_page = client.get(f"{event.url}inscription/")
    assert form_page.status_code == 200 and 'name="occurrence"' in form_page.content.decode()
    assert client.get(f"{event.url}desinscription/").status_code == 302
    assert not Registration.objects.exists()


def test_registration_needs_csrf(event, occurrence, member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(f"{event.url}inscription/", {"occurrence": occurrence.pk}).status_code == 403


# -- organizers -------------------------------------------------------------------


@pytest.fixture
def registered(venue_event):
    occurrence = venue_event.occurrences.get()
    member = VerifiedUserFactory(display_name="=HYPERLINK(evil)")
    return services.register_for_event(occurrence, by=member)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("unverified", 403),
        ("other_manager", 403),
        ("manager", 200),
        ("staff", 200),
    ],
)
def test_attendee_list_and_csv_per_role(client, venue_event, registered, role, expected, request):
    users = {
        "member": "member",
        "unverified": "unverified_user",
        "other_manager": "other_manager",
        "manager": "manager",
        "staff": "staff_user",
    }
    if role in users:
        client.force_login(request.getfixturevalue(users[role]))
    assert client.get(f"{venue_event.url}participants/").status_code == expected
    response = client.get(f"{venue_event.url}participants/csv/")
    assert response.status_code == expected
    if expected == 200:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["date", "nom", "e-mail"]
        assert rows[1][1] == "'=HYPERLINK(evil)"  # no formula injection
        assert rows[1][2] == registered.user.email


def test_organizer_marks_attendance_and_manages_dates(client, venue_event, registered, manager):
    client.force_login(manager)
    url = f"{venue_event.url}participants/"
    client.post(url, {"registration": registered.pk, "attended": "1"})
    registered.refresh_from_db()
    assert registered.attended is True
    response = client.post(url, {"registration": "nope", "attended": "1"}, follow=True)
    assert "Requête invalide" in response.content.decode()
    occurrence = registered.occurrence
    client.post(f"{venue_event.url}gestion/", {"occurrence": occurrence.pk, "action": "close"})
    occurrence.refresh_from_db()
    assert occurrence.registration_open is False
    response = client.post(
        f"{venue_event.url}gestion/",
        {"occurrence": occurrence.pk, "action": "move", "start": "not a date", "end": ""},
        follow=True,
    )
    assert response.status_code == 200
    client.post(f"{venue_event.url}gestion/", {"occurrence": occurrence.pk, "action": "cancel"})
    occurrence.refresh_from_db()
    assert occurrence.status == "cancelled"


def test_other_manager_cannot_manage_dates(client, venue_event, other_manager):
    client.force_login(other_manager)
    occurrence = venue_event.occurrences.get()
    assert (
        client.post(
            f"{venue_event.url}gestion/", {"occurrence": occurrence.pk, "action": "cancel"}
        ).status_code
        == 403
    )
    occurrence.refresh_from_db()
    assert occurrence.status == "scheduled"


# -- Wagtail permissions ------------------------------------------------------------


def test_venue_manager_adds_events_only_under_their_venue(client, manager, venue, other_venue, agenda):
    assert venue.permissions_for_user(manager).can_add_subpage()
    assert not other_venue.permissions_for_user(manager).can_add_subpage()
    assert not agenda.permissions_for_user(manager).can_add_subpage()
    client.force_login(manager)
    assert client.get(f"/admin/pages/add/events/eventpage/{venue.pk}/").status_code == 200
    assert client.get(f"/admin/pages/add/events/eventpage/{other_venue.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/pages/add/events/eventpage/{agenda.pk}/").status_code in (302, 403)


def test_venue_manager_edits_their_events_only(manager, venue_event, event):
    assert venue_event.permissions_for_user(manager).can_edit()
    assert not event.permissions_for_user(manager).can_edit()
