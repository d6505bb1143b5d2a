"""Who manages a venue's calendar subscriptions in the Wagtail admin, and the one-off .ics upload."""

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import CalendarSubscription, EventPage

DATA = Path(__file__).parent / "data"
INDEX = "calendar_subscriptions:index"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def subscription(venue):
    return CalendarSubscription.objects.create(venue=venue, url="https://calendar.example.org/coroutine.ics")


@pytest.fixture
def other_subscription(other_venue):
    return CalendarSubscription.objects.create(
        venue=other_venue, url="https://calendar.example.org/hangar.ics"
    )


def test_anonymous_is_sent_to_login(client, subscription):
    response = client.get(reverse(INDEX))
    assert response.status_code == 302 and "login" in response["Location"]


def test_member_without_venue_is_refused(client, member, subscription):
    client.force_login(member)
    response = client.get(reverse(INDEX))
    assert response.status_code in (302, 403)
    assert client.get(reverse("calendar_sync_upload")).status_code in (302, 403)


def test_manager_sees_only_their_venue(client, manager, subscription, other_subscription):
    client.force_login(manager)
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    assert b"coroutine.ics" in response.content
    assert b"hangar.ics" not in response.content


def test_manager_of_another_venue_cannot_edit_or_delete(client, other_manager, subscription):
    client.force_login(other_manager)
    edit = client.get(reverse("calendar_subscriptions:edit", args=[subscription.pk]))
    delete = client.post(reverse("calendar_subscriptions:delete", args=[subscription.pk]))
    assert edit.status_code in (302, 403, 404)
    assert delete.status_code in (302, 403, 404)
    assert CalendarSubscription.objects.filter(pk=subscription.pk).exists()


def test_manager_adds_a_subscription_for_their_venue_only(client, manager, venue, other_venue):
    client.force_login(manager)
    url = reverse("calendar_subscriptions:add")
    refused = client.post(
        url, {"venue": other_venue.pk, "url": "https://x.example.org/a.ics", "publish_mode": "draft"}
    )
    assert refused.status_code == 200 and not CalendarSubscription.objects.exists()
    bad_url = client.post(
        url, {"venue": venue.pk, "url": "ftp://x.example.org/a.ics", "publish_mode": "draft"}
    )
    assert bad_url.status_code == 200 and not CalendarSubscription.objects.exists()
    client.post(
        url,
        {"venue": venue.pk, "url": "https://x.example.org/a.ics", "publish_mode": "live", "is_active": "on"},
    )
    created = CalendarSubscription.objects.get()
    assert (created.venue_id, created.publish_mode) == (venue.pk, "live")


def test_staff_sees_every_subscription(client, staff_user, subscription, other_subscription):
    client.force_login(staff_user)
    response = client.get(reverse(INDEX))
    assert b"coroutine.ics" in response.content and b"hangar.ics" in response.content


def _ics(day):
    """A calendar as an agenda app exports it, dated from ``day`` (always inside the sync window)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sabre//Sabre VObject 4.5.6//EN",
        "BEGIN:VEVENT",
        "UID:atelier-soudure@example.org",
        "DTSTAMP:20261101T090000Z",
        f"DTSTART;TZID=Europe/Paris:{day:%Y%m%d}T183000",
        f"DTEND;TZID=Europe/Paris:{day:%Y%m%d}T200000",
        "SUMMARY:Atelier soudure",
        "DESCRIPTION:Apportez vos gants.",
        "LOCATION:Atelier du fond",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:journee-portes-ouvertes@example.org",
        "DTSTAMP:20261101T090000Z",
        f"DTSTART;VALUE=DATE:{day + timedelta(days=7):%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=8):%Y%m%d}",
        "SUMMARY:Journée portes ouvertes",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def _upload(client, venue, content, name="agenda.ics", publish_mode="draft"):
    return client.post(
        reverse("calendar_sync_upload"),
        {
            "venue": venue.pk,
            "file": SimpleUploadedFile(name, content, "text/calendar"),
            "publish_mode": publish_mode,
        },
        follow=True,
    )


def test_manager_uploads_an_ics_file(client, manager, venue):
    client.force_login(manager)
    day = timezone.localdate() + timedelta(days=14)

    response = _upload(client, venue, _ics(day))

    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("calendar_sync_upload")
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["2 créé(s), 0 mis à jour, 0 annulé(s), 0 inchangé(s)."]
    found = {page.title: page for page in EventPage.objects.child_of(venue)}
    assert set(found) == {"Atelier soudure", "Journée portes ouvertes"}
    soldering = found["Atelier soudure"]
    assert timezone.localtime(soldering.start) == datetime.combine(day, time(18, 30), tzinfo=PARIS)
    assert timezone.localtime(soldering.end) == datetime.combine(day, time(20, 0), tzinfo=PARIS)
    assert soldering.venue_id == venue.pk and "Apportez vos gants." in str(soldering.body)
    open_day = found["Journée portes ouvertes"]
    assert open_day.all_day and timezone.localtime(open_day.start).date() == day + timedelta(days=7)
    # drafts, as chosen: nothing public until the manager publishes them
    assert not any(page.live for page in found.values())

    again = _upload(
        client, venue, _ics(day).replace(b"SUMMARY:Atelier soudure", b"SUMMARY:Atelier soudure (complet)")
    )
    assert [str(m) for m in again.context["messages"]] == [
        "0 créé(s), 1 mis à jour, 0 annulé(s), 1 inchangé(s)."
    ]
    assert EventPage.objects.child_of(venue).count() == 2


def test_manager_uploads_and_publishes(client, manager, venue):
    client.force_login(manager)
    _upload(client, venue, _ics(timezone.localdate() + timedelta(days=3)), publish_mode="live")
    assert EventPage.objects.child_of(venue).live().count() == 2


def test_too_big_upload_is_refused_in_french(client, manager, venue):
    client.force_login(manager)
    content = _ics(timezone.localdate() + timedelta(days=3))
    content += b"X-FILLER:" + b"x" * (5 * 1024 * 1024)
    response = _upload(client, venue, content)
    assert response.status_code == 400
    assert "Le fichier est trop volumineux (5 Mo au plus)." in response.content.decode()
    assert not EventPage.objects.child_of(venue).exists()


def test_upload_of_html_is_a_form_error(client, manager, venue):
    client.force_login(manager)
    upload = SimpleUploadedFile("agenda.ics", b"<html><body>nope</body></html>", "text/html")
    response = client.post(
        reverse("calendar_sync_upload"), {"venue": venue.pk, "file": upload, "publish_mode": "draft"}
    )
    assert response.status_code == 400
    assert "Ce n&#x27;est pas un calendrier iCalendar (ICS)." in response.content.decode()
    assert not EventPage.objects.child_of(venue).exists()


def test_upload_into_another_venue_is_refused(client, other_manager, venue):
    client.force_login(other_manager)
    upload = SimpleUploadedFile("agenda.ics", (DATA / "nextcloud.ics").read_bytes(), "text/calendar")
    response = client.post(
        reverse("calendar_sync_upload"), {"venue": venue.pk, "file": upload, "publish_mode": "draft"}
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not EventPage.objects.child_of(venue).exists()
