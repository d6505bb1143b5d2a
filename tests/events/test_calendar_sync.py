"""Calendars in: a venue's ICS feed becomes its EventPages (Google, Nextcloud, Outlook, OpenAgenda)."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from events.calendar_sync.services import sync_subscription
from events.models import CalendarSubscription, EventPage, Occurrence, SyncedEvent
from tests.events.feed_server import FeedServer

DATA = Path(__file__).parent / "data"
PARIS = ZoneInfo("Europe/Paris")
# The fixtures are dated early 2027; services take ``now`` (freezegun fools the
# isinstance checks of x-wr-timezone, so it is not used here).
NOW = datetime(2027, 1, 4, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def read(name):
    return (DATA / name).read_bytes()


@pytest.fixture
def server(settings):
    settings.EVENTS_SYNC_ALLOW_LOOPBACK = True
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def subscribe(venue):
    def make(url, **kwargs):
        return CalendarSubscription.objects.create(venue=venue, url=url, **kwargs)

    return make


def pages(venue):
    return {page.title: page for page in EventPage.objects.child_of(venue)}


def drop_event(ics, uid):
    """``ics`` without the VEVENTs whose UID starts with ``uid`` (CRLF or LF line ends)."""
    blocks = re.findall(rb"BEGIN:VEVENT\r?\n.*?END:VEVENT\r?\n", ics, flags=re.DOTALL)
    dropped = [block for block in blocks if b"\nUID:" + uid.encode() in block]
    assert dropped, f"no VEVENT with UID {uid}"
    for block in dropped:
        ics = ics.replace(block, b"")
    return ics


def starts(page):
    return [
        (occ.start.astimezone(PARIS), occ.status)
        for occ in Occurrence.objects.filter(event=page).order_by("start")
    ]


def test_google_feed_creates_live_pages_with_repaired_times(server, subscribe, venue, manager):
    server.ics("/google.ics", read("google.ics"))
    subscription = subscribe(server.url("/google.ics"), publish_mode="live")

    report = sync_subscription(subscription, now=NOW)

    assert report.created == 3
    found = pages(venue)
    assert set(found) == {"Repair café", "Atelier couture", "Week-end makers"}
    repair = found["Repair café"]
    assert repair.live and repair.venue_id == venue.pk
    assert repair.start == paris(2027, 1, 12, 19, 0)
    assert "On répare ensemble." in str(repair.body)
    # weekly at 19:00 Paris (X-WR-TIMEZONE repaired: wall time kept across the DST change),
    # 22 March excluded (EXDATE), 29 March moved to 21:00 (RECURRENCE-ID)
    assert starts(found["Atelier couture"]) == [
        (paris(2027, 3, 15, 19, 0), "scheduled"),
        (paris(2027, 3, 29, 21, 0), "scheduled"),
        (paris(2027, 4, 5, 19, 0), "scheduled"),
    ]
    makers = found["Week-end makers"]
    assert makers.all_day
    occ = Occurrence.objects.get(event=makers)
    assert (occ.start, occ.end) == (paris(2027, 2, 6), paris(2027, 2, 8))
    subscription.refresh_from_db()
    assert subscription.failures == 0 and subscription.last_success_at is not None


def test_nextcloud_feed_floating_time_cancelled_event_series_and_all_day(server, subscribe, venue):
    server.ics("/remote.php/dav/public-calendars/abc?export", read("nextcloud.ics"))
    subscription = subscribe(server.url("/remote.php/dav/public-calendars/abc?export"), publish_mode="live")

    sync_subscription(subscription, now=NOW)

    found = pages(venue)
    assert found["Initiation impression 3D"].start == paris(2027, 1, 20, 14, 0)
    # a floating time is read as Paris time
    assert found["Café des bricoleurs (heure flottante)"].start == paris(2027, 1, 21, 10, 0)
    cancelled = found["Soirée jeux (annulée)"]
    assert cancelled.status == "cancelled"
    assert all(occ.is_cancelled for occ in Occurrence.objects.filter(event=cancelled))
    # weekly from 3 February, 10 February excluded (EXDATE;TZID), 17 February moved to 19:00
    assert starts(found["Atelier vélo"]) == [
        (paris(2027, 2, 3, 18, 0), "scheduled"),
        (paris(2027, 2, 17, 19, 0), "scheduled"),
        (paris(2027, 2, 24, 18, 0), "scheduled"),
    ]
    party = found["Fête du fablab"]
    occ = Occurrence.objects.get(event=party)
    assert party.all_day and (occ.start, occ.end) == (paris(2027, 3, 6), paris(2027, 3, 7))


def test_outlook_feed_windows_time_zone_exception_and_all_day(server, subscribe, venue):
    server.ics("/owa/calendar/reachcalendar.ics", read("outlook.ics"))
    sync_subscription(subscribe(server.url("/owa/calendar/reachcalendar.ics"), publish_mode="live"), now=NOW)

    found = pages(venue)
    council = found["Conseil des résident·es"]
    assert [start for start, _status in starts(council)] == [
        paris(2027, 2, 3, 10, 0),
        # 3 March excluded (EXDATE), 7 April moved to Thursday 8 at 14:00 (RECURRENCE-ID),
        # "Romance Standard Time" following Paris' summer time
        paris(2027, 4, 8, 14, 0),
        paris(2027, 5, 5, 10, 0),
    ]
    open_day = found["Portes ouvertes"]
    occ = Occurrence.objects.get(event=open_day)
    assert open_day.all_day and (occ.start, occ.end) == (paris(2027, 2, 13), paris(2027, 2, 14))


# -- OpenAgenda's export (events.v2.ics) ------------------------------------------
# One VEVENT per timing, UID "<agenda>//<event>//<start UTC>", times in UTC with a
# bare TZID property, STATUS:CONFIRMED always, DTSTAMP the time of the export, no
# URL property but " - voir plus: <url>" ending the DESCRIPTION, folded with tabs.


def test_openagenda_feed_one_page_per_event_not_per_timing(server, subscribe, venue):
    server.ics("/agendas/48213390/events.v2.ics", read("openagenda.ics"))
    report = sync_subscription(
        subscribe(server.url("/agendas/48213390/events.v2.ics"), publish_mode="live"), now=NOW
    )

    assert report.created == 2
    assert sorted(SyncedEvent.objects.filter(subscription__venue=venue).values_list("uid", flat=True)) == [
        "48213390//71234567",
        "48213390//71239876",
    ]
    found = pages(venue)
    fresque = found["Fresque du numérique"]
    assert starts(fresque) == [
        (paris(2027, 1, 30, 10, 0), "scheduled"),
        (paris(2027, 2, 27, 10, 0), "scheduled"),
    ]
    body = str(fresque.body)
    assert (
        "enjeux environnementaux du numérique. Entrée libre, sur inscription.</p>" in body
    )  # tab folds undone
    assert " - voir plus:" not in body
    assert (
        '<a href="https://openagenda.com/tiers-lieux-mel/events/fresque-du-numerique">En savoir plus</a>'
        in body
    )
    permanence = found["Permanence numérique"]  # no description: only the link
    assert starts(permanence) == [(paris(2027, 2, 3, 14, 0), "scheduled")]
    assert str(permanence.body).count("<p>") == 1 and "permanence-numerique" in str(permanence.body)


def test_openagenda_drafts_by_default(server, subscribe, venue):
    server.ics("/agendas/48213390/events.v2.ics", read("openagenda.ics"))
    sync_subscription(subscribe(server.url("/agendas/48213390/events.v2.ics")), now=NOW)

    # publish_mode draft (the default): drafts, no public occurrence yet
    assert EventPage.objects.child_of(venue).count() == 2
    assert not EventPage.objects.child_of(venue).live().exists()
    assert not Occurrence.objects.exists()


def test_openagenda_moved_timing_moves_the_date_of_the_same_page(server, subscribe, venue):
    body = {"ics": read("openagenda.ics")}
    server.ics("/oa.ics", lambda: body["ics"])
    subscription = subscribe(server.url("/oa.ics"), publish_mode="live")
    sync_subscription(subscription, now=NOW)
    fresque = pages(venue)["Fresque du numérique"]

    # OpenAgenda names a timing by its start: moving it renames its UID
    body["ics"] = (
        read("openagenda.ics")
        .replace(b"71234567//20270227T090000Z", b"71234567//20270306T090000Z")
        .replace(b"DTSTART:20270227T090000Z", b"DTSTART:20270306T090000Z")
        .replace(b"DTEND:20270227T120000Z", b"DTEND:20270306T120000Z")
    )
    report = sync_subscription(subscription, now=NOW)

    assert (report.created, report.updated, report.cancelled) == (0, 1, 0)
    assert set(pages(venue)) == {"Fresque du numérique", "Permanence numérique"}
    assert [start for start, status in starts(fresque) if status == "scheduled"] == [
        paris(2027, 1, 30, 10, 0),
        paris(2027, 3, 6, 10, 0),
    ]


def test_openagenda_cancellation_is_removal_from_the_export(server, subscribe, venue):
    body = {"ics": read("openagenda.ics")}
    server.ics("/oa.ics", lambda: body["ics"])
    subscription = subscribe(server.url("/oa.ics"), publish_mode="live")
    sync_subscription(subscription, now=NOW)
    found = pages(venue)

    # never STATUS:CANCELLED: a cancelled event leaves the export, a cancelled timing too
    body["ics"] = drop_event(
        drop_event(read("openagenda.ics"), "48213390//71239876//"), "48213390//71234567//20270227"
    )
    report = sync_subscription(subscription, now=NOW)

    assert (report.updated, report.cancelled) == (1, 1)
    assert [status for _start, status in starts(found["Permanence numérique"])] == ["cancelled"]
    assert [start for start, status in starts(found["Fresque du numérique"]) if status == "scheduled"] == [
        paris(2027, 1, 30, 10, 0)
    ]


def test_openagenda_new_dtstamp_at_each_export_changes_nothing(server, subscribe, venue):
    body = {"ics": read("openagenda.ics")}
    server.ics("/oa.ics", lambda: body["ics"])
    subscription = subscribe(server.url("/oa.ics"), publish_mode="live")
    sync_subscription(subscription, now=NOW)
    revisions = sorted(p.latest_revision_id for p in EventPage.objects.child_of(venue))

    body["ics"] = read("openagenda.ics").replace(b"DTSTAMP:20261130T120000Z", b"DTSTAMP:20261201T073000Z")
    report = sync_subscription(subscription, now=NOW)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert sorted(p.latest_revision_id for p in EventPage.objects.child_of(venue)) == revisions


def test_feed_markup_shows_as_text(server, subscribe, venue):
    feed = read("openagenda.ics").replace(
        b"Un atelier ludique", b"<script>alert(1)</script><b>Un</b> atelier &amp; ludique"
    )
    server.ics("/oa.ics", feed)
    sync_subscription(subscribe(server.url("/oa.ics"), publish_mode="live"), now=NOW)

    body = str(pages(venue)["Fresque du numérique"].body)
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;Un&lt;/b&gt; atelier &amp;amp; ludique" in body


# -- every dialect: an edit and a removal on the next sync ------------------------

DIALECTS = [
    # fixture, UID of the event edited, its title, UID of the event removed, its title
    ("google.ics", "4q2m0v0b9t1c5k8e3r7s6a1d2f@google.com", "Repair café", "0a1b2c3d4e5f", "Week-end makers"),
    ("nextcloud.ics", "b5c3e0c4", "Initiation impression 3D", "3c1f0b9e", "Atelier vélo"),
    (
        "outlook.ics",
        "040000008200E00074C5B7101A82E00800000000B0E1",
        "Conseil des résident·es",
        "040000008200E00074C5B7101A82E0080000000060A3",
        "Portes ouvertes",
    ),
    (
        "openagenda.ics",
        "48213390//71239876",
        "Permanence numérique",
        "48213390//71234567",
        "Fresque du numérique",
    ),
]


@pytest.mark.parametrize(("fixture", "edited_uid", "edited", "removed_uid", "removed"), DIALECTS)
def test_edit_and_removal_in_each_dialect(
    server, subscribe, venue, fixture, edited_uid, edited, removed_uid, removed
):
    body = {"ics": read(fixture)}
    server.ics("/feed.ics", lambda: body["ics"])
    subscription = subscribe(server.url("/feed.ics"), publish_mode="live")
    sync_subscription(subscription, now=NOW)
    before = pages(venue)

    renamed = edited + " (nouvelle formule)"
    feed = drop_event(read(fixture), removed_uid)
    feed = re.sub(
        rb"SUMMARY:" + re.escape(edited.encode()) + rb"(\r?\n)", b"SUMMARY:" + renamed.encode() + rb"\1", feed
    )
    body["ics"] = feed
    report = sync_subscription(subscription, now=NOW)

    assert (report.created, report.updated, report.cancelled) == (0, 1, 1)
    page = EventPage.objects.get(pk=before[edited].pk)
    assert page.title == renamed and page.live
    assert all(occ.is_cancelled for occ in Occurrence.objects.filter(event=before[removed]))
    assert SyncedEvent.objects.get(page=before[removed]).removed


def test_new_drafts_are_whole_wagtail_pages(server, subscribe, venue, django_capture_on_commit_callbacks):
    """Drafts are created in bulk: each has its place in the tree, a revision, a log entry
    and a search entry (written by the task worker after the commit), as a page saved one by
    one would."""
    from wagtail.models import Page, PageLogEntry

    server.ics("/oa.ics", read("openagenda.ics"))
    with django_capture_on_commit_callbacks(execute=True):
        sync_subscription(subscribe(server.url("/oa.ics")), now=NOW)

    drafts = list(EventPage.objects.child_of(venue))
    assert len(drafts) == 2
    assert Page.find_problems() == ([], [], [], [], [])
    assert Page.objects.get(pk=venue.pk).numchild == 2
    for page in drafts:
        assert not page.live and page.has_unpublished_changes
        assert page.url_path == f"{venue.url_path}{page.slug}/"
        assert page.get_latest_revision().as_object().title == page.title
        assert PageLogEntry.objects.filter(page=page, action="wagtail.edit").count() == 1
    found = EventPage.objects.child_of(venue).search(drafts[0].title.split()[0])
    assert drafts[0].pk in [page.pk for page in found]


def test_second_sync_changes_nothing(server, subscribe, venue):
    server.ics("/google.ics", read("google.ics"))
    subscription = subscribe(server.url("/google.ics"), publish_mode="live")
    sync_subscription(subscription, now=NOW)
    revisions = sorted(p.latest_revision_id for p in EventPage.objects.child_of(venue))
    occurrences = sorted(Occurrence.objects.values_list("pk", "start", "status", "sequence"))

    report = sync_subscription(subscription, now=NOW)

    assert (report.created, report.updated, report.cancelled, report.unchanged) == (0, 0, 0, 3)
    assert sorted(p.latest_revision_id for p in EventPage.objects.child_of(venue)) == revisions
    assert sorted(Occurrence.objects.values_list("pk", "start", "status", "sequence")) == occurrences


def test_conditional_get_not_modified(server, subscribe, venue):
    server.ics("/google.ics", read("google.ics"), etag='"v1"')
    subscription = subscribe(server.url("/google.ics"), publish_mode="live")
    sync_subscription(subscription, now=NOW)
    assert sync_subscription(subscription, now=NOW) is None
    assert server.requests[-1][1].get("If-None-Match") == '"v1"'
    subscription.refresh_from_db()
    assert subscription.failures == 0


def test_update_and_cancellation_on_resync(server, subscribe, venue):
    body = {"ics": read("google.ics")}
    server.ics("/google.ics", lambda: body["ics"])
    subscription = subscribe(server.url("/google.ics"), publish_mode="live")
    sync_subscription(subscription, now=NOW)
    repair = pages(venue)["Repair café"]
    makers = pages(venue)["Week-end makers"]

    changed = (
        read("google.ics")
        .replace(b"SUMMARY:Repair caf\xc3\xa9", b"SUMMARY:Repair caf\xc3\xa9 du jeudi")
        .replace(b"DTSTART:20270112T180000Z", b"DTSTART:20270114T170000Z")
        .replace(b"DTEND:20270112T200000Z", b"DTEND:20270114T190000Z")
    )
    # the week-end is removed from the feed
    head, _sep, rest = changed.partition(b"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270206")
    if not _sep:
        head, _sep, rest = changed.partition(b"BEGIN:VEVENT\nDTSTART;VALUE=DATE:20270206")
    body["ics"] = head + rest.partition(b"END:VEVENT")[2].lstrip(b"\r\n")

    report = sync_subscription(subscription, now=NOW)

    assert (report.updated, report.cancelled) == (1, 1)
    repair.refresh_from_db()
    assert repair.title == "Repair café du jeudi"
    assert starts(repair) == [(paris(2027, 1, 14, 18, 0), "scheduled")]
    assert [status for _start, status in starts(makers)] == ["cancelled"]
    assert SyncedEvent.objects.get(page=makers).removed


def test_cancelled_instance_of_a_series(server, subscribe, venue):
    cancelled_instance = b"\n".join(
        [
            b"BEGIN:VEVENT",
            b"DTSTART:20270405T170000Z",
            b"DTEND:20270405T190000Z",
            b"UID:7h3k9m2n5p8q1r4s7t0v3w6x9y@google.com",
            b"RECURRENCE-ID:20270405T170000Z",
            b"STATUS:CANCELLED",
            b"SUMMARY:Atelier couture",
            b"END:VEVENT",
            b"END:VCALENDAR",
        ]
    )
    feed = read("google.ics").replace(b"END:VCALENDAR", cancelled_instance)
    server.ics("/google.ics", feed)
    sync_subscription(subscribe(server.url("/google.ics"), publish_mode="live"), now=NOW)

    assert starts(pages(venue)["Atelier couture"]) == [
        (paris(2027, 3, 15, 19, 0), "scheduled"),
        (paris(2027, 3, 29, 21, 0), "scheduled"),
        (paris(2027, 4, 5, 19, 0), "cancelled"),
    ]


def test_page_edited_on_the_site_detaches(server, subscribe, venue, manager):
    body = {"ics": read("google.ics")}
    server.ics("/google.ics", lambda: body["ics"])
    subscription = subscribe(server.url("/google.ics"), publish_mode="live")
    sync_subscription(subscription, now=NOW)
    repair = pages(venue)["Repair café"]
    edited = repair.get_latest_revision_as_object()
    edited.title = "Repair café (notre version)"
    edited.save_revision(user=manager).publish(user=manager)

    body["ics"] = read("google.ics").replace(b"SUMMARY:Repair caf\xc3\xa9", b"SUMMARY:Repair caf\xc3\xa9 v2")
    report = sync_subscription(subscription, now=NOW)

    repair.refresh_from_db()
    assert repair.title == "Repair café (notre version)"
    assert report.detached == ["Repair café (notre version)"]
    assert SyncedEvent.objects.get(page=repair).detached
    subscription.refresh_from_db()
    assert "Repair café (notre version)" in subscription.last_report


def test_publishing_a_draft_unchanged_does_not_detach(server, subscribe, venue, manager):
    body = {"ics": read("openagenda.ics")}
    server.ics("/oa.ics", lambda: body["ics"])
    subscription = subscribe(server.url("/oa.ics"))
    sync_subscription(subscription, now=NOW)
    page = EventPage.objects.child_of(venue).first()
    page.get_latest_revision().publish(user=manager)

    body["ics"] = (
        read("openagenda.ics")
        .replace(b"SUMMARY:Fresque", b"SUMMARY:La fresque")
        .replace(b"SUMMARY:Permanence", b"SUMMARY:La permanence")
    )
    report = sync_subscription(subscription, now=NOW)

    assert report.updated == 2 and not report.detached
    page.refresh_from_db()
    assert page.live and page.title.startswith("La ")


# -- failures ---------------------------------------------------------------------


def test_feed_that_is_not_ics_is_reported_and_retried_with_backoff(
    server, subscribe, venue, manager, django_capture_on_commit_callbacks
):
    server.ics("/page.html", b"<!doctype html><html><body>Agenda</body></html>", content_type="text/html")
    subscription = subscribe(server.url("/page.html"))

    with django_capture_on_commit_callbacks(execute=True):
        assert sync_subscription(subscription, now=NOW) is None
    subscription.refresh_from_db()
    assert subscription.failures == 1
    assert "ICS" in subscription.last_error
    first_delay = subscription.next_attempt_at - subscription.last_attempt_at
    assert [message.to for message in mail.outbox] == [[manager.email]]
    assert not EventPage.objects.child_of(venue).exists()

    with django_capture_on_commit_callbacks(execute=True):
        sync_subscription(subscription, now=NOW)
    subscription.refresh_from_db()
    assert subscription.failures == 2
    assert subscription.next_attempt_at - subscription.last_attempt_at == 2 * first_delay
    assert len(mail.outbox) == 1  # told once, not at every retry

    server.ics("/page.html", read("google.ics"))
    with django_capture_on_commit_callbacks(execute=True):
        sync_subscription(subscription, now=NOW)
    subscription.refresh_from_db()
    assert subscription.failures == 0 and subscription.last_error == ""
    assert len(mail.outbox) == 2 and "nouveau" in mail.outbox[1].subject


def test_broken_feed_saves_nothing(server, subscribe, venue):
    feed = read("google.ics")
    broken = feed[: len(feed) * 2 // 3]  # cut off mid-way: no END:VCALENDAR
    server.ics("/broken.ics", broken)
    subscription = subscribe(server.url("/broken.ics"))
    sync_subscription(subscription, now=NOW)
    subscription.refresh_from_db()
    assert subscription.failures == 1 and subscription.last_error
    assert not EventPage.objects.child_of(venue).exists()
    assert not SyncedEvent.objects.exists()


def test_loopback_refused_by_default(db, settings, subscribe):
    settings.EVENTS_SYNC_ALLOW_LOOPBACK = False
    server = FeedServer().start()
    try:
        server.ics("/google.ics", read("google.ics"))
        subscription = subscribe(server.url("/google.ics"))
        sync_subscription(subscription, now=NOW)
    finally:
        server.stop()
    subscription.refresh_from_db()
    assert "privé" in subscription.last_error
    assert server.requests == []  # never even connected


def test_redirect_to_a_private_address_is_refused(server, subscribe, settings):
    server.redirect("/moved.ics", "http://169.254.169.254/latest/meta-data/")
    subscription = subscribe(server.url("/moved.ics"))
    sync_subscription(subscription, now=NOW)
    subscription.refresh_from_db()
    assert "privé" in subscription.last_error


def test_too_many_redirects(server, subscribe, settings):
    settings.EVENTS_SYNC_MAX_REDIRECTS = 2
    server.redirect("/loop.ics", "/loop.ics")
    subscription = subscribe(server.url("/loop.ics"))
    sync_subscription(subscription, now=NOW)
    subscription.refresh_from_db()
    assert "redirections" in subscription.last_error
    assert len(server.requests) == 3


def test_huge_feed_is_cut(server, subscribe, settings):
    settings.EVENTS_SYNC_MAX_BYTES = 1024 * 1024
    server.huge("/huge.ics", megabytes=20)
    subscription = subscribe(server.url("/huge.ics"))
    sync_subscription(subscription, now=NOW)
    subscription.refresh_from_db()
    assert "volumineux" in subscription.last_error


def test_slow_feed_times_out(server, subscribe, settings):
    import time

    settings.EVENTS_SYNC_TIMEOUT = 1.0
    server.slow("/slow.ics", seconds=5)
    subscription = subscribe(server.url("/slow.ics"))
    began = time.monotonic()
    sync_subscription(subscription, now=NOW)
    assert time.monotonic() - began < 3
    subscription.refresh_from_db()
    assert "trop de temps" in subscription.last_error


def test_one_broken_feed_does_not_stop_the_others(server, subscribe, other_venue, venue):
    server.ics("/bad.ics", b"not a calendar", content_type="text/plain")
    server.ics("/good.ics", read("nextcloud.ics"))
    bad = subscribe(server.url("/bad.ics"))
    good = CalendarSubscription.objects.create(venue=other_venue, url=server.url("/good.ics"))
    call_command("sync_calendars")
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.failures == 1 and good.failures == 0
    assert EventPage.objects.child_of(other_venue).count() == 5


def test_command_syncs_due_subscriptions_only(server, subscribe, venue):
    server.ics("/google.ics", read("google.ics"))
    subscription = subscribe(server.url("/google.ics"))
    call_command("sync_calendars")
    count = len(server.requests)
    call_command("sync_calendars")  # not due again before the interval
    assert len(server.requests) == count
    call_command("sync_calendars", "--all")
    assert len(server.requests) == count + 1
    subscription.refresh_from_db()
    assert subscription.next_attempt_at > subscription.last_attempt_at


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104 - an address refused, not bound
        "fe80::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "224.0.0.1",
        "100.64.0.1",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(address):
    from events.calendar_sync.fetch import is_public_address

    assert not is_public_address(address)


def test_public_addresses_are_allowed_and_loopback_only_by_setting():
    from events.calendar_sync.fetch import is_public_address

    assert is_public_address("93.184.216.34") and is_public_address("2606:2800:220:1:248:1893:25c8:1946")
    assert is_public_address("127.0.0.1", allow_loopback=True)
    assert not is_public_address("10.0.0.1", allow_loopback=True)


@pytest.mark.parametrize(
    "location", ["http://127.0.0.1/feed.ics", "http://localhost/feed.ics", "http://[::ffff:127.0.0.1]/x.ics"]
)
def test_redirect_to_loopback_is_refused(db, settings, subscribe, location):
    settings.EVENTS_SYNC_ALLOW_LOOPBACK = False
    subscription = subscribe(location)  # what a redirect would lead to: checked before any connection
    sync_subscription(subscription, now=NOW)
    subscription.refresh_from_db()
    assert "privé" in subscription.last_error and subscription.failures == 1
