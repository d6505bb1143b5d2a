""" "Écrire au lieu": a direct conversation with all of a venue's managers."""

import pytest
from django.urls import reverse

from members.services import attach_manager
from network.discussion import services
from network.discussion.models import Message, Room
from tests.factories import UserFactory, VerifiedUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_manager(venue, staff_user):
    user = VerifiedUserFactory(display_name="Bea Gérante")
    attach_manager(venue, user, by=staff_user)
    return user


def _url(venue):
    return reverse("venue_write", args=[venue.slug])


def test_the_venue_page_offers_to_write_to_its_team(client, venue, manager):
    page = client.get(venue.url).content.decode()
    assert _url(venue) in page and "Écrire au lieu" in page


def test_writing_to_a_venue_reaches_all_its_managers_once(client, member, venue, manager, second_manager):
    client.force_login(member)
    form = client.get(_url(venue))
    assert form.status_code == 200
    assert (
        manager.display_name in form.content.decode() and second_manager.display_name in form.content.decode()
    )
    response = client.post(_url(venue), {"body": "Peut-on visiter jeudi ?"})
    room = Room.objects.get(kind=Room.Kind.DIRECT)
    assert set(room.memberships.values_list("user_id", flat=True)) == {
        member.pk,
        manager.pk,
        second_manager.pk,
    }
    assert room.description == "Avec l'équipe de La Coroutine"
    assert response["Location"].startswith(room.get_absolute_url())
    # Again: the same conversation opens.
    assert client.get(_url(venue))["Location"] == room.get_absolute_url()
    client.post(_url(venue), {"body": "Et vendredi ?"})
    assert Room.objects.filter(kind=Room.Kind.DIRECT).count() == 1
    assert Message.objects.filter(room=room).count() == 2
    # Both managers read it; it waits in their inbox.
    for reader in (manager, second_manager):
        client.force_login(reader)
        assert client.get(reverse("discussion:unread_count")).json()["unread"] == 2
        assert "Peut-on visiter jeudi ?" in client.get(room.get_absolute_url()).content.decode()


def test_the_venue_conversation_is_apart_from_a_one_to_one(member, venue, manager, client):
    one_to_one, _created = services.start_direct_conversation([manager], by=member)
    client.force_login(member)
    client.post(_url(venue), {"body": "Au lieu"})
    assert Room.objects.filter(kind=Room.Kind.DIRECT).exclude(pk=one_to_one.pk).count() == 1


def test_a_manager_who_blocked_me_is_left_out_the_others_stay_reachable(
    client, member, venue, manager, second_manager
):
    services.block_member(member, by=manager)
    client.force_login(member)
    client.post(_url(venue), {"body": "Bonjour"})
    room = Room.objects.get(kind=Room.Kind.DIRECT)
    assert set(room.memberships.values_list("user_id", flat=True)) == {member.pk, second_manager.pk}


def test_a_venue_without_a_reachable_manager_says_so(client, member, venue, staff_user):
    attach_manager(venue, UserFactory(), by=staff_user)  # not verified
    client.force_login(member)
    response = client.get(_url(venue), follow=True)
    assert "Personne ne répond encore pour ce lieu" in response.content.decode()
    assert not Room.objects.filter(kind=Room.Kind.DIRECT).exists()


def test_writing_to_a_venue_needs_a_verified_login(client, venue, manager, unverified_user):
    assert client.get(_url(venue)).status_code == 302
    client.force_login(unverified_user)
    assert client.get(_url(venue)).status_code == 404
    assert client.post(_url(venue), {"body": "x"}).status_code == 404
    assert (
        reverse("venue_write", args=["nulle-part"])
        and client.get("/lieux/nulle-part/ecrire/").status_code == 404
    )


def test_an_empty_message_to_a_venue_is_refused(client, member, venue, manager):
    client.force_login(member)
    response = client.post(_url(venue), {"body": "   "})
    assert response.status_code == 200 and "Champ requis." in response.content.decode()
    assert not Room.objects.filter(kind=Room.Kind.DIRECT).exists()
