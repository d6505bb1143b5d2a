"""Direct conversations: starting one (from a member's name, again, with a
group), blocks, and who may read them (every role, staff before and after a
report), in the inbox, the badge, the pages and the Wagtail admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from network.discussion import services
from network.discussion.direct import MAX_MEMBERS
from network.discussion.errors import NotAllowed, RoomNotFound
from network.discussion.models import Block, Message, Room
from network.discussion.permissions import access_room, can_read_room
from tests.factories import UserFactory, VerifiedUserFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("discussion:room_list")
BADGE = reverse("discussion:unread_count")


def _start(by, *members, body="Bonjour !"):
    room, _created = services.start_direct_conversation(list(members), by=by)
    message, _ = services.post_message(room, by=by, body=body)
    return room, message


@pytest.fixture
def outsider(db):
    return VerifiedUserFactory(display_name="Eve Dehors")


@pytest.fixture
def conversation(member, other_member):
    room, _message = _start(member, other_member, body="Un secret entre nous")
    return room


# Starting --------------------------------------------------------------------------


def test_starting_the_same_one_to_one_twice_reuses_the_conversation(member, other_member):
    first, created = services.start_direct_conversation([other_member], by=member)
    again, created_again = services.start_direct_conversation([member], by=other_member)
    assert created and not created_again
    assert first == again and first.kind == Room.Kind.DIRECT
    assert set(first.memberships.values_list("user_id", flat=True)) == {member.pk, other_member.pk}
    assert Room.objects.filter(kind=Room.Kind.DIRECT).count() == 1


def test_a_group_conversation_up_to_eight_members(member):
    others = VerifiedUserFactory.create_batch(MAX_MEMBERS - 1)
    room, created = services.start_direct_conversation(others, by=member)
    assert created and room.memberships.count() == MAX_MEMBERS
    with pytest.raises(NotAllowed) as error:
        services.start_direct_conversation([*others, VerifiedUserFactory()], by=member)
    assert error.value.code == "too_many"


def test_only_verified_members_start_or_receive(member, unverified_user):
    with pytest.raises(NotAllowed) as error:
        services.start_direct_conversation([unverified_user], by=member)
    assert error.value.code == "not_reachable"
    with pytest.raises(NotAllowed) as error:
        services.start_direct_conversation([member], by=unverified_user)
    assert error.value.code == "unverified"
    with pytest.raises(NotAllowed):
        services.start_direct_conversation([], by=member)
    with pytest.raises(NotAllowed):
        services.start_direct_conversation([member], by=member)


def test_write_from_a_message_author_name_then_find_it_again(client, member, other_member, room):
    services.post_message(room, by=other_member, body="Qui a une imprimante 3D ?")
    client.force_login(member)
    page = client.get(room.get_absolute_url()).content.decode()
    write_url = reverse("discussion:conversation_with", args=[other_member.pk])
    assert write_url in page  # "Écrire" beside the author's name
    assert reverse("discussion:member_detail", args=[other_member.pk]) in page

    form = client.get(write_url)
    assert form.status_code == 200 and other_member.display_name in form.content.decode()
    response = client.post(write_url, {"members": [other_member.pk], "body": "Moi, passe quand tu veux"})
    direct = Room.objects.get(kind=Room.Kind.DIRECT)
    message = Message.objects.get(room=direct)
    assert (
        response.status_code == 302 and response["Location"] == f"{direct.get_absolute_url()}#m{message.pk}"
    )
    # A second "Écrire" opens the same conversation.
    assert client.get(write_url)["Location"] == direct.get_absolute_url()
    page = client.get(direct.get_absolute_url()).content.decode()
    assert "Moi, passe quand tu veux" in page and other_member.display_name in page


def test_member_card_offers_to_write_and_to_block(client, member, other_member):
    client.force_login(member)
    page = client.get(reverse("discussion:member_detail", args=[other_member.pk])).content.decode()
    assert reverse("discussion:conversation_with", args=[other_member.pk]) in page
    assert 'value="block"' in page


def test_the_new_conversation_form_takes_handles_and_says_what_is_wrong(
    client, member, other_member, outsider
):
    client.force_login(member)
    url = reverse("discussion:conversation_start")
    response = client.post(url, {"others": "@SachaMartin @EveDehors", "body": "À trois"})
    room = Room.objects.get(kind=Room.Kind.DIRECT)
    assert response["Location"].startswith(room.get_absolute_url())
    assert set(room.memberships.values_list("user_id", flat=True)) == {
        member.pk,
        other_member.pk,
        outsider.pk,
    }
    for data, error in [
        ({"others": "@Personne", "body": "x"}, "Aucun membre ne s&#x27;appelle @personne."),
        ({"others": "Sacha", "body": "x"}, "sous la forme @NomSansEspaces"),
        ({"others": "", "body": "x"}, "Choisissez au moins un membre"),
        ({"others": "@SachaMartin", "body": ""}, "Champ requis."),
        ({"members": ["abc"], "body": "x"}, "n’est pas une valeur correcte"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200 and error in response.content.decode(), data
    VerifiedUserFactory(display_name="Sacha Martin")
    response = client.post(url, {"others": "@SachaMartin", "body": "x"})
    assert "Plusieurs membres s&#x27;appellent @sachamartin" in response.content.decode()
    assert Room.objects.filter(kind=Room.Kind.DIRECT).count() == 1


# Blocks ---------------------------------------------------------------------------


def test_a_blocked_member_can_neither_start_nor_write(member, other_member, conversation):
    services.block_member(other_member, by=member)
    with pytest.raises(NotAllowed) as error:
        services.post_message(conversation, by=other_member, body="Réponds-moi")
    assert error.value.code == "blocked"
    with pytest.raises(NotAllowed) as error:
        services.start_direct_conversation([member, VerifiedUserFactory()], by=other_member)
    assert error.value.code == "blocked"
    # The blocker still writes; to start anew they unblock first.
    services.post_message(conversation, by=member, body="Je te bloque")
    with pytest.raises(NotAllowed) as error:
        services.start_direct_conversation([other_member, VerifiedUserFactory()], by=member)
    assert error.value.code == "you_blocked"

    assert services.unblock_member(other_member, by=member)
    services.post_message(conversation, by=other_member, body="Merci")
    assert not services.unblock_member(other_member, by=member)  # idempotent


def test_a_blocked_member_is_refused_in_a_group_with_the_blocker(member, other_member, outsider):
    room, _ = _start(member, other_member, outsider)
    services.block_member(outsider, by=other_member)
    with pytest.raises(NotAllowed):
        services.post_message(room, by=outsider, body="Coucou")
    services.post_message(room, by=member, body="Les autres écrivent")


def test_nobody_blocks_themselves(member):
    with pytest.raises(NotAllowed):
        services.block_member(member, by=member)


def test_block_and_unblock_from_the_card_and_the_list(client, member, other_member, conversation):
    client.force_login(other_member)
    block_url = reverse("discussion:member_block", args=[member.pk])
    assert client.post(block_url, {"action": "block"}).status_code == 302
    assert Block.objects.filter(blocker=other_member, blocked=member).exists()
    listing = client.get(reverse("discussion:blocked_list")).content.decode()
    assert member.display_name in listing and 'value="unblock"' in listing
    card = client.get(reverse("discussion:member_detail", args=[member.pk])).content.decode()
    assert 'value="unblock"' in card

    # The blocked member sees no form in the conversation, and a post is refused.
    client.force_login(member)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Vous ne pouvez pas écrire dans cette conversation." in page
    client.post(reverse("discussion:message_post", args=[conversation.slug]), {"body": "Hé"})
    assert not Message.objects.filter(room=conversation, body="Hé").exists()
    response = client.post(
        reverse("discussion:conversation_with", args=[other_member.pk]),
        {"members": [other_member.pk], "body": "Hé"},
    )
    assert "Vous ne pouvez pas écrire à" in response.content.decode()

    client.force_login(other_member)
    response = client.post(block_url, {"action": "unblock", "back": "list"})
    assert response["Location"] == reverse("discussion:blocked_list")
    assert not Block.objects.exists()
    assert client.post(block_url, {"action": "nonsense"}).status_code == 302
    assert not Block.objects.exists()


def test_block_pages_need_a_verified_login(client, unverified_user, member):
    url = reverse("discussion:member_block", args=[member.pk])
    assert client.post(url, {"action": "block"}).status_code == 302  # to the login page
    client.force_login(unverified_user)
    assert client.post(url, {"action": "block"}).status_code == 404
    assert client.get(reverse("discussion:blocked_list")).status_code == 404
    assert not Block.objects.exists()


# Who reads a conversation --------------------------------------------------------


def _staff():
    from members.services import ensure_staff_group

    user = VerifiedUserFactory(is_staff=True, is_superuser=True, display_name="Équipe Réseau")
    user.groups.add(ensure_staff_group())
    group, _created = Group.objects.get_or_create(name="Accès admin (test)")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user.groups.add(group)
    return user


@pytest.mark.parametrize("role", ["anonymous", "unverified", "outsider", "staff"])
def test_only_its_members_read_a_conversation(client, role, conversation, outsider, unverified_user):
    user = {"anonymous": None, "unverified": unverified_user, "outsider": outsider, "staff": None}[role]
    if role == "staff":
        user = _staff()
    if user is not None:
        client.force_login(user)
        assert not can_read_room(user, conversation)
        with pytest.raises(RoomNotFound):
            access_room(user, conversation.slug)
    message = conversation.messages.get()
    for url in [
        conversation.get_absolute_url(),
        reverse("discussion:message_link", args=[conversation.slug, message.pk]),
        reverse("discussion:message_report", args=[conversation.slug, message.pk]),
        f"{conversation.get_absolute_url()}?before={message.pk + 1}",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 404) and b"Un secret" not in response.content, url
    client.post(reverse("discussion:message_post", args=[conversation.slug]), {"body": "Intrus"})
    assert not Message.objects.filter(body="Intrus").exists()
    if user is not None:
        inbox = client.get(INBOX).content.decode()
        assert "Un secret" not in inbox and conversation.slug not in inbox
        assert client.get(BADGE).json() == {"unread": 0, "mentions": 0}
    if role == "staff":
        for url in [reverse("discussion_moderation:index"), reverse("discussion_moderation:audit")]:
            assert b"Un secret" not in client.get(url).content
        with pytest.raises(NotAllowed):
            services.hide_message(message, by=user)


def test_its_members_read_it_in_the_inbox_and_the_badge(client, member, other_member, conversation):
    client.force_login(other_member)
    assert client.get(BADGE).json() == {"unread": 1, "mentions": 0}
    inbox = client.get(INBOX).content.decode()
    assert "Un secret entre nous" in inbox
    assert f"Conversation avec {member.display_name}" in inbox  # named by the other member
    page = client.get(conversation.get_absolute_url())
    assert page.status_code == 200 and "Un secret entre nous" in page.content.decode()
    assert client.get(BADGE).json() == {"unread": 0, "mentions": 0}


def test_staff_see_only_the_reported_message_in_context(
    client, member, other_member, no_rate_limit, django_capture_on_commit_callbacks
):
    room, _ = _start(member, other_member, body="Bonjour")
    reported, _ = services.post_message(room, by=other_member, body="Des propos odieux")
    staff = _staff()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_message(reported, by=member, reason="Harcèlement")
    # Staff are told, with the moderation screen's link, never the conversation's.
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert reverse("discussion_moderation:report", args=[report.pk]) in mail.outbox[0].body
    assert room.slug not in mail.outbox[0].body

    client.force_login(staff)
    index = client.get(reverse("discussion_moderation:index")).content.decode()
    assert reverse("discussion_moderation:report", args=[report.pk]) in index
    detail = client.get(reverse("discussion_moderation:report", args=[report.pk])).content.decode()
    assert "Des propos odieux" in detail and "Bonjour" in detail
    # The conversation itself stays closed.
    assert client.get(room.get_absolute_url()).status_code == 404
    assert not can_read_room(staff, room)

    # Hide it, and mute its author there, from the moderation screen.
    response = client.post(
        reverse("discussion_moderation:report", args=[report.pk]), {"action": "hide", "reason": "Odieux"}
    )
    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.hidden
    client.post(
        reverse("discussion_moderation:report", args=[report.pk]),
        {"action": "mute", "duration": "24h", "reason": ""},
    )
    assert room.memberships.get(user=other_member).muted_until is not None
    # Only what was reported: another member of it, another message, stay out of reach.
    other, _ = services.post_message(room, by=member, body="Pas signalé")
    with pytest.raises(NotAllowed):
        services.hide_message(other, by=staff)
    with pytest.raises(NotAllowed):
        services.mute_member(room, member, by=staff, until=None)


def test_an_unrelated_staff_report_list_holds_no_direct_message(client, conversation):
    staff = _staff()
    client.force_login(staff)
    response = client.get(reverse("discussion_moderation:index"))
    assert response.status_code == 200 and b"Un secret" not in response.content


def test_a_deactivated_member_is_not_reachable(member):
    gone = UserFactory(is_active=False)
    with pytest.raises(NotAllowed):
        services.start_direct_conversation([gone], by=member)


# Queries ---------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 12])
def test_conversation_page_and_inbox_in_bounded_queries(
    client, member, no_rate_limit, django_assert_max_num_queries, count
):
    people = VerifiedUserFactory.create_batch(3)
    rooms = []
    for n in range(count // 2):
        partner = VerifiedUserFactory()
        room, _ = _start(partner, member, *people[: n % 3], body="Salut")
        for k in range(count):
            services.post_message(room, by=partner, body=f"Message {k}")
        rooms.append(room)
    client.force_login(member)
    client.get(BADGE)  # the session and the verified flag, as on any page
    with django_assert_max_num_queries(10):
        inbox = client.get(INBOX)
    assert inbox.status_code == 200
    with django_assert_max_num_queries(19):  # a room page's 15, and the names and the block
        page = client.get(rooms[-1].get_absolute_url())
    assert page.status_code == 200 and "Message 0" in page.content.decode()


# Daily digest ------------------------------------------------------------------


def test_an_unread_direct_message_is_in_the_daily_digest(
    member, other_member, outsider, django_capture_on_commit_callbacks
):
    room, message = _start(other_member, member, body="Tu as vu mon message ?")
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.send_digests()
    assert queued == [member.pk]  # not the author, not an outsider
    [email] = mail.outbox
    assert email.to == [member.email]
    assert "On vous a écrit" in email.body and "Tu as vu mon message ?" in email.body
    assert (
        f"{room.get_absolute_url()}#m{message.pk}" in email.body and other_member.display_name in email.body
    )
    # Read, it waits no more.
    services.mark_read(room, by=member, message_id=message.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests(now=timezone.now() + timedelta(days=1)) == []
