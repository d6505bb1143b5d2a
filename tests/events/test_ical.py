"""iCalendar feeds: parsed back with ``icalendar``, field by field."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from events import ical, services
from events.models import CalendarToken
from tests.factories import VerifiedUserFactory
from tests.factories.events import in_days

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    return Calendar.from_ical(raw)


def test_event_ics_is_valid_and_complete(client, venue_event):
    venue_event.summary = "Souder; réparer, apprendre\\ ensemble " * 4
    venue_event.save()
    occurrence = venue_event.occurrences.get()
    calendar = parse(client.get(f"{venue_event.url}ics/"))
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    (tz,) = calendar.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Paris"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"occurrence-{occurrence.pk}@compagnie-tiers-lieux.example.org"
    assert vevent["DTSTAMP"].dt.tzinfo is not None
    assert vevent.decoded("DTSTART") == occurrence.start
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent.decoded("DTEND") == occurrence.end
    assert str(vevent["SUMMARY"]) == "Atelier soudure"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert int(vevent["SEQUENCE"]) == 0
    assert str(vevent["DESCRIPTION"]).startswith(venue_event.summary)  # escaped and folded, read back intact
    assert "La Coroutine" in str(vevent["LOCATION"]) and "3 rue du Code" in str(vevent["LOCATION"])
    assert str(vevent["URL"]).endswith(venue_event.url)
    assert vevent["GEO"] is not None


def test_cancelled_and_moved_occurrences_carry_status_and_sequence(client, event, occurrence, staff_user):
    services.move_occurrence(occurrence, by=staff_user, start=in_days(10), end=in_days(10, 22))
    vevent = parse(client.get(f"{event.url}ics/")).walk("VEVENT")[0]
    assert int(vevent["SEQUENCE"]) == 1
    assert vevent.decoded("DTSTART") == in_days(10)
    services.cancel_occurrence(occurrence, by=staff_user)
    event.summary = "Changé"
    event.save_revision(user=staff_user).publish(user=staff_user)
    vevent = parse(client.get(f"{event.url}ics/")).walk("VEVENT")[0]
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 3  # two date changes + one published change
    assert str(vevent["UID"]) == f"occurrence-{occurrence.pk}@compagnie-tiers-lieux.example.org"


def test_all_day_uses_dates(client, make_event):
    event = make_event(all_day=True, start=in_days(4, 0), end=in_days(5, 0))
    vevent = parse(client.get(f"{event.url}ics/")).walk("VEVENT")[0]
    assert vevent.decoded("DTSTART") == in_days(4).date()
    assert vevent.decoded("DTEND") == in_days(6).date()  # exclusive end


def test_public_feed_honours_calendar_filters(client, agenda, event, venue_event, make_event):
    start, end = in_days(-60), in_days(-60, 21)
    make_event(title="Très ancienne", slug="ancienne", start=start, end=end)
    start, end = in_days(-3), in_days(-3, 21)
    make_event(title="Récente", slug="recente", start=start, end=end)
    calendar = parse(client.get("/agenda/ical/"))
    summaries = {str(v["SUMMARY"]) for v in calendar.walk("VEVENT")}
    assert summaries == {"Apéro du réseau", "Atelier soudure", "Récente"}
    calendar = parse(client.get("/agenda/ical/", {"kind": "workshop"}))
    assert {str(v["SUMMARY"]) for v in calendar.walk("VEVENT")} == {"Atelier soudure"}
    assert client.get("/agenda/ical/", {"kind": "nope", "start": "x"}).status_code == 200


def test_feed_queries_are_bounded(client, make_event, django_assert_max_num_queries):
    for n in range(6):
        make_event(title=f"E{n}", slug=f"e{n}", repeat="weekly", repeat_count=4)
    with django_assert_max_num_queries(12):
        assert client.get("/agenda/ical/").status_code == 200


def test_private_feed_lifecycle(client, event, occurrence, make_event, member):
    other = make_event(title="Pas inscrit", slug="pas-inscrit")
    services.register_for_event(occurrence, by=member)
    client.force_login(member)
    # No feed until the member creates one.
    assert "mon-agenda/" in client.get("/accounts/profile/").content.decode()
    client.post("/agenda/mon-agenda/", {"action": "regenerate"})
    token = CalendarToken.objects.get(user=member).token
    assert token in client.get("/accounts/profile/").content.decode()
    client.logout()
    response = client.get(f"/agenda/mon-agenda/{token}/")
    assert response["Cache-Control"] == "private, no-store"
    summaries = {str(v["SUMMARY"]) for v in parse(response).walk("VEVENT")}
    assert summaries == {"Apéro du réseau"} and other.title not in summaries
    # Regenerating kills the old address; revoking kills every address.
    client.force_login(member)
    client.post("/agenda/mon-agenda/", {"action": "regenerate"})
    assert client.get(f"/agenda/mon-agenda/{token}/").status_code == 404
    new_token = CalendarToken.objects.get(user=member).token
    assert client.get(f"/agenda/mon-agenda/{new_token}/").status_code == 200
    client.post("/agenda/mon-agenda/", {"action": "revoke"})
    assert client.get(f"/agenda/mon-agenda/{new_token}/").status_code == 404
    assert client.post("/agenda/mon-agenda/", {"action": "bogus"}).status_code == 302


def test_private_feed_settings_need_a_login_and_a_post(client, agenda):
    assert client.post("/agenda/mon-agenda/", {"action": "regenerate"})["Location"].startswith(
        "/accounts/login/"
    )
    assert not CalendarToken.objects.exists()
    assert client.get("/agenda/mon-agenda/").status_code == 302
    assert client.get("/agenda/mon-agenda/" + "x" * 30 + "/").status_code == 404


def test_tokens_are_unguessable_and_per_member():
    a, b = VerifiedUserFactory(), VerifiedUserFactory()
    token_a, token_b = services.regenerate_calendar_token(by=a), services.regenerate_calendar_token(by=b)
    assert token_a != token_b and len(token_a) >= 40


def test_dst_times_survive_the_round_trip(client, make_event):
    event = make_event(
        start=in_days(1), end=in_days(1) + timedelta(hours=1), repeat="weekly", repeat_count=30
    )
    for vevent, occurrence in zip(
        parse(client.get(f"{event.url}ics/")).walk("VEVENT"), event.occurrences.order_by("start"), strict=True
    ):
        assert vevent.decoded("DTSTART") == occurrence.start
        assert vevent.decoded("DTSTART").astimezone(PARIS).hour == 19


def test_ics_addresses(client, event, occurrence, member):
    calendar = parse(client.get("/agenda/agenda.ics"))
    assert [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")] == ["Apéro du réseau"]
    services.register_for_event(occurrence, by=member)
    token = services.regenerate_calendar_token(by=member)
    assert parse(client.get(f"/agenda/mon-agenda/{token}.ics")).walk("VEVENT")
    assert client.get("/agenda/mon-agenda/" + "y" * 30 + ".ics").status_code == 404
    client.force_login(member)
    assert f"/agenda/mon-agenda/{token}.ics" in client.get("/accounts/profile/").content.decode()
    assert 'href="/agenda/agenda.ics"' in client.get("/agenda/").content.decode()


def test_a_listing_read_as_rows_writes_what_its_pages_would(agenda, event, venue_event, make_event, rf):
    """The feeds read hundreds of dates as ``values()`` rows (``FeedDate.from_row``): the
    VEVENTs are those the page instances give, for a venue, an address and an online event."""
    from events.models import Occurrence
    from events.vocabulary import AttendanceMode

    make_event(
        title="Visio", slug="visio", attendance_mode=AttendanceMode.ONLINE, online_url="https://v.example"
    )
    Occurrence.objects.filter(event=event).update(status="cancelled")
    listing = Occurrence.objects.published().for_listing().order_by("start", "pk")
    request = rf.get("/agenda/agenda.ics")

    def body(occurrences):
        raw = ical.build_calendar(occurrences, name="Agenda", request=request)
        return b"\r\n".join(line for line in raw.split(b"\r\n") if not line.startswith(b"DTSTAMP"))

    assert body(listing) == body(list(listing))
    assert body(listing).count(b"BEGIN:VEVENT") == 3


def test_serialize_writes_what_icalendar_writes():
    """``ical.serialize`` skips the library's folding of short lines only: same bytes."""
    calendar = Calendar()
    calendar.add("prodid", "-//test//")
    vevent = Event()
    vevent.add("summary", "é" * 40)  # 80 octets: folded between characters, never inside one
    vevent.add("description", "Souder; réparer\\ ensemble, " * 9)
    vevent.add("location", "x" * 65)  # "LOCATION:" and 65 octets: 74, left as it is: left as it is
    calendar.add_component(vevent)
    assert ical.serialize(calendar) == calendar.to_ical()
