import uuid

import pytest
from django.core import mail

from network.discussion import services
from network.discussion.errors import (
    EmptyMessage,
    MessageGone,
    MessageTooLong,
    NotAllowed,
    RateLimited,
    RoomNotFound,
)
from network.discussion.models import Mention, Message, ModerationAction, Report, Room, RoomMembership
from network.discussion.permissions import access_room, can_moderate_room, can_read_room
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.django_db


def test_create_topic_room_is_for_staff(member, staff_user):
    with pytest.raises(NotAllowed):
        services.create_room(kind=Room.Kind.TOPIC, title="Général", by=member)
    room = services.create_room(kind=Room.Kind.TOPIC, title="Général", by=staff_user)
    assert room.slug == "general"
    assert services.create_room(kind=Room.Kind.TOPIC, title="Général", by=staff_user).slug == "general-2"


def test_reserved_slug_is_never_given(staff_user):
    assert services.create_room(kind=Room.Kind.TOPIC, title="Nouveau", by=staff_user).slug == "nouveau-2"


def test_topic_rooms_are_read_by_verified_members_only(room, member, unverified_user):
    assert can_read_room(member, room)
    assert not can_read_room(unverified_user, room)


def test_private_room_access_is_the_same_error_as_missing(private_room, member, other_member):
    assert access_room(member, private_room.slug) == private_room
    with pytest.raises(RoomNotFound) as forbidden:
        access_room(other_member, private_room.slug)
    with pytest.raises(RoomNotFound) as missing:
        access_room(other_member, "nope")
    assert forbidden.value.code == missing.value.code == "not_found"
    assert str(forbidden.value) == str(missing.value)


def test_staff_see_venue_rooms_but_not_private_ones(staff_user, private_room):
    venue_room = services.create_room(
        kind=Room.Kind.VENUE, visibility=Room.Visibility.OPEN, title="La Coroutine", by=None
    )
    assert can_read_room(staff_user, venue_room)
    assert can_moderate_room(staff_user, venue_room)
    assert not can_read_room(staff_user, private_room)


def test_venue_managers_moderate_their_room(member, other_member):
    venue_room = services.create_room(
        kind=Room.Kind.VENUE, visibility=Room.Visibility.OPEN, title="La Coroutine", by=None
    )
    services.add_room_member(venue_room, member, role=RoomMembership.Role.MODERATOR)
    services.add_room_member(venue_room, other_member)
    assert can_moderate_room(member, venue_room)
    assert not can_moderate_room(other_member, venue_room)
    services.remove_room_member(venue_room, other_member)
    assert can_read_room(other_member, venue_room)  # a venue room stays open to every member


def test_venue_rooms_are_open_to_verified_members_only(member, unverified_user):
    venue_room = services.create_room(
        kind=Room.Kind.VENUE, visibility=Room.Visibility.OPEN, title="La Coroutine", by=None
    )
    assert can_read_room(member, venue_room)
    assert not can_read_room(unverified_user, venue_room)


def test_invite_to_private_room(private_room, member, other_member):
    outsider = VerifiedUserFactory()
    with pytest.raises(NotAllowed):
        services.invite_to_room(private_room, other_member, by=outsider)
    services.invite_to_room(private_room, other_member, by=member)
    assert can_read_room(other_member, private_room)


def test_post_message_stores_clean_html_and_takes_a_seq(room, member):
    first, created = services.post_message(room, by=member, body="**Bonjour** <script>x</script>")
    second, _ = services.post_message(room, by=member, body="[lien](javascript:alert(1))")
    assert created
    assert first.html == "<p><strong>Bonjour</strong> &lt;script&gt;x&lt;/script&gt;</p>"
    assert "javascript" not in second.html
    assert (first.seq, second.seq) == (1, 2)
    room.refresh_from_db()
    assert room.last_seq == 2
    assert RoomMembership.objects.get(room=room, user=member).last_read_id == second.pk


def test_same_client_id_is_stored_once(room, member):
    client_id = uuid.uuid4()
    first, created = services.post_message(room, by=member, body="Une fois", client_id=client_id)
    again, created_again = services.post_message(room, by=member, body="Une fois", client_id=client_id)
    assert created and not created_again
    assert again.pk == first.pk
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "error"), [("   ", EmptyMessage), ("x" * 4001, MessageTooLong), (None, EmptyMessage)]
)
def test_bad_bodies_are_refused(room, member, body, error):
    with pytest.raises(error):
        services.post_message(room, by=member, body=body)
    assert not Message.objects.exists()


def test_body_of_exactly_the_limit_is_accepted(room, member):
    message, _ = services.post_message(room, by=member, body="x" * 4000)
    assert len(message.body) == 4000


def test_rate_limit(room, member, settings):
    settings.DISCUSSION_RATE_LIMIT = (3, 10)
    for n in range(3):
        services.post_message(room, by=member, body=f"m{n}")
    with pytest.raises(RateLimited) as error:
        services.post_message(room, by=member, body="trop")
    assert error.value.code == "rate_limited"
    assert Message.objects.count() == 3


def test_non_member_cannot_post_in_private_room(private_room, other_member):
    with pytest.raises(RoomNotFound):
        services.post_message(private_room, by=other_member, body="Coucou")


def test_archived_room_is_read_only(room, member, staff_user):
    with pytest.raises(NotAllowed):
        services.archive_room(room, by=member)
    services.archive_room(room, by=staff_user, reason="Fin du projet")
    with pytest.raises(NotAllowed) as error:
        services.post_message(room, by=member, body="Encore là ?")
    assert error.value.code == "archived"
    assert ModerationAction.objects.get().action == ModerationAction.Action.ARCHIVE


def test_edit_and_delete_own_message_only(room, member, other_member):
    message, _ = services.post_message(room, by=member, body="Premier jet")
    with pytest.raises(NotAllowed):
        services.edit_message(message, by=other_member, body="Piraté")
    with pytest.raises(NotAllowed):
        services.delete_message(message, by=other_member)
    edited = services.edit_message(message, by=member, body="Version *finale*")
    assert edited.html == "<p>Version <em>finale</em></p>"
    assert edited.edited is not None
    assert edited.seq == 2
    deleted = services.delete_message(edited, by=member)
    assert deleted.deleted and deleted.body == "" and deleted.html == ""
    assert deleted.seq == 3
    with pytest.raises(MessageGone):
        services.edit_message(deleted, by=member, body="Retour")


def test_mentions_are_recorded_and_emailed_to_who_opted_in(
    room, member, other_member, django_capture_on_commit_callbacks
):
    VerifiedUserFactory(display_name="Camille Durand")
    services.set_mention_emails(room, by=other_member, enabled=True)
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = services.post_message(
            room, by=member, body="Salut @SachaMartin et @camilledurand, et @personne"
        )
    assert set(Mention.objects.filter(message=message).values_list("user__display_name", flat=True)) == {
        "Sacha Martin",
        "Camille Durand",
    }
    assert [m.to for m in mail.outbox] == [[other_member.email]]
    assert "Sacha" not in mail.outbox[0].subject
    assert member.display_name in mail.outbox[0].subject


def test_mentions_skip_members_who_cannot_read(private_room, member, other_member):
    message, _ = services.post_message(private_room, by=member, body="@SachaMartin tu es là ?")
    assert not Mention.objects.filter(message=message).exists()


def test_report_notifies_staff_once(
    room, member, other_member, staff_user, django_capture_on_commit_callbacks
):
    message, _ = services.post_message(room, by=member, body="Hors sujet")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_message(message, by=other_member, reason="Spam")
        services.report_message(message, by=other_member, reason="Encore")
    assert Report.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[staff_user.email]]
    with pytest.raises(NotAllowed):
        services.report_message(message, by=member)


def test_hide_message_keeps_an_audit_trail(room, member, other_member, staff_user):
    message, _ = services.post_message(room, by=member, body="À masquer")
    services.report_message(message, by=other_member)
    with pytest.raises(NotAllowed):
        services.hide_message(message, by=other_member, reason="non")
    hidden = services.hide_message(message, by=staff_user, reason="Propos injurieux")
    assert hidden.hidden and hidden.seq == 2
    action = ModerationAction.objects.get()
    assert (action.actor, action.message, action.action, action.reason) == (
        staff_user,
        hidden,
        ModerationAction.Action.HIDE,
        "Propos injurieux",
    )
    assert Report.objects.get().resolved
    restored = services.hide_message(hidden, by=staff_user, reason="Erreur", hidden=False)
    assert not restored.hidden
    assert ModerationAction.objects.count() == 2


def test_mark_read_never_moves_backwards(room, member):
    services.mark_read(room, by=member, message_id=10)
    services.mark_read(room, by=member, message_id=5)
    assert RoomMembership.objects.get(room=room, user=member).last_read_id == 10


def test_replay_sends_new_messages_and_later_changes_once(room, member, other_member):
    old, _ = services.post_message(room, by=member, body="ancien")
    seen, _ = services.post_message(room, by=member, body="vu")
    client_seq = seen.seq
    services.post_message(room, by=other_member, body="nouveau")
    services.edit_message(old, by=member, body="ancien modifié")
    fresh, _ = services.post_message(room, by=other_member, body="encore")
    services.delete_message(fresh, by=other_member)
    frames, high_water = services.replay_events(room, by=member, after_id=seen.pk, after_seq=client_seq)
    assert [(f["body"], f["deleted"]) for f in frames] == [
        ("nouveau", False),
        ("ancien modifié", False),
        ("", True),
    ]
    assert high_water == Room.objects.get(pk=room.pk).last_seq
    only_new, _ = services.replay_events(room, by=member, after_id=seen.pk)
    assert [f["id"] for f in only_new] == sorted(f["id"] for f in only_new)
    assert old.pk not in [f["id"] for f in only_new]


def test_replay_pages_through_batches(room, member, settings, no_rate_limit):
    settings.DISCUSSION_REPLAY_BATCH = 3
    ids = [services.post_message(room, by=member, body=f"m{n}")[0].pk for n in range(10)]
    frames, _ = services.replay_events(room, by=member, after_id=0)
    assert [f["id"] for f in frames] == ids
