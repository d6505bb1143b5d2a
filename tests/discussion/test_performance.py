"""Query counts that stay flat whatever the history length (issue 5, performance)."""

import json

import pytest
from django.urls import reverse

from members.models import User
from network.discussion import broadcast, protocol, services
from network.discussion.models import Message, Room
from network.discussion.rendering import render_body

pytestmark = pytest.mark.django_db


def _fill(room, author, count):
    """``count`` stored messages in ``room`` (bulk: a read-side fixture), seqs in order."""
    start = room.last_seq
    Message.objects.bulk_create(
        Message(room=room, author=author, body=f"m{n}", html=render_body(f"m{n}"), seq=start + n + 1)
        for n in range(count)
    )
    Room.objects.filter(pk=room.pk).update(last_seq=start + count)
    room.refresh_from_db()
    return list(Message.objects.filter(room=room).order_by("id").values_list("id", "seq"))


def _room_page_queries(client, room, captured):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("discussion:room_detail", args=[room.slug]))
    assert response.status_code == 200
    captured.append(len(context.captured_queries))
    return response


def test_room_page_runs_the_same_queries_with_10_and_500_messages(
    client, member, other_member, django_assert_num_queries
):
    small = services.create_room(kind=Room.Kind.TOPIC, title="Petit", by=None)
    large = services.create_room(kind=Room.Kind.TOPIC, title="Grand", by=None)
    _fill(small, other_member, 10)
    _fill(large, other_member, 500)
    client.force_login(member)
    # Warm up both (the membership is created on the first visit), then count.
    for room in (small, large):
        client.get(reverse("discussion:room_detail", args=[room.slug]))
    counts = []
    _room_page_queries(client, small, counts)
    with django_assert_num_queries(counts[0]):
        response = client.get(reverse("discussion:room_detail", args=[large.slug]))
    assert len(response.context["page_messages"]) == 50
    assert response.context["has_older"]


def test_first_visit_runs_the_same_queries_with_10_and_500_messages(client, member, other_member):
    small = services.create_room(kind=Room.Kind.TOPIC, title="Petit", by=None)
    large = services.create_room(kind=Room.Kind.TOPIC, title="Grand", by=None)
    _fill(small, other_member, 10)
    _fill(large, other_member, 500)
    client.force_login(member)
    # The member's header links are built on their first page and then kept:
    # built here, so that both counts are of a first visit to a room alone.
    client.get(reverse("discussion:room_list"))
    counts = []
    _room_page_queries(client, small, counts)
    _room_page_queries(client, large, counts)
    assert counts[0] == counts[1]


@pytest.fixture
def long_history(room, other_member):
    """2,000 messages in the room; the client saw all but the last 200."""
    rows = _fill(room, other_member, 2000)
    return rows[-201]


def test_replay_of_200_missed_messages_runs_at_most_2_queries(
    room, long_history, django_assert_max_num_queries
):
    seen_id, seen_seq = long_history
    reader = User.objects.get(pk=room.messages.first().author_id)  # fresh: nothing cached
    with django_assert_max_num_queries(2):
        frames, high_water = services.replay_events(room, by=reader, after_id=seen_id, after_seq=seen_seq)
    assert len(frames) == 200
    assert [f["seq"] for f in frames] == sorted(f["seq"] for f in frames)
    assert high_water == room.last_seq


def test_replay_after_id_only_is_bounded_too(room, long_history, member, django_assert_max_num_queries):
    seen_id, _seen_seq = long_history
    with django_assert_max_num_queries(2):
        frames, _ = services.replay_events(room, by=member, after_id=seen_id)
    assert len(frames) == 200


def test_socket_replay_in_a_private_room_reuses_the_membership_checked_at_connect(
    member, other_member, django_assert_max_num_queries
):
    private = services.create_room(
        kind=Room.Kind.PRIVATE, visibility=Room.Visibility.MEMBERS, title="Binôme", by=None
    )
    services.add_room_member(private, member)
    seen_id, seen_seq = _fill(private, other_member, 2000)[-201]
    user = User.objects.get(pk=member.pk)
    room, membership = protocol.open_room(user, private.slug)  # what connect() runs
    assert membership is not None
    with django_assert_max_num_queries(1):
        frames, _ = services.replay_events(
            room, by=user, after_id=seen_id, after_seq=seen_seq, membership=membership
        )
    assert len(frames) == 200


def test_broadcast_carries_the_frame_encoded_once(
    room, member, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(broadcast, "_send", lambda group, message: sent.append((group, message)))
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = services.post_message(room, by=member, body="une fois")
    ((group, event),) = sent
    assert group == room.group_name
    assert event["type"] == "room.event"
    assert event["seq"] == message.seq
    frame = json.loads(event["text"])
    assert (frame["type"], frame["id"], frame["seq"], frame["body"]) == (
        "message",
        message.pk,
        message.seq,
        "une fois",
    )
