"""The room page: threads folded under their parent with their own unread
count, reactions with who reacted, the no-JavaScript reply and reaction
forms, one timestamp format, the jump to the first unread, bounded queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from network.discussion import services
from network.discussion.models import Message, Reaction
from network.discussion.payloads import message_payload

pytestmark = pytest.mark.django_db


def _url(room):
    return reverse("discussion:room_detail", args=[room.slug])


def _history(room, author, replier, n):
    for i in range(n):
        parent, _ = services.post_message(room, by=author, body=f"Sujet {i}")
        services.post_message(room, by=replier, body=f"Réponse {i}", parent=parent)
        services.add_reaction(parent, by=replier, emoji="👍")
        services.add_reaction(parent, by=author, emoji="❤️")


@pytest.mark.parametrize("rounds", [2, 20])
def test_a_room_page_runs_a_bounded_number_of_queries_whatever_the_history(
    client, room, member, other_member, django_assert_max_num_queries, no_rate_limit, rounds
):
    _history(room, member, other_member, rounds)
    client.force_login(member)
    with django_assert_max_num_queries(15):  # with the header's "Ma fiche" lookup
        response = client.get(_url(room))
    assert response.status_code == 200
    assert len(response.context["page_messages"]) == rounds  # the replies are folded


def test_replies_fold_under_their_parent_with_their_unread_count(client, room, member, other_member):
    parent, _ = services.post_message(room, by=member, body="Qui vient ?")
    client.force_login(member)
    client.get(_url(room))  # read up to here
    services.post_message(room, by=other_member, body="Moi", parent=parent)
    services.post_message(room, by=other_member, body="Moi aussi", parent=parent)
    response = client.get(_url(room))
    [top] = response.context["page_messages"]
    assert [m.body for m in top.thread] == ["Moi", "Moi aussi"]
    html = response.content.decode()
    assert "2 réponses" in html and "2 non lues" in html
    first_reply = top.thread[0]
    assert f'href="#m{first_reply.pk}">Aller au premier message non lu' in html
    # Read now: no unread count, no jump link on the next visit.
    again = client.get(_url(room)).content.decode()
    assert 'data-count="0" hidden' in again
    assert "Aller au premier message non lu" not in again


def test_reactions_show_who_reacted_and_toggle_without_javascript(client, room, member, other_member):
    message, _ = services.post_message(room, by=member, body="Bravo")
    services.add_reaction(message, by=other_member, emoji="🎉")
    client.force_login(member)
    url = reverse("discussion:message_react", args=[room.slug, message.pk])
    assert client.post(url, {"emoji": "🎉"}).status_code == 302
    html = client.get(_url(room)).content.decode()
    assert f'title="{other_member.display_name}, {member.display_name}"' in html
    assert re.search(
        r'reaction reaction--mine" data-emoji="🎉".*?<span class="reaction__count">2</span>', html
    )
    client.post(url, {"emoji": "🎉"})  # the second click takes it back
    assert list(Reaction.objects.values_list("user", flat=True)) == [other_member.pk]
    response = client.post(url, {"emoji": "💩"}, follow=True)
    assert "Cette réaction n&#x27;est pas proposée." in response.content.decode()


def test_reply_without_javascript(client, room, member, other_member):
    parent, _ = services.post_message(room, by=other_member, body="Question")
    client.force_login(member)
    page = client.get(_url(room) + f"?reply={parent.pk}").content.decode()
    assert f'name="parent" value="{parent.pk}"' in page
    client.post(
        reverse("discussion:message_post", args=[room.slug]), {"body": "Réponse", "parent": parent.pk}
    )
    assert Message.objects.get(body="Réponse").parent == parent
    response = client.post(
        reverse("discussion:message_post", args=[room.slug]), {"body": "x", "parent": 10**9}, follow=True
    )
    assert "Ce message n&#x27;existe pas." in response.content.decode()


def test_live_and_reloaded_timestamps_are_identical(client, room, member, settings):
    settings.TIME_ZONE = "Europe/Paris"
    message, _ = services.post_message(room, by=member, body="Matin")
    Message.objects.filter(pk=message.pk).update(
        created=datetime.datetime(2026, 12, 1, 6, 34, tzinfo=datetime.UTC)
    )
    message.refresh_from_db()
    frame = message_payload(message)
    assert (frame["time"], frame["time_title"]) == ("1 déc., 07:34", "mardi 1 décembre 2026, 07:34")
    client.force_login(member)
    html = client.get(_url(room)).content.decode()
    assert f'title="{frame["time_title"]}">{frame["time"]}</time>' in html
    assert timezone.is_aware(message.created)


def test_the_box_says_enter_sends(client, room, member):
    client.force_login(member)
    assert "Entrée envoie, Maj+Entrée va à la ligne." in client.get(_url(room)).content.decode()
