"""The feeds as three independent iCalendar readers see them, across the changes of time
of 2027 and 2028, and their HTTP validators (ETag, Last-Modified, 304)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import IcsTimezoneInfo
from icalendar import Calendar

from events import services
from events.vtimezone import vtimezone
from tests.factories import VerifiedUserFactory
from tests.factories.events import in_days

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")

# Either side of each change of time: 28 March and 31 October 2027, 26 March and 29 October 2028.
AROUND_CHANGES = [
    datetime(2027, 3, 27, 10, 0),
    datetime(2027, 3, 29, 10, 0),
    datetime(2027, 10, 30, 10, 0),
    datetime(2027, 11, 1, 10, 0),
    datetime(2028, 3, 25, 18, 30),
    datetime(2028, 3, 27, 18, 30),
    datetime(2028, 10, 28, 9, 0),
    datetime(2028, 10, 30, 9, 0),
]


def starts_by_icalendar(text):
    """UTC starts as icalendar reads them through the feed's own VTIMEZONE (not its zoneinfo copy)."""
    calendar = Calendar.from_ical(text)
    (component,) = calendar.walk("VTIMEZONE")
    tz = component.to_tz(lookup_tzid=False)
    starts = {}
    for vevent in calendar.walk("VEVENT"):
        value = vevent["DTSTART"].dt
        assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
        starts[str(vevent["SUMMARY"])] = value.replace(tzinfo=None).replace(tzinfo=tz).astimezone(UTC)
    return starts


def starts_by_ical(text):
    """UTC starts as ``ical`` (Home Assistant's reader) reads them through the feed's VTIMEZONE."""
    calendar = IcsCalendarStream.calendar_from_ics(text)
    (component,) = calendar.timezones
    tz = IcsTimezoneInfo.from_timezone(component)
    return {
        event.summary: event.dtstart.replace(tzinfo=None).replace(tzinfo=tz).astimezone(UTC)
        for event in calendar.events
    }


def starts_by_vobject(text):
    """UTC starts as vobject reads them (it applies the VTIMEZONE itself, like ical.js)."""
    # vobject keeps the first VTIMEZONE it met for a TZID for the life of the process:
    # register this feed's, as a client reading it afresh would.
    first = vobject.readOne(text)
    vobject.icalendar.registerTzid(first.vtimezone.tzid.value, first.vtimezone.gettzinfo())
    calendar = vobject.readOne(text)
    return {str(event.summary.value): event.dtstart.value.astimezone(UTC) for event in calendar.vevent_list}


READERS = [starts_by_icalendar, starts_by_ical, starts_by_vobject]


@pytest.fixture
def events_around_changes(make_event):
    events = {}
    for number, local in enumerate(AROUND_CHANGES):
        start = timezone.make_aware(local, PARIS)
        title = f"Rencontre du {local:%d/%m/%Y %H:%M}"
        make_event(title=title, slug=f"rencontre-{number}", start=start, end=start + timedelta(hours=2))
        events[title] = start
    return events


@pytest.mark.parametrize("read", READERS, ids=lambda read: read.__name__)
def test_every_reader_finds_the_local_times_across_2027_and_2028(client, agenda, events_around_changes, read):
    text = client.get("/agenda/agenda.ics").content.decode()
    starts = read(text)
    assert starts == {title: start.astimezone(UTC) for title, start in events_around_changes.items()}
    for title, start in starts.items():  # and so the wall-clock time shown in Lille
        assert start.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") == title.removeprefix("Rencontre du ")


def test_time_zone_changes_are_yearly_rules_not_comma_lists(client, agenda, events_around_changes):
    text = client.get("/agenda/agenda.ics").content.decode()
    vtimezone_lines = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")].split("\r\n")
    rules = [line for line in vtimezone_lines if line.startswith("RRULE:")]
    assert sorted(rules) == [
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
    ]
    assert not [line for line in vtimezone_lines if line.startswith("RDATE")]
    # From the change before 1 January of the year before today's (2026); an onset is written in the
    # time before the change (RFC 5545).
    assert "DTSTART:20250330T020000" in vtimezone_lines and "DTSTART:20241027T030000" in vtimezone_lines


def test_feeds_tell_subscribers_to_refresh_every_six_hours(client, agenda, event):
    text = client.get("/agenda/agenda.ics").content.decode()
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:PT6H\r\n" in text
    calendar = IcsCalendarStream.calendar_from_ics(text)
    assert calendar.events[0].summary == "Apéro du réseau"


@pytest.mark.parametrize("tzid", ["Europe/Paris", "America/New_York", "America/Sao_Paulo", "Asia/Tokyo"])
def test_vtimezone_gives_zoneinfo_offsets_to_every_reader(tzid):
    """Around every change of time, and at noon every fortnight, of 2016-2030 (Sao Paulo
    dropped summer time in 2019: written one RDATE a line; Tokyo has none)."""
    component = vtimezone(tzid, 2016, 2030)
    text = component.to_ical().decode()
    assert all("," not in line for line in text.split("\r\n") if line.startswith("RDATE"))
    tz = ZoneInfo(tzid)
    calendar = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n{text}END:VCALENDAR\r\n"
    readers = [
        component.to_tz(lookup_tzid=False),
        IcsTimezoneInfo.from_timezone(IcsCalendarStream.calendar_from_ics(calendar).timezones[0]),
        vobject.readOne(calendar).vtimezone.gettzinfo(),
    ]
    moments = [datetime(2016, 1, 1, 12, tzinfo=UTC) + timedelta(days=14 * n) for n in range(15 * 26)]
    changes = [
        moment
        for moment in (datetime(2016, 1, 1, tzinfo=UTC) + timedelta(hours=n) for n in range(15 * 366 * 24))
        if moment.astimezone(tz).utcoffset() != (moment - timedelta(hours=1)).astimezone(tz).utcoffset()
    ]
    assert len(changes) == {"Asia/Tokyo": 0, "America/Sao_Paulo": 7}.get(tzid, 30)
    assert ("RRULE:" in text) == (len(changes) == 30)
    for change in changes:
        moments += [
            change - timedelta(hours=3),
            change - timedelta(minutes=1),
            change,
            change + timedelta(hours=3),
        ]
    for moment in moments:
        # Local wall times away from a change map to one instant; compare each reader's offset.
        local = moment.astimezone(tz).replace(tzinfo=None)
        if local.replace(tzinfo=tz, fold=0).utcoffset() != local.replace(tzinfo=tz, fold=1).utcoffset():
            continue  # an ambiguous or skipped wall time: readers may pick either side
        for reader in readers:
            assert local.replace(tzinfo=reader).utcoffset() == moment.astimezone(tz).utcoffset(), (
                reader,
                local,
            )


# -- ETag, Last-Modified, 304 -----------------------------------------------------


def assert_not_modified(response):
    assert response.status_code == 304
    assert response.content == b""


def test_public_feed_answers_304_until_an_occurrence_changes(
    client, agenda, event, occurrence, staff_user, django_capture_on_commit_callbacks
):
    first = client.get("/agenda/agenda.ics")
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')
    assert_not_modified(client.get("/agenda/agenda.ics", headers={"if-none-match": etag}))
    assert_not_modified(client.get("/agenda/agenda.ics", headers={"if-modified-since": last_modified}))
    assert_not_modified(client.get("/agenda/ical/", headers={"if-none-match": etag}))  # the page route
    # Another filter is another feed.
    assert (
        client.get("/agenda/agenda.ics", {"kind": "workshop"}, headers={"if-none-match": etag}).status_code
        == 200
    )

    with django_capture_on_commit_callbacks(execute=True):  # the feed is cached until the commit
        services.move_occurrence(occurrence, by=staff_user, start=in_days(12), end=in_days(12, 21))
    moved = client.get("/agenda/agenda.ics", headers={"if-none-match": etag})
    assert moved.status_code == 200 and moved["ETag"] != etag
    assert Calendar.from_ical(moved.content).walk("VEVENT")[0].decoded("DTSTART") == in_days(12)
    assert_not_modified(client.get("/agenda/agenda.ics", headers={"if-none-match": moved["ETag"]}))


def test_public_feed_changes_when_an_event_is_published_or_added(
    client, agenda, event, staff_user, make_event, django_capture_on_commit_callbacks
):
    etag = client.get("/agenda/agenda.ics")["ETag"]
    event.title = "Apéro de décembre"
    with django_capture_on_commit_callbacks(execute=True):  # the feed is cached until the commit
        event.save_revision(user=staff_user).publish(user=staff_user)
    renamed = client.get("/agenda/agenda.ics", headers={"if-none-match": etag})
    assert renamed.status_code == 200
    assert "Apéro de décembre" in renamed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_event(title="Nouvelle", slug="nouvelle")
    added = client.get("/agenda/agenda.ics", headers={"if-none-match": renamed["ETag"]})
    assert added.status_code == 200 and "Nouvelle" in added.content.decode()


def test_english_feed_has_its_own_etag(client, agenda, event):
    french = client.get("/agenda/agenda.ics", headers={"accept-language": "fr"})
    english = client.get("/agenda/agenda.ics", headers={"accept-language": "en"})
    assert french["ETag"] != english["ETag"]


def test_a_304_costs_no_query_and_builds_nothing(client, agenda, event, django_assert_num_queries):
    etag = client.get("/agenda/agenda.ics")["ETag"]
    with django_assert_num_queries(0):  # answered from the page cache (members.page_cache)
        assert_not_modified(client.get("/agenda/agenda.ics", headers={"if-none-match": etag}))
    with django_assert_num_queries(0):
        cached = client.get("/agenda/agenda.ics")
    assert cached.status_code == 200 and cached["ETag"] == etag



def test_private_feed_answers_304_and_changes_with_registrations(
    client, agenda, event, occurrence, make_event
):
    user = VerifiedUserFactory()
    services.register_for_event(occurrence, by=user)
    token = services.regenerate_calendar_token(by=user)
    url = f"/agenda/mon-agenda/{token}.ics"
    first = client.get(url)
    assert first.status_code == 200 and first["Cache-Control"] == "private, no-store"
    not_modified = client.get(url, headers={"if-none-match": first["ETag"]})
    assert_not_modified(not_modified)
    assert not_modified["Cache-Control"] == "private, no-store" and not_modified["ETag"] == first["ETag"]

    other = make_event(title="Autre rencontre", slug="autre").occurrences.get()
    services.register_for_event(other, by=user)
    services.cancel_registration(occurrence, by=user)  # as many dates as before, not the same ones
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert [str(v["SUMMARY"]) for v in Calendar.from_ical(changed.content).walk("VEVENT")] == [
        "Autre rencontre"
    ]
    assert (
        client.get("/agenda/mon-agenda/" + "x" * 30 + ".ics", headers={"if-none-match": "*"}).status_code
        == 404
    )


def test_event_ics_answers_304_until_it_changes(client, event, occurrence, staff_user):
    url = f"{event.url}ics/"
    first = client.get(url)
    assert_not_modified(client.get(url, headers={"if-none-match": first["ETag"]}))
    services.cancel_occurrence(occurrence, by=staff_user)
    cancelled = client.get(url, headers={"if-none-match": first["ETag"]})
    assert cancelled.status_code == 200
    assert str(Calendar.from_ical(cancelled.content).walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
