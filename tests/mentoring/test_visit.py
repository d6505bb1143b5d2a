"""The visit of a pairing is a private event of the mentor venue: the pair sees it, nobody else."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from events.models import EventPage, Occurrence
from mentoring import services
from mentoring.errors import InvalidInput
from tests.factories.events import EventPageFactory, in_days

pytestmark = pytest.mark.django_db

TITLE_WORD = "Coroutine"


def pairing_url(pairing):
    return f"/compagnonnage/binome/{pairing.pk}/"


def ics_url(pairing):
    return pairing_url(pairing) + "visite/ics/"


@pytest.fixture
def planned(pairing, newcomer, django_capture_on_commit_callbacks):
    """The newcomer plans a visit in 5 days at 14:00 (commit callbacks run: emails, search index)."""
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_visit(
            pairing, {"visit_at": in_days(5, 14), "visit_notes": "Entrée côté cour"}, by=newcomer
        )
    pairing.refresh_from_db()
    return pairing


@pytest.fixture
def public_event(mentor_venue):
    """A published event of the same venue: what the listings do show."""
    return EventPageFactory(
        parent=mentor_venue, title="Atelier public", slug="atelier-public", kind="workshop", street_address=""
    )


def visit_of(pairing):
    return EventPage.objects.get(pk=pairing.visit_event_id)


# -- the service ---------------------------------------------------------------------------


def test_planning_creates_one_private_event_under_the_mentor_venue(planned, mentor_venue):
    event = visit_of(planned)
    assert EventPage.objects.count() == 1
    assert event.is_private and not event.live
    assert event.kind == "visit"
    assert event.get_parent().pk == mentor_venue.pk
    assert event.venue_id == mentor_venue.pk
    assert event.latest_revision is not None
    occurrence = event.occurrences.get()
    assert occurrence.start == in_days(5, 14)
    assert occurrence.end == in_days(5, 16)
    assert planned.visit_at == in_days(5, 14)
    assert planned.visit_notes == "Entrée côté cour"


def test_moving_the_visit_updates_the_same_event(planned, mentor_manager):
    event = visit_of(planned)
    occurrence = event.occurrences.get()
    before = occurrence.ical_sequence
    services.plan_visit(
        planned, {"visit_at": in_days(8, 10), "visit_notes": "Finalement le matin"}, by=mentor_manager
    )
    planned.refresh_from_db()
    assert planned.visit_event_id == event.pk
    assert EventPage.objects.count() == 1 and Occurrence.objects.count() == 1
    occurrence = Occurrence.objects.get()
    assert occurrence.pk == event.occurrences.get().pk
    assert (occurrence.start, occurrence.end) == (in_days(8, 10), in_days(8, 12))
    assert occurrence.ical_sequence > before
    event.refresh_from_db()
    assert event.start == in_days(8, 10) and event.summary == "Finalement le matin"
    assert planned.visit_at == in_days(8, 10)


def test_the_ics_sequence_grows_when_the_visit_moves(client, mentoring_page, planned, newcomer):
    client.force_login(newcomer)
    first = Calendar.from_ical(client.get(ics_url(planned)).content).walk("VEVENT")[0]
    services.plan_visit(planned, {"visit_at": in_days(9, 15)}, by=newcomer)
    second = Calendar.from_ical(client.get(ics_url(planned)).content).walk("VEVENT")[0]
    assert str(first["UID"]) == str(second["UID"])
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert second.decoded("DTSTART") == in_days(9, 15)


def test_closing_the_pairing_cancels_a_visit_to_come(planned, newcomer):
    occurrence = visit_of(planned).occurrences.get()
    sequence = occurrence.ical_sequence
    services.close_pairing(planned, by=newcomer, feedback="Merci !", project_opened=None)
    occurrence.refresh_from_db()
    assert occurrence.is_cancelled and occurrence.ical_sequence > sequence


def test_closing_keeps_a_past_visit(planned, newcomer):
    occurrence = visit_of(planned).occurrences.get()
    Occurrence.objects.filter(pk=occurrence.pk).update(
        start=timezone.now() - datetime.timedelta(days=2), end=timezone.now() - datetime.timedelta(days=2)
    )
    services.close_pairing(planned, by=newcomer, feedback="Merci !", project_opened=True)
    occurrence.refresh_from_db()
    assert not occurrence.is_cancelled


@pytest.mark.parametrize(
    "value",
    [
        None,
        "demain",
        "2024-13-45T10:00",
        42,
        timezone.now() - datetime.timedelta(minutes=1),
        datetime.datetime(2001, 1, 1, 10, 0),
    ],
)
def test_bad_dates_are_refused_in_french_and_nothing_is_created(pairing, newcomer, value):
    with pytest.raises(InvalidInput) as error:
        services.plan_visit(pairing, {"visit_at": value}, by=newcomer)
    assert "date" in error.value.message and "visite" in error.value.message
    assert not EventPage.objects.exists()
    pairing.refresh_from_db()
    assert pairing.visit_event_id is None and pairing.visit_at is None


def test_a_service_string_date_to_come_is_accepted(pairing, newcomer):
    services.plan_visit(pairing, {"visit_at": in_days(3, 9).isoformat()}, by=newcomer)
    pairing.refresh_from_db()
    assert visit_of(pairing).occurrences.get().start == in_days(3, 9)


def test_outsiders_cannot_plan_a_visit(pairing, member, other_manager):
    from mentoring.errors import NotAllowed

    for user in (member, other_manager):
        with pytest.raises(NotAllowed):
            services.plan_visit(pairing, {"visit_at": in_days(3)}, by=user)
    assert not EventPage.objects.exists()


def test_the_email_carries_the_ics(pairing, newcomer, mentor_manager, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_visit(pairing, {"visit_at": in_days(5, 14)}, by=newcomer)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([newcomer.email, mentor_manager.email])
    for message in mail.outbox:
        assert "Visite prévue" in message.subject
        (name, content, mimetype) = message.attachments[0]
        assert name.endswith(".ics") and mimetype == "text/calendar"
        assert "BEGIN:VEVENT" in (content if isinstance(content, str) else content.decode())


# -- nothing public shows it ---------------------------------------------------------------


def _public_pages(client, venue):
    return {
        "agenda": client.get("/agenda/"),
        "feed": client.get("/agenda/agenda.ics"),
        "venue": client.get(venue.url),
        "search": client.get("/recherche/", {"q": TITLE_WORD}),
        "sitemap": client.get("/sitemap.xml"),
        "home": client.get("/"),
    }


@pytest.mark.parametrize("force_live", [False, True], ids=["draft", "published-by-mistake"])
def test_the_visit_never_shows_publicly(client, planned, mentor_venue, public_event, force_live):
    event = visit_of(planned)
    if force_live:  # an editor publishing it in the admin must not expose it either
        EventPage.objects.filter(pk=event.pk).update(live=True)
    pages = _public_pages(client, mentor_venue)
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = response.content.decode()
        assert event.title not in body, name
        assert event.slug not in body, name
    # The same listings do show the venue's public event.
    for name in ("agenda", "feed", "venue"):
        assert "Atelier public" in pages[name].content.decode(), name
    assert "atelier-public" in pages["sitemap"].content.decode()
    assert client.get(event.url or f"{mentor_venue.url}{event.slug}/").status_code == 404
    assert client.get(f"{mentor_venue.url}{event.slug}/ics/").status_code == 404


def test_the_visit_is_left_out_of_the_search_index(
    client, planned, mentor_venue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        EventPageFactory(
            parent=mentor_venue, title="Visite publique", slug="visite-publique", street_address=""
        )
    assert "visite-publique" in client.get("/recherche/", {"q": "Visite"}).content.decode()
    event = visit_of(planned)
    assert event.pk not in [page.pk for page in EventPage.get_indexed_objects()]
    assert TITLE_WORD in event.title
    for query in (event.title, TITLE_WORD, "Visite"):
        html = client.get("/recherche/", {"q": query}).content.decode()
        assert event.slug not in html and f">{event.title}<" not in html


@pytest.mark.parametrize("who", ["newcomer", "mentor_manager", "staff_user"])
def test_the_pair_and_staff_see_it_on_the_pairing_page(
    client, mentoring_page, planned, mentor_venue, who, request
):
    client.force_login(request.getfixturevalue(who))
    html = client.get(pairing_url(planned)).content.decode()
    assert "Entrée côté cour" in html and mentor_venue.title in html
    assert ics_url(planned) in html


# -- who downloads the .ics ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 404),
        ("member", 404),
        ("other_manager", 404),
        ("newcomer", 200),
        ("mentor_manager", 200),
        ("staff_user", 200),
    ],
)
def test_only_the_pair_and_staff_download_the_visit(client, mentoring_page, planned, who, status, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(ics_url(planned))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("text/calendar")
        assert "attachment" in response["Content-Disposition"]
        vevent = Calendar.from_ical(response.content).walk("VEVENT")[0]
        assert vevent.decoded("DTSTART") == in_days(5, 14)
        assert vevent.decoded("DTEND") == in_days(5, 16)
        assert "La Coroutine" in str(vevent["LOCATION"])
        assert str(vevent["URL"]).endswith(pairing_url(planned))


def test_no_visit_means_no_ics(client, mentoring_page, pairing, newcomer):
    client.force_login(newcomer)
    assert client.get(ics_url(pairing)).status_code == 404
    assert client.get("/compagnonnage/binome/999999/visite/ics/").status_code == 404


# -- through the pairing page's form -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2001-01-01T10:00", "Choisissez une date à venir."),
        ("demain", "Saisissez une date et une heure valides."),
        ("", "Champ requis."),
    ],
)
def test_bad_form_input_is_explained_without_error(client, mentoring_page, pairing, newcomer, value, message):
    client.force_login(newcomer)
    response = client.post(pairing_url(pairing) + "visite/", {"visit_at": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EventPage.objects.exists()


def test_the_form_plans_then_moves_the_visit(client, mentoring_page, pairing, newcomer):
    client.force_login(newcomer)
    when = in_days(6, 18).strftime("%Y-%m-%dT%H:%M")
    assert client.post(pairing_url(pairing) + "visite/", {"visit_at": when}).status_code == 302
    when = in_days(7, 18).strftime("%Y-%m-%dT%H:%M")
    assert client.post(pairing_url(pairing) + "visite/", {"visit_at": when}).status_code == 302
    assert EventPage.objects.count() == 1
    assert Occurrence.objects.get().start == in_days(7, 18)


def test_the_visit_ics_answers_304_until_the_visit_moves(
    client, mentoring_page, planned, newcomer, mentor_manager
):
    client.force_login(newcomer)
    first = client.get(ics_url(planned))
    not_modified = client.get(ics_url(planned), headers={"if-none-match": first["ETag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["Cache-Control"] == "private, no-store"
    services.plan_visit(planned, {"visit_at": in_days(8, 10), "visit_notes": "Le matin"}, by=mentor_manager)
    moved = client.get(ics_url(planned), headers={"if-none-match": first["ETag"]})
    assert moved.status_code == 200
    assert Calendar.from_ical(moved.content).walk("VEVENT")[0].decoded("DTSTART") == in_days(8, 10)
