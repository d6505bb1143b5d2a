import pytest
from django.urls import reverse

from network.discussion import services
from network.discussion.models import Message, ModerationAction, Room, RoomMembership
from tests.factories import VerifiedUserFactory
from tests.factories.discussion import MessageFactory, RoomFactory

pytestmark = pytest.mark.django_db


def _url(room):
    return reverse("discussion:room_detail", args=[room.slug])


def test_anonymous_is_sent_to_login(client, room):
    for url in (reverse("discussion:room_list"), _url(room)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_room_list_counts_unread_and_mentions_in_bounded_queries(
    client, member, other_member, django_assert_max_num_queries, no_rate_limit
):
    rooms = [RoomFactory(title=f"Salon {n}") for n in range(12)]
    for room in rooms[:6]:
        services.post_message(room, by=other_member, body=f"Coucou @{member.display_name.replace(' ', '')}")
        services.post_message(room, by=other_member, body="Deuxième")
    services.mark_read(rooms[0], by=member, message_id=Message.objects.filter(room=rooms[0]).first().pk)
    private = services.create_room(
        kind=Room.Kind.PRIVATE, visibility=Room.Visibility.MEMBERS, title="Secret", by=None
    )
    client.force_login(member)
    with django_assert_max_num_queries(9):  # with the header's "Ma fiche" lookup
        response = client.get(reverse("discussion:room_list"))
    listed = {room.title: room for room in response.context["rooms"]}
    assert private.title not in listed
    assert len(listed) == 12
    assert (listed["Salon 0"].unread, listed["Salon 0"].unread_mentions) == (1, 0)
    assert (listed["Salon 1"].unread, listed["Salon 1"].unread_mentions) == (2, 1)
    assert listed["Salon 7"].unread == 0
    assert "2 non lus" in response.content.decode()


def test_unverified_account_sees_no_room(client, unverified_user, room):
    client.force_login(unverified_user)
    assert client.get(reverse("discussion:room_list")).context["rooms"] == []
    assert client.get(_url(room)).status_code == 404


def test_forbidden_and_missing_rooms_are_both_404(client, other_member, private_room):
    client.force_login(other_member)
    assert client.get(_url(private_room)).status_code == 404
    assert client.get("/discussions/nexiste-pas/").status_code == 404


def test_room_page_shows_last_50_and_pages_older_by_id(client, member, room):
    messages = [MessageFactory(room=room, author=member) for _ in range(60)]
    client.force_login(member)
    response = client.get(_url(room))
    shown = [m.pk for m in response.context["page_messages"]]
    assert shown == [m.pk for m in messages[10:]]
    assert response.context["has_older"]
    older = client.get(_url(room), {"before": messages[10].pk})
    assert [m.pk for m in older.context["page_messages"]] == [m.pk for m in messages[:10]]
    assert not older.context["has_older"]
    assert RoomMembership.objects.get(room=room, user=member).last_read_id == messages[-1].pk


@pytest.mark.parametrize("before", ["abc", "-3", "0", "99999999999999999999999"])
def test_bad_before_never_fails(client, member, room, before):
    client.force_login(member)
    assert client.get(_url(room), {"before": before}).status_code == 200


@pytest.mark.parametrize("action", ["room_detail", "message_post"])
def test_plain_form_posts_and_redirects(client, member, room, action):
    client.force_login(member)
    url = reverse(f"discussion:{action}", args=[room.slug])
    response = client.post(url, {"body": "Sans *JavaScript*"})
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_url(room)}#m{message.pk}"
    page = client.get(_url(room)).content.decode()
    assert "Sans <em>JavaScript</em>" in page


def test_double_submit_with_same_client_id_stores_once(client, member, room):
    client.force_login(member)
    data = {"body": "Une seule fois", "client_id": "6f1c8a0e-7a55-4b1e-9a55-2d1f3c4b5a6e"}
    client.post(_url(room), data)
    client.post(_url(room), data)
    assert Message.objects.count() == 1


@pytest.mark.parametrize(("body", "expected"), [("", "requis"), ("x" * 4001, "4000")])
def test_form_errors_come_back_as_messages(client, member, room, body, expected):
    client.force_login(member)
    response = client.post(_url(room), {"body": body}, follow=True)
    assert response.status_code == 200
    assert any(expected in str(m) for m in response.context["messages"])
    assert not Message.objects.exists()


def test_rate_limited_form_shows_a_message(client, member, room, settings):
    settings.DISCUSSION_RATE_LIMIT = (1, 10)
    client.force_login(member)
    client.post(_url(room), {"body": "un"})
    response = client.post(_url(room), {"body": "deux"}, follow=True)
    assert any("trop vite" in str(m) for m in response.context["messages"])
    assert Message.objects.count() == 1


def test_post_to_forbidden_room_is_404(client, other_member, private_room):
    client.force_login(other_member)
    assert client.post(_url(private_room), {"body": "intrus"}).status_code == 404
    assert not Message.objects.exists()


def test_edit_and_delete_through_forms(client, member, other_member, room):
    message, _ = services.post_message(room, by=member, body="Brouillon")
    edit_url = reverse("discussion:message_edit", args=[room.slug, message.pk])
    delete_url = reverse("discussion:message_delete", args=[room.slug, message.pk])
    client.force_login(other_member)
    assert client.get(edit_url).status_code == 404
    client.post(delete_url)
    assert not Message.objects.get().deleted
    client.force_login(member)
    assert client.post(edit_url, {"body": "Propre"}).status_code == 302
    assert Message.objects.get().body == "Propre"
    client.post(delete_url)
    assert Message.objects.get().deleted
    assert "Message supprimé." in client.get(_url(room)).content.decode()


def test_report_and_hide_through_forms(client, member, other_member, staff_user, room):
    message, _ = services.post_message(room, by=member, body="Discutable")
    client.force_login(other_member)
    hide_url = reverse("discussion:message_hide", args=[room.slug, message.pk])
    assert client.get(hide_url).status_code == 404
    report_url = reverse("discussion:message_report", args=[room.slug, message.pk])
    assert client.post(report_url, {"reason": "Hors sujet"}).status_code == 302
    client.force_login(staff_user)
    assert client.post(hide_url, {"reason": "Hors charte"}).status_code == 302
    assert Message.objects.get().hidden
    assert ModerationAction.objects.get().reason == "Hors charte"
    client.force_login(other_member)
    page = client.get(_url(room)).content.decode()
    assert "Discutable" not in page
    assert "Message masqué par la modération." in page


def test_staff_create_and_archive_topic_rooms(client, member, staff_user):
    create_url = reverse("discussion:room_create")
    client.force_login(member)
    assert client.get(create_url).status_code == 404
    client.force_login(staff_user)
    response = client.post(create_url, {"title": "Tiers-lieux ruraux", "description": "Entre nous"})
    room = Room.objects.get()
    assert response["Location"] == _url(room)
    client.post(reverse("discussion:room_archive", args=[room.slug]))
    room.refresh_from_db()
    assert room.is_archived
    client.force_login(member)
    assert client.get(_url(room)).context["can_post"] is False
    client.post(reverse("discussion:room_archive", args=[room.slug]))
    room.refresh_from_db()
    assert room.is_archived


def test_mention_email_preference_form(client, member, room):
    client.force_login(member)
    client.post(reverse("discussion:room_notifications", args=[room.slug]), {"email_mentions": "on"})
    assert RoomMembership.objects.get(room=room, user=member).email_mentions
    client.post(reverse("discussion:room_notifications", args=[room.slug]), {})
    assert not RoomMembership.objects.get(room=room, user=member).email_mentions


def test_message_html_is_never_raw(client, member, room):
    client.force_login(member)
    client.post(_url(room), {"body": '<img src=x onerror="alert(1)">'})
    page = client.get(_url(room)).content.decode()
    assert "<img" not in page
    assert "&lt;img" in page


def test_page_links_the_static_assets(client, member, room):
    client.force_login(member)
    page = client.get(_url(room)).content.decode()
    assert "css/discussion.css" in page
    assert "js/discussion.js" in page


def test_others_cannot_see_the_page_of_other_staff(client):
    user = VerifiedUserFactory()
    client.force_login(user)
    assert client.get(reverse("discussion:room_create")).status_code == 404
