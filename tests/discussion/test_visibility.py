"""A room's visibility, set by the app that owns it, decides who reads it,
finds it listed, writes in it and moderates it: the same answers from the
permission checks, the room list, the room page and the socket, whatever the
room's kind (a label for readers)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.urls import reverse

from network.discussion import protocol, services
from network.discussion.errors import NotAllowed
from network.discussion.models import Room, RoomMembership
from tests.discussion.access import LISTED, MODERATES, NOTHING, READ, access
from tests.factories import UserFactory, VerifiedUserFactory

pytestmark = pytest.mark.django_db

V = Room.Visibility
ROLES = ("anonymous", "unverified", "outsider", "member", "moderator", "staff")
# What each role gets, by visibility: "member" is in the room, "moderator" is
# in it as its moderator, "staff" belong to the network's team and are not in it.
EXPECTED = {
    V.PUBLIC: {"outsider": LISTED, "member": LISTED, "moderator": MODERATES, "staff": MODERATES},
    V.OPEN: {"outsider": READ, "member": LISTED, "moderator": MODERATES, "staff": MODERATES},
    V.MEMBERS_AND_STAFF: {"outsider": NOTHING, "member": LISTED, "moderator": MODERATES, "staff": MODERATES},
    V.MEMBERS: {"outsider": NOTHING, "member": LISTED, "moderator": MODERATES, "staff": NOTHING},
}
CASES = [
    (visibility, kind, role)
    for visibility in EXPECTED
    for kind in (
        [Room.Kind.TOPIC] if visibility == V.PUBLIC else [Room.Kind.VENUE, Room.Kind.EVENT, Room.Kind.PRIVATE]
    )
    for role in ROLES
]


def _person(role, room, staff_user):
    if role == "anonymous":
        return AnonymousUser()
    if role == "unverified":
        user = UserFactory()
        services.add_room_member(room, user)  # a row never opens a room to an unverified account
        return user
    if role == "staff":
        return staff_user
    user = VerifiedUserFactory()
    if role in ("member", "moderator"):
        role = RoomMembership.Role.MODERATOR if role == "moderator" else RoomMembership.Role.MEMBER
        services.add_room_member(room, user, role=role)
    return user


def _room(kind, visibility):
    if kind == Room.Kind.TOPIC:
        return services.create_room(kind=kind, title="Fab labs", by=None)
    return services.create_room(kind=kind, visibility=visibility, title="Salon de test", by=None)


@pytest.mark.parametrize(("visibility", "kind", "role"), CASES)
def test_each_role_gets_what_the_visibility_says_whatever_the_kind(visibility, kind, role, staff_user):
    room = _room(kind, visibility)
    assert room.visibility == visibility
    user = _person(role, room, staff_user)
    expected = EXPECTED[visibility].get(role, NOTHING)
    assert access(user, room) == expected
    # The socket opens exactly for readers.
    assert (protocol.open_room(user, room.slug)[0] is not None) == ("read" in expected)


@pytest.mark.parametrize("role", ROLES)
def test_a_direct_conversation_is_its_members_only(role, staff_user, member):
    other = VerifiedUserFactory()
    room, _created = services.start_direct_conversation([other], by=member)
    assert room.visibility == V.MEMBERS
    user = {"member": other, "moderator": member}.get(role) or _person(role, room, staff_user)
    # Nobody moderates a conversation from its page, its own members included.
    expected = LISTED if role in ("member", "moderator") else NOTHING
    assert access(user, room) == expected


@pytest.mark.parametrize("visibility", list(EXPECTED))
@pytest.mark.parametrize("role", ["outsider", "member", "staff"])
def test_the_room_page_and_the_list_follow_the_visibility(client, visibility, role, staff_user):
    room = _room(Room.Kind.TOPIC if visibility == V.PUBLIC else Room.Kind.EVENT, visibility)
    user = _person(role, room, staff_user)
    expected = EXPECTED[visibility][role]
    client.force_login(user)
    page = client.get(reverse("discussion:room_detail", args=[room.slug]))
    assert page.status_code == (200 if "read" in expected else 404)
    listing = client.get(reverse("discussion:room_list"))
    assert (room.get_absolute_url() in listing.content.decode()) == ("listed" in expected)


def test_a_members_only_room_lets_its_members_invite_but_a_conversation_does_not(member, other_member):
    room = services.create_room(kind=Room.Kind.PRIVATE, visibility=V.MEMBERS, title="Binôme", by=None)
    services.add_room_member(room, member)
    services.invite_to_room(room, other_member, by=member)
    assert access(other_member, room) == LISTED
    open_room = services.create_room(
        kind=Room.Kind.PRIVATE, visibility=V.MEMBERS_AND_STAFF, title="Apéro", by=None
    )
    services.add_room_member(open_room, member)
    with pytest.raises(NotAllowed):
        services.invite_to_room(open_room, other_member, by=member)
    conversation, _created = services.start_direct_conversation([other_member], by=member)
    with pytest.raises(NotAllowed):
        services.invite_to_room(conversation, VerifiedUserFactory(), by=member)


def test_the_owning_app_gives_the_visibility_of_its_rooms():
    with pytest.raises(ValueError, match="visibility"):
        services.create_room(kind=Room.Kind.EVENT, title="Apéro", by=None)
    with pytest.raises(ValueError, match="visibility"):
        services.create_rooms(kind=Room.Kind.VENUE, visibility="partout", titles=["La Coroutine"])
    rooms = services.create_rooms(
        kind=Room.Kind.VENUE, visibility=V.OPEN, titles=["La Coroutine", "Le Hangar"]
    )
    assert {room.visibility for room in Room.objects.filter(pk__in=[room.pk for room in rooms])} == {V.OPEN}


def test_topic_rooms_are_public_and_conversations_members_only_in_the_database():
    with pytest.raises(ValueError, match="public"):
        services.create_room(kind=Room.Kind.TOPIC, visibility=V.MEMBERS, title="Fab labs", by=None)
    # Written past the services, the database refuses the mismatch too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(slug="fab-labs", title="Fab labs", kind=Room.Kind.TOPIC, visibility=V.OPEN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(slug="a-deux", title="À deux", kind=Room.Kind.DIRECT, visibility=V.PUBLIC)


def test_a_room_made_without_a_visibility_is_its_members_only(member):
    room = Room.objects.create(slug="sans-regle", title="Sans règle", kind=Room.Kind.EVENT)
    assert room.visibility == V.MEMBERS
    assert access(member, room) == NOTHING
