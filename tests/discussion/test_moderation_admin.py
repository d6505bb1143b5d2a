"""The moderation screen in the Wagtail admin, per role, and mutes."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from network.discussion import services
from network.discussion.errors import Muted, NotAllowed
from network.discussion.models import ModerationAction, Room, RoomMembership
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("discussion_moderation:index")
AUDIT = reverse("discussion_moderation:audit")


def _admin_user(**kwargs):
    """A member with access to the Wagtail admin (as a venue manager has)."""
    group, _created = Group.objects.get_or_create(name="Accès admin (test)")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = VerifiedUserFactory(**kwargs)
    user.groups.add(group)
    return user


@pytest.fixture
def venue_room(db):
    return services.create_room(
        kind=Room.Kind.VENUE, visibility=Room.Visibility.OPEN, title="La Coroutine", by=None
    )


@pytest.fixture
def other_venue_room(db):
    return services.create_room(
        kind=Room.Kind.VENUE, visibility=Room.Visibility.OPEN, title="Le Hangar", by=None
    )


@pytest.fixture
def moderator(venue_room):
    user = _admin_user(display_name="Modé Coroutine")
    services.add_room_member(venue_room, user, role=RoomMembership.Role.MODERATOR)
    return user


@pytest.fixture
def other_moderator(other_venue_room):
    user = _admin_user(display_name="Modé Hangar")
    services.add_room_member(other_venue_room, user, role=RoomMembership.Role.MODERATOR)
    return user


@pytest.fixture
def report(venue_room, member, other_member, no_rate_limit):
    services.post_message(venue_room, by=member, body="Avant")
    message, _created = services.post_message(venue_room, by=other_member, body="Propos déplacé")
    services.post_message(venue_room, by=member, body="Après")
    return services.report_message(message, by=member, reason="Insultant")


def _report_url(report):
    return reverse("discussion_moderation:report", args=[report.pk])


def test_anonymous_is_sent_to_the_admin_login(client, report):
    for url in (INDEX, AUDIT, _report_url(report)):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_member_without_admin_access_cannot_enter(client, member, report):
    client.force_login(member)
    for url in (INDEX, AUDIT, _report_url(report)):
        assert client.get(url).status_code in (302, 403)
    assert client.post(_report_url(report), {"action": "hide"}).status_code in (302, 403)
    report.message.refresh_from_db()
    assert not report.message.hidden


def test_an_admin_user_who_moderates_no_room_is_refused(client, report):
    client.force_login(_admin_user())
    for url in (INDEX, AUDIT, _report_url(report)):
        response = client.get(url)  # Wagtail answers a PermissionDenied with a redirect to its home
        assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_moderator_of_another_room_sees_nothing_of_this_one(client, other_moderator, report):
    client.force_login(other_moderator)
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "Propos déplacé" not in response.content.decode()
    assert client.get(_report_url(report)).status_code == 404
    assert client.post(_report_url(report), {"action": "hide"}).status_code == 404
    report.message.refresh_from_db()
    assert not report.message.hidden


@pytest.mark.parametrize("extra", [0, 25])
def test_report_listing_runs_bounded_queries(
    client, moderator, report, venue_room, no_rate_limit, django_assert_max_num_queries, extra
):
    for n in range(extra):
        reporter = VerifiedUserFactory()
        message = services.post_message(venue_room, by=reporter, body=f"Message {n}")[0]
        services.report_message(message, by=report.reporter)
    client.force_login(moderator)
    with django_assert_max_num_queries(
        56
    ):  # two pages, the same for 1 and 26 reports (Wagtail's menu included)
        client.get(INDEX)
        response = client.get(AUDIT)
    assert response.status_code == 200


def test_venue_moderator_sees_the_report_in_context_and_hides_then_restores(client, moderator, report):
    client.force_login(moderator)
    assert "Propos déplacé" in client.get(INDEX).content.decode()
    html = client.get(_report_url(report)).content.decode()
    assert html.index("Avant") < html.index("Propos déplacé") < html.index("Après")
    assert "Insultant" in html
    client.post(_report_url(report), {"action": "hide", "reason": "Hors charte"})
    report.refresh_from_db()
    report.message.refresh_from_db()
    assert report.message.hidden and report.resolved
    assert "Propos déplacé" not in client.get(INDEX).content.decode()  # no longer open
    client.post(_report_url(report), {"action": "unhide", "reason": ""})
    report.message.refresh_from_db()
    assert not report.message.hidden
    audit = client.get(AUDIT).content.decode()
    assert "message masqué" in audit and "message rétabli" in audit and "Hors charte" in audit


def test_dismiss_closes_the_report_without_hiding(client, moderator, report):
    client.force_login(moderator)
    client.post(_report_url(report), {"action": "dismiss", "reason": "Rien de grave"})
    report.refresh_from_db()
    report.message.refresh_from_db()
    assert report.resolved and not report.message.hidden
    assert ModerationAction.objects.filter(action=ModerationAction.Action.DISMISS, actor=moderator).exists()


def test_mute_stops_posting_in_that_room_only_then_unmute(client, moderator, report, other_venue_room):
    author = report.message.author
    client.force_login(moderator)
    response = client.post(
        _report_url(report), {"action": "mute", "duration": "24h", "reason": "Calmez-vous"}
    )
    assert response.status_code == 302
    membership = RoomMembership.objects.get(room=report.message.room, user=author)
    assert membership.muted_until > timezone.now()
    with pytest.raises(Muted):
        services.post_message(report.message.room, by=author, body="Encore")
    services.post_message(other_venue_room, by=author, body="Ailleurs, je peux")
    assert "jusqu" in client.get(_report_url(report)).content.decode()
    client.post(_report_url(report), {"action": "unmute"})
    services.post_message(report.message.room, by=author, body="De retour")
    audit = client.get(AUDIT).content.decode()
    assert "membre réduit au silence" in audit and "parole rendue" in audit and author.display_name in audit


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"action": "mute", "duration": "1000 ans"}, "Sélectionnez un choix valide"),
        ({"action": "explode"}, "Action inconnue."),
        ({"action": "hide", "reason": "x" * 2000}, "1000"),
    ],
)
def test_bad_moderation_input_says_why(client, moderator, report, data, expected):
    client.force_login(moderator)
    response = client.post(_report_url(report), data, follow=True)
    assert response.status_code == 200
    assert expected in response.content.decode()
    report.message.refresh_from_db()
    assert not report.message.hidden


def test_staff_see_every_public_room_but_not_private_ones(client, staff_user, report, member, other_member):
    private = services.create_room(
        kind=Room.Kind.PRIVATE, visibility=Room.Visibility.MEMBERS, title="Binôme", by=None
    )
    for user in (member, other_member):
        services.add_room_member(private, user)
    secret = services.post_message(private, by=other_member, body="Confidentiel")[0]
    private_report = services.report_message(secret, by=member)
    client.force_login(staff_user)
    html = client.get(INDEX).content.decode()
    assert "Propos déplacé" in html and "Confidentiel" not in html
    assert client.get(_report_url(report)).status_code == 200
    assert client.get(_report_url(private_report)).status_code == 404


def test_mute_service_refuses_non_moderators_and_past_dates(member, other_member, venue_room, moderator):
    with pytest.raises(NotAllowed):
        services.mute_member(
            venue_room, other_member, by=member, until=timezone.now() + timezone.timedelta(hours=1)
        )
    with pytest.raises(NotAllowed):
        services.mute_member(venue_room, other_member, by=moderator, until=timezone.now())
    with pytest.raises(NotAllowed):
        services.mute_member(
            venue_room, moderator, by=moderator, until=timezone.now() + timezone.timedelta(hours=1)
        )


def test_the_menu_item_shows_to_moderators_only(client, moderator):
    client.force_login(moderator)
    assert INDEX in client.get("/admin/").content.decode()
    client.force_login(_admin_user())
    assert INDEX not in client.get("/admin/").content.decode()


@pytest.mark.django_db(transaction=True)
async def test_a_muted_member_gets_an_error_frame_and_the_socket_stays_usable(room, member, staff_user):
    from datetime import timedelta

    from channels.db import database_sync_to_async

    from network.discussion.models import Message
    from tests.discussion.ws import next_of, open_socket

    communicator, connected, _code = await open_socket(member, room)
    assert connected
    until = timezone.now() + timedelta(hours=1)
    await database_sync_to_async(services.mute_member)(room, member, by=staff_user, until=until)
    await communicator.send_json_to({"type": "message", "body": "Je parle quand même"})
    error = await next_of(communicator, "error")
    assert error["code"] == "muted" and "silence" in error["detail"]
    await database_sync_to_async(services.mute_member)(room, member, by=staff_user, until=None)
    await communicator.send_json_to({"type": "message", "body": "Merci"})
    assert (await next_of(communicator, "message"))["body"] == "Merci"
    assert await database_sync_to_async(Message.objects.count)() == 1
    await communicator.disconnect()
