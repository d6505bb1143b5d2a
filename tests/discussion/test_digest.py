"""The daily digest of unread mentions: who gets it, once a day, opt-out and
one-click unsubscribe (List-Unsubscribe, List-Unsubscribe-Post)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from network.discussion import digest, services
from network.discussion.models import DigestSubscription, Room

pytestmark = pytest.mark.django_db


def _mention(room, author, member, body="Tu viens"):
    handle = member.display_name.replace(" ", "")
    return services.post_message(room, by=author, body=f"{body} @{handle} ?")[0]


def _digests(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return services.send_digests(**kwargs)


def test_an_unread_mention_is_sent_once_a_day_with_one_click_unsubscribe(
    room, member, other_member, django_capture_on_commit_callbacks
):
    message = _mention(room, other_member, member)
    assert _digests(django_capture_on_commit_callbacks) == [member.pk]
    [email] = mail.outbox
    assert email.to == [member.email]
    assert "1 message vous attend" in email.subject
    assert room.title in email.body and f"#m{message.pk}" in email.body
    unsubscribe = digest.unsubscribe_url(member)
    assert email.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in email.body
    # A second run the same day sends nothing more.
    _mention(room, other_member, member, body="Et demain")
    assert _digests(django_capture_on_commit_callbacks) == []
    # The next day, the new mention is sent.
    tomorrow = timezone.now() + timedelta(days=1)
    assert _digests(django_capture_on_commit_callbacks, now=tomorrow) == [member.pk]
    assert "Et demain" in mail.outbox[1].body and "Tu viens" not in mail.outbox[1].body


def test_read_mentions_and_rooms_no_longer_readable_are_left_out(
    client, member, other_member, django_capture_on_commit_callbacks
):
    private = services.create_room(
        kind=Room.Kind.PRIVATE, visibility=Room.Visibility.MEMBERS, title="Binôme", by=None
    )
    services.add_room_member(private, member)
    services.add_room_member(private, other_member)
    _mention(private, other_member, member)
    services.remove_room_member(private, member)
    topic = services.create_room(kind=Room.Kind.TOPIC, title="Lu", by=None)
    read = _mention(topic, other_member, member)
    services.mark_read(topic, by=member, message_id=read.pk)
    _digests(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_opt_out_from_the_room_page(client, room, member, other_member, django_capture_on_commit_callbacks):
    client.force_login(member)
    assert (
        'name="digest" checked'
        in client.get(reverse("discussion:room_detail", args=[room.slug])).content.decode()
    )
    client.post(reverse("discussion:digest_settings"), {"next": room.slug})
    assert not DigestSubscription.objects.get(user=member).enabled
    _mention(room, other_member, member)
    assert _digests(django_capture_on_commit_callbacks) == []
    client.post(reverse("discussion:digest_settings"), {"digest": "on", "next": room.slug})
    assert _digests(django_capture_on_commit_callbacks) == [member.pk]


def test_one_click_unsubscribe_needs_no_session_and_a_valid_token(client, member):
    url = reverse("discussion:digest_unsubscribe", args=[digest.unsubscribe_token(member)])
    assert "Me désabonner" in client.get(url).content.decode()
    assert not DigestSubscription.objects.filter(user=member, enabled=False).exists()  # GET changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert DigestSubscription.objects.get(user=member).enabled is False
    forged = reverse("discussion:digest_unsubscribe", args=[f"{member.pk}:forged"])
    assert client.post(forged).status_code == 404


def test_the_command_queues_the_digests(room, member, other_member, django_capture_on_commit_callbacks):
    _mention(room, other_member, member)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_discussion_digests")
    assert len(mail.outbox) == 1
