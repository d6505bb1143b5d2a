"""Bad input: malformed filters and dates answer 400 or an empty result, never 500; an end
before the start, a rule without end or a capacity under the seats taken is refused."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events import services
from tests.factories import VerifiedUserFactory
from tests.factories.events import in_days

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/agenda/?start=garbage",
        "/agenda/?start=0001-01-01",
        "/agenda/?end=9999-12-31",
        "/agenda/?start=99999-01-01",
        "/agenda/?page=-1",
        "/agenda/?page=0",
        "/agenda/?page=99999999999999999999",
        "/agenda/?venue=notanint",
        "/agenda/?venue=12&commune=%00",
        "/agenda/?q=%00&tag=%00&kind=%00",
        "/agenda/archives/?page=-1&start=x",
        "/agenda/2026/1/?start=1-1-1&end=garbage",
        "/agenda/agenda.ics?start=garbage&end=zz&kind=x&commune=abc",
        "/agenda/agenda.ics?start=0001-01-01&end=9999-12-31&venue=%C3%28",
        "/agenda/ical/?page=x&tag=<script>",
    ],
)
def test_malformed_filters_answer_a_page_or_an_empty_feed(client, event, url):
    response = client.get(url)
    assert response.status_code == 200
    if "ics" not in url and "ical" not in url:
        assert response.context["filter_errors"] or "page" in url


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/agenda/9999/99/", 400),
        ("/agenda/2026/13/", 400),
        ("/agenda/2026/0/", 400),
        ("/agenda/0001/1/", 400),
        ("/agenda/9999/12/", 400),
        ("/agenda/abc/", 404),  # no such event: not a date at all
        ("/agenda/2026/abc/", 404),
        ("/agenda/mon-agenda/" + "z" * 30 + ".ics", 404),
        ("/agenda/mon-agenda/" + "z" * 30 + ".ics?start=garbage", 404),
    ],
)
def test_malformed_paths_answer_4xx(client, event, url, status):
    assert client.get(url).status_code == status


def test_month_bounds_are_served(client, event):
    assert client.get("/agenda/1900/1/").status_code == 200
    assert client.get("/agenda/2200/12/").status_code == 200


# -- refused edits ----------------------------------------------------------------


def _errors(page):
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    return error.value.message_dict


def test_end_before_start_is_refused(event):
    event.end = event.start.replace(hour=event.start.hour - 1)
    assert _errors(event)["end"] == ["La fin doit suivre le début."]


def test_rule_without_end_is_refused(event):
    event.repeat = "weekly"
    assert "date de fin ou un nombre de dates" in _errors(event)["repeat_until"][0]
    event.repeat_count = 10
    event.full_clean()


def test_capacity_below_confirmed_registrations_is_refused(event, occurrence):
    for user in VerifiedUserFactory.create_batch(2):
        services.register_for_event(occurrence, by=user)
    event.capacity = 1
    assert "compte déjà 2 inscrit·es confirmé·es" in _errors(event)["capacity"][0]
    event.capacity = 2
    event.full_clean()
    event.capacity = None
    event.full_clean()


def test_occurrence_validation(occurrence):
    services.register_for_event(occurrence, by=VerifiedUserFactory())
    services.register_for_event(occurrence, by=VerifiedUserFactory())
    occurrence.capacity = 1
    occurrence.end = occurrence.start.replace(hour=occurrence.start.hour - 1)
    with pytest.raises(ValidationError) as error:
        occurrence.full_clean()
    assert set(error.value.message_dict) == {"capacity", "end"}


def _admin_post(event, **changes):
    fields = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "status": event.status,
        "summary": event.summary,
        "body": rich_text("<p>Bonjour</p>"),
        "tags": "",
        "start": event.start.astimezone().strftime("%Y-%m-%d %H:%M"),
        "end": event.end.astimezone().strftime("%Y-%m-%d %H:%M"),
        "repeat": event.repeat,
        "repeat_interval": event.repeat_interval,
        "repeat_until": "",
        "repeat_count": event.repeat_count or "",
        "exception_dates": "",
        "extra_dates": inline_formset([]),
        "attendance_mode": event.attendance_mode,
        "street_address": event.street_address,
        "registration_enabled": "on",
        "capacity": event.capacity or "",
        "open_to_visitors": "on",
        "max_guests": event.max_guests,
        "questions": inline_formset([]),
        "is_free": "on",
        "comments": inline_formset([]),
    }
    fields.update(changes)
    return nested_form_data(fields)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end": in_days(6).strftime("%Y-%m-%d %H:%M")}, "end", "La fin doit suivre le début."),
        ({"repeat": "weekly"}, "repeat_until", "Une répétition doit s'arrêter"),
        ({"capacity": 1}, "capacity", "compte déjà 2 inscrit·es confirmé·es"),
    ],
)
def test_wagtail_admin_refuses_with_a_clear_message(
    client, staff_user, event, occurrence, changes, field, message
):
    for user in VerifiedUserFactory.create_batch(2):
        services.register_for_event(occurrence, by=user)
    client.force_login(staff_user)
    url = f"/admin/pages/{event.pk}/edit/"
    assert client.post(url, _admin_post(event)).status_code == 302  # the unchanged form saves
    response = client.post(url, _admin_post(event, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    event.refresh_from_db()
    assert event.capacity == 2 and event.repeat == "none"
