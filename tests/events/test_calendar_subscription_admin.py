"""Who manages a venue's calendar subscriptions in the Wagtail admin, and the one-off .ics upload."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import CalendarSubscription, EventPage

DATA = Path(__file__).parent / "data"
INDEX = "calendar_subscriptions:index"


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


def test_manager_uploads_an_ics_file(client, manager, venue):
    client.force_login(manager)
    upload = SimpleUploadedFile("agenda.ics", (DATA / "nextcloud.ics").read_bytes(), "text/calendar")
    response = client.post(
        reverse("calendar_sync_upload"), {"venue": venue.pk, "file": upload, "publish_mode": "draft"}
    )
    assert response.status_code == 302
    titles = set(EventPage.objects.child_of(venue).values_list("title", flat=True))
    assert "Initiation impression 3D" in titles or not titles  # dated 2027: inside the sync window


def test_upload_of_html_is_a_form_error(client, manager, venue):
    client.force_login(manager)
    upload = SimpleUploadedFile("agenda.ics", b"<html><body>nope</body></html>", "text/html")
    response = client.post(
        reverse("calendar_sync_upload"), {"venue": venue.pk, "file": upload, "publish_mode": "draft"}
    )
    assert response.status_code == 400
    assert "ICS" in response.content.decode()
    assert not EventPage.objects.child_of(venue).exists()


def test_upload_into_another_venue_is_refused(client, other_manager, venue):
    client.force_login(other_manager)
    upload = SimpleUploadedFile("agenda.ics", (DATA / "nextcloud.ics").read_bytes(), "text/calendar")
    response = client.post(
        reverse("calendar_sync_upload"), {"venue": venue.pk, "file": upload, "publish_mode": "draft"}
    )
    assert response.status_code == 400
    assert not EventPage.objects.child_of(venue).exists()
