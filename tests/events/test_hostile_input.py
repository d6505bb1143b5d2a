"""Hostile values on the registration, cancellation, management and attendee
forms: a clear message, never a 500 (``occurrence=²`` passed ``str.isdigit()``
and then failed in ``int()``)."""

from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import Registration

pytestmark = pytest.mark.django_db

BAD_IDS = [
    "²",
    "١٢",
    "1²",
    "-1",
    "0",
    "1.0",
    " 1",
    "1e3",
    "\x00",
    "99999999999999999999999",
    str(2**63),
    "x" * 5000,
]


@pytest.fixture
def organizer(venue_event, manager, client):
    client.force_login(manager)
    return client


@pytest.mark.parametrize("raw", BAD_IDS)
@pytest.mark.parametrize("route", ["inscription/", "desinscription/"])
def test_a_bad_date_id_is_explained(client, member, event, route, raw):
    client.force_login(member)
    response = client.post(f"{event.url}{route}", {"occurrence": raw}, follow=True)
    assert response.status_code == 200
    assert "Cette date n'existe pas." in unescape(response.content.decode())
    assert not Registration.objects.exists()


@pytest.mark.parametrize("raw", BAD_IDS)
def test_management_and_attendance_refuse_a_bad_id(organizer, venue_event, raw):
    response = organizer.post(
        f"{venue_event.url}gestion/", {"occurrence": raw, "action": "close"}, follow=True
    )
    assert response.status_code == 200
    assert "Cette date n'existe pas." in unescape(response.content.decode())
    response = organizer.post(
        f"{venue_event.url}participants/", {"registration": raw, "attended": "1"}, follow=True
    )
    assert response.status_code == 200
    assert "Requête invalide." in unescape(response.content.decode())
    assert venue_event.occurrences.get().registration_open


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("9999-12-31T20:00", "9999-12-31T23:59"),
        ("0001-01-01T00:00", "0001-01-01T01:00"),
        ("2201-01-01T10:00", "2201-01-01T12:00"),
    ],
)
def test_a_date_out_of_range_is_not_moved_to(organizer, venue_event, start, end):
    occurrence = venue_event.occurrences.get()
    response = organizer.post(
        f"{venue_event.url}gestion/",
        {"occurrence": occurrence.pk, "action": "move", "start": start, "end": end},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choisissez une date entre 1900 et 2200." in unescape(response.content.decode())
    moved = venue_event.occurrences.get()
    assert (moved.start, moved.end) == (occurrence.start, occurrence.end)
    assert organizer.get(f"{venue_event.url}ics/").status_code == 200


# -- property-based: any value in any field -----------------------------------------

# What a browser can send: any text a form encodes (no lone surrogate, which UTF-8 cannot carry).
form_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(
    occurrence=form_text | st.integers().map(str), route=st.sampled_from(["inscription/", "desinscription/"])
)
def test_registration_forms_never_fail(client, member, event, occurrence, route):
    client.force_login(member)
    response = client.post(f"{event.url}{route}", {"occurrence": occurrence})
    assert response.status_code == 302


@PROPERTY
@given(
    data=st.fixed_dictionaries(
        {
            "occurrence": form_text | st.integers().map(str),
            "action": st.sampled_from(["close", "open", "move", "cancel"]) | form_text,
            "start": form_text | st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
            "end": form_text | st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
            "registration": form_text | st.integers().map(str),
            "attended": st.sampled_from(["1", "0", ""]) | form_text,
        }
    )
)
def test_organizer_forms_never_fail(organizer, venue_event, data):
    assert organizer.post(f"{venue_event.url}gestion/", data).status_code == 302
    assert organizer.post(f"{venue_event.url}participants/", data).status_code == 302
    assert organizer.get(f"{venue_event.url}ics/").status_code == 200


def test_an_event_in_the_year_9999_is_refused_by_the_page(event):
    from datetime import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    event.start = timezone.make_aware(datetime(9999, 12, 31, 20, 0))
    event.end = timezone.make_aware(datetime(9999, 12, 31, 23, 0))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["start"] == ["Choisissez une date entre 1900 et 2200."]
    assert error.value.message_dict["end"] == ["Choisissez une date entre 1900 et 2200."]
