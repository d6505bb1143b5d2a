"""The inbox at /discussions/: unread messages and mentions across rooms, the
header badge's JSON, "tout marquer comme lu" and links to the exact message."""

import pytest
from django.test import Client
from django.urls import reverse

from network.discussion import services
from network.discussion.models import Message, Room
from tests.factories import VerifiedUserFactory
from tests.factories.discussion import RoomFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("discussion:room_list")
BADGE = reverse("discussion:unread_count")


def _handle(user):
    return "@" + user.display_name.replace(" ", "")


def _fill(rooms, author, reader, per_room):
    for room in rooms:
        for n in range(per_room):
            body = f"Bonjour {_handle(reader)}" if n == 0 else f"Message {n} de {room.title}"
            services.post_message(room, by=author, body=body)


@pytest.mark.parametrize("per_room", [2, 30])
def test_inbox_lists_unread_newest_first_in_bounded_queries(
    client, member, other_member, no_rate_limit, django_assert_max_num_queries, per_room
):
    rooms = [RoomFactory(title=f"Salon {n}") for n in range(6)]
    _fill(rooms, other_member, member, per_room)
    services.post_message(rooms[0], by=member, body="Le mien")  # I answered: room 0 is read
    read_up_to = Message.objects.filter(room=rooms[1]).order_by("-id").first()
    services.mark_read(rooms[1], by=member, message_id=read_up_to.pk)
    client.force_login(member)
    with django_assert_max_num_queries(9):  # the same for 2 and 30 messages a room
        response = client.get(INBOX)
    inbox = response.context["inbox"]
    ids = [message.pk for message in inbox]
    assert ids == sorted(ids, reverse=True)
    assert len(inbox) == min(4 * per_room, 50)
    assert all(m.author == other_member and m.room not in rooms[:2] for m in inbox)
    assert response.context["unread_total"] == 4 * per_room
    html = response.content.decode()
    first = inbox[0]
    assert reverse("discussion:message_link", args=[first.room.slug, first.pk]) in html
    assert "vous mentionne" in html


def test_mentions_filter_shows_only_mentions(client, member, other_member, no_rate_limit):
    rooms = [RoomFactory(title=f"Salon {n}") for n in range(3)]
    _fill(rooms, other_member, member, 3)
    client.force_login(member)
    response = client.get(INBOX, {"filtre": "mentions"})
    inbox = response.context["inbox"]
    assert len(inbox) == 3 and all(m.mentions_me for m in inbox)
    # Marking all read from there covers the newer messages that mention nobody too.
    assert response.context["newest_id"] == Message.objects.latest("id").pk > inbox[0].pk


def test_inbox_never_shows_rooms_the_member_cannot_read(client, member, other_member, no_rate_limit):
    private = services.create_room(
        kind=Room.Kind.PRIVATE, visibility=Room.Visibility.MEMBERS, title="Binôme", by=None
    )
    services.add_room_member(private, other_member)
    services.post_message(private, by=other_member, body=f"Secret {_handle(member)}")
    hidden = services.post_message(RoomFactory(), by=other_member, body="Masqué")[0]
    Message.objects.filter(pk=hidden.pk).update(hidden=True)
    client.force_login(member)
    response = client.get(INBOX)
    assert response.context["inbox"] == []
    assert "Secret" not in response.content.decode()
    assert client.get(BADGE).json() == {"unread": 0, "mentions": 0}


def test_unverified_account_has_an_empty_inbox(client, unverified_user, room, other_member):
    services.post_message(room, by=other_member, body="Bonjour")
    client.force_login(unverified_user)
    assert client.get(INBOX).context["inbox"] == []
    assert client.get(BADGE).json() == {"unread": 0, "mentions": 0}


def test_badge_counts_unread_and_mentions_in_bounded_queries(
    client, member, other_member, no_rate_limit, django_assert_max_num_queries
):
    rooms = [RoomFactory(title=f"Salon {n}") for n in range(5)]
    _fill(rooms, other_member, member, 4)
    client.force_login(member)
    with django_assert_max_num_queries(5):
        response = client.get(BADGE)
    assert response.json() == {"unread": 20, "mentions": 5}
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_badge_for_a_visitor_is_zero(client):
    assert client.get(BADGE).json() == {"unread": 0, "mentions": 0}


def test_header_badge_only_for_members_and_anonymous_pages_stay_cacheable(client, member, site_tree):
    from members.page_cache import CACHE_HEADER

    anonymous = Client()
    assert anonymous.get("/lieux/")[CACHE_HEADER] == "miss"
    page = anonymous.get("/lieux/")
    assert page[CACHE_HEADER] == "hit"
    assert "data-unread-url" not in page.content.decode()
    client.force_login(member)
    html = client.get("/lieux/").content.decode()
    assert f'data-unread-url="{BADGE}"' in html and "data-unread-badge" in html


def test_mark_all_read_keeps_what_arrived_since(client, member, other_member, no_rate_limit):
    rooms = [RoomFactory(title=f"Salon {n}") for n in range(3)]
    _fill(rooms, other_member, member, 2)
    client.force_login(member)
    newest = client.get(INBOX).context["newest_id"]
    later = services.post_message(rooms[0], by=other_member, body="Arrivé après")[0]
    response = client.post(reverse("discussion:mark_all_read"), {"up_to": str(newest)}, follow=True)
    assert "Tout est marqué comme lu." in response.content.decode()
    assert [m.pk for m in response.context["inbox"]] == [later.pk]
    assert client.get(BADGE).json() == {"unread": 1, "mentions": 0}


@pytest.mark.parametrize("up_to", ["", "abc", "-1", "²", "9" * 30])
def test_mark_all_read_with_bad_input_says_so(client, member, up_to):
    client.force_login(member)
    response = client.post(reverse("discussion:mark_all_read"), {"up_to": up_to}, follow=True)
    assert response.status_code == 200
    assert "Rien à marquer comme lu." in response.content.decode()


def test_mark_all_read_needs_a_login_and_a_post(client, member):
    url = reverse("discussion:mark_all_read")
    assert client.post(url, {"up_to": "1"}).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 405


def test_message_link_opens_the_page_holding_the_message(
    client, member, other_member, no_rate_limit, settings
):
    settings.DISCUSSION_PAGE_SIZE = 10
    room = RoomFactory()
    posted = [services.post_message(room, by=other_member, body=f"n°{n}")[0] for n in range(30)]
    client.force_login(member)
    recent = client.get(reverse("discussion:message_link", args=[room.slug, posted[-3].pk]))
    assert recent["Location"] == f"{room.get_absolute_url()}#m{posted[-3].pk}"
    old = posted[5]
    response = client.get(reverse("discussion:message_link", args=[room.slug, old.pk]), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#m{old.pk}")
    shown = [m.pk for m in response.context["page_messages"]]
    assert old.pk in shown and len(shown) == 10
    assert f'id="m{old.pk}"' in response.content.decode()


def test_message_link_of_a_forbidden_room_is_404(client, member, other_member, no_rate_limit):
    private = services.create_room(
        kind=Room.Kind.PRIVATE, visibility=Room.Visibility.MEMBERS, title="Binôme", by=None
    )
    services.add_room_member(private, other_member)
    message = services.post_message(private, by=other_member, body="Secret")[0]
    client.force_login(member)
    assert client.get(reverse("discussion:message_link", args=[private.slug, message.pk])).status_code == 404
    other_room = RoomFactory()
    assert (
        client.get(reverse("discussion:message_link", args=[other_room.slug, message.pk])).status_code == 404
    )
    client.logout()
    assert client.get(reverse("discussion:message_link", args=[private.slug, message.pk])).status_code == 302


def test_another_member_keeps_their_own_unread(client, member, other_member, no_rate_limit):
    third = VerifiedUserFactory(display_name="Camille Roux")
    room = RoomFactory()
    _fill([room], other_member, member, 2)
    client.force_login(member)
    client.post(reverse("discussion:mark_all_read"), {"up_to": str(Message.objects.latest("id").pk)})
    client.force_login(third)
    assert client.get(BADGE).json() == {"unread": 2, "mentions": 0}
