"""Hostile values on the mentoring forms: a visit in the year 9999 is refused
(its .ics and e-mail could not be written), and no value of any field of the
request or visit forms answers 500."""

from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import EventPage
from mentoring import services
from mentoring.errors import InvalidInput
from mentoring.models import MentoringRequest
from tests.factories.events import in_days
from tests.mentoring.conftest import FORM

pytestmark = pytest.mark.django_db

REQUEST_URL = "/compagnonnage/demande/"


def _visit_url(pairing):
    return f"/compagnonnage/binome/{pairing.pk}/visite/"


@pytest.mark.parametrize("value", ["9999-12-31T23:59", "9999-12-31T20:00", "2200-01-01T10:00"])
def test_a_visit_years_ahead_is_refused_by_the_form(client, mentoring_page, pairing, newcomer, value):
    client.force_login(newcomer)
    response = client.post(_visit_url(pairing), {"visit_at": value})
    assert response.status_code == 400
    assert "Choisissez une date dans les 2 ans qui viennent." in unescape(response.content.decode())
    assert not EventPage.objects.exists()


def test_a_visit_years_ahead_is_refused_by_the_service(pairing, newcomer):
    with pytest.raises(InvalidInput) as error:
        services.plan_visit(pairing, {"visit_at": "9999-12-31T20:00:00"}, by=newcomer)
    assert error.value.code == "far_date"
    assert not EventPage.objects.exists()


def test_a_visit_within_two_years_is_planned_and_its_calendar_served(
    client, mentoring_page, pairing, newcomer
):
    client.force_login(newcomer)
    when = in_days(700, 20).strftime("%Y-%m-%dT%H:%M")
    assert client.post(_visit_url(pairing), {"visit_at": when}).status_code == 302
    assert client.get(_visit_url(pairing) + "ics/").status_code == 200


# -- property-based: any value in any field -----------------------------------------

form_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
datetimes = st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(visit_at=form_text | datetimes, visit_notes=form_text)
def test_the_visit_form_never_fails(client, mentoring_page, pairing, newcomer, visit_at, visit_notes):
    client.force_login(newcomer)
    response = client.post(_visit_url(pairing), {"visit_at": visit_at, "visit_notes": visit_notes})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert client.get(_visit_url(pairing) + "ics/").status_code == 200


@PROPERTY
@given(
    changes=st.dictionaries(
        st.sampled_from(sorted(FORM)),
        form_text | st.lists(form_text, max_size=3) | st.integers().map(str),
        max_size=4,
    )
)
def test_the_request_form_never_fails(client, mentoring_page, newcomer, request_form_data, changes):
    client.force_login(newcomer)
    MentoringRequest.objects.filter(applicant=newcomer).delete()  # one open request at a time
    response = client.post(REQUEST_URL, {**request_form_data, **changes})
    assert response.status_code in (200, 302, 400)
