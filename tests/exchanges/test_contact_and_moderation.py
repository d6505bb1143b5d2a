"""Contacting an author: a direct conversation, the e-mail relay as the fallback;
reports and staff moderation."""

from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from exchanges.models import PostState, Report
from network.discussion import services as discussion
from network.discussion.models import Message, Room
from network.public_forms import HONEYPOT_FIELD
from network.site_url import absolute_url
from tests.factories import UserFactory, VerifiedUserFactory


def contact_url(post):
    return f"/besoins-et-ressources/{post.pk}/contacter/"


@pytest.fixture
def unreachable(author):
    """The author cannot receive direct messages (their address is not verified any more)."""
    EmailAddress.objects.filter(user=author).update(verified=False)
    return author


# -- "Contacter": a direct conversation with the author -----------------------------


def test_contacter_opens_a_direct_conversation_about_the_post(client, post, author, other_member):
    client.force_login(other_member)
    page = client.get(post.get_absolute_url()).content.decode()
    assert contact_url(post) in page

    form = client.get(contact_url(post))
    text = unescape(form.content.decode())
    assert form.status_code == 200 and "Écrire à Camille Atelier" in text
    # The first message starts with the post's title and link.
    assert f"« {post.title} » : {absolute_url(post.get_absolute_url())}" in text
    assert "transmis par e-mail" not in text

    response = client.post(contact_url(post), {"body": "Nous avons une salle libre le jeudi."})
    room = Room.objects.get(kind=Room.Kind.DIRECT)
    message = Message.objects.get(room=room)
    assert response.status_code == 302 and response["Location"] == f"{room.get_absolute_url()}#m{message.pk}"
    assert set(room.memberships.values_list("user_id", flat=True)) == {author.pk, other_member.pk}
    assert message.author == other_member and message.body == "Nous avons une salle libre le jeudi."
    assert post.title in room.description
    assert mail.outbox == []  # no relay e-mail: the author reads it on the site

    # "Contacter" again opens the same conversation; the author reads it.
    assert client.get(contact_url(post))["Location"] == room.get_absolute_url()
    client.force_login(author)
    assert "Nous avons une salle libre le jeudi." in client.get(room.get_absolute_url()).content.decode()


def test_each_post_has_its_own_conversation(client, post, author, other_member):
    from tests.factories.exchanges import PostFactory

    other_post = PostFactory(author=author, title="Une découpeuse laser")
    client.force_login(other_member)
    client.post(contact_url(post), {"body": "Pour le local"})
    client.post(contact_url(other_post), {"body": "Pour la découpeuse"})
    assert Room.objects.filter(kind=Room.Kind.DIRECT).count() == 2


def test_a_member_who_blocked_the_author_is_asked_to_unblock(client, post, author, other_member):
    discussion.block_member(author, by=other_member)
    client.force_login(other_member)
    response = client.get(contact_url(post))
    text = unescape(response.content.decode())
    assert "Vous avez bloqué Camille Atelier : débloquez ce membre pour lui écrire." in text
    assert f"/discussions/membres/{author.pk}/" in text
    client.post(contact_url(post), {"body": "Bonjour", "message": "Bonjour", HONEYPOT_FIELD: ""})
    assert not Room.objects.exists() and mail.outbox == []


# -- the e-mail relay, when no direct conversation is possible ------------------------


def test_an_unreachable_author_gets_the_message_by_email(client, post, unreachable, other_member):
    client.force_login(other_member)
    form = client.get(contact_url(post))
    text = unescape(form.content.decode())
    assert "Vous ne pouvez pas écrire directement à l'auteur·rice de cette annonce" in text
    response = client.post(
        contact_url(post), {"message": "Nous avons une salle libre le jeudi.", HONEYPOT_FIELD: ""}
    )
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert not Room.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    assert message.reply_to == []
    assert "Dominique Fablab" in message.subject and post.title in message.subject
    assert "Nous avons une salle libre le jeudi." in message.body and "Dominique Fablab" in message.body
    assert "dominique@example.org" not in message.body + message.subject + message.from_email
    assert "a choisi de ne pas partager son adresse" in message.body
    assert f"/besoins-et-ressources/{post.pk}/" in message.body
    # The sender never sees the author's address either.
    page = client.get(response["Location"]).content.decode()
    assert "camille@example.org" not in page and "Votre message est envoyé" in unescape(page)


def test_an_author_who_blocked_the_member_looks_unreachable_and_gets_nothing(
    client, post, author, other_member
):
    """The block is kept (no conversation, no e-mail) and never revealed: the
    member sees what they would see for any author they cannot write to."""
    discussion.block_member(other_member, by=author)
    client.force_login(other_member)
    text = unescape(client.get(contact_url(post)).content.decode())
    assert "Vous ne pouvez pas écrire directement à l'auteur·rice de cette annonce" in text
    assert "bloqu" not in text.lower()
    response = client.post(contact_url(post), {"message": "Bonjour ?", HONEYPOT_FIELD: ""})
    assert response.status_code == 302
    assert "Votre message est envoyé" in unescape(client.get(response["Location"]).content.decode())
    assert mail.outbox == [] and not Room.objects.exists()


def test_the_senders_address_is_shared_only_when_they_agree(client, post, unreachable, other_member):
    client.force_login(other_member)
    client.post(contact_url(post), {"message": "Écrivez-moi.", "share_email": "on", HONEYPOT_FIELD: ""})
    (message,) = mail.outbox
    assert message.reply_to == ["dominique@example.org"]
    assert "dominique@example.org" in message.body
    assert message.to == ["camille@example.org"]


def test_the_email_is_in_the_authors_language(client, post, unreachable, other_member):
    unreachable.language = "en"
    unreachable.save()
    client.force_login(other_member)
    client.post(contact_url(post), {"message": "Hello", HONEYPOT_FIELD: ""})
    (message,) = mail.outbox
    assert "is writing to you about" in message.subject


def test_the_contact_form_refuses_bad_input(client, post, unreachable, other_member):
    client.force_login(other_member)
    empty = client.post(contact_url(post), {"message": "   ", HONEYPOT_FIELD: ""})
    assert "Champ requis." in empty.content.decode()
    long = client.post(contact_url(post), {"message": "x" * 3001, HONEYPOT_FIELD: ""})
    assert "au plus 3000 caractères" in long.content.decode()
    robot = client.post(contact_url(post), {"message": "Achetez", HONEYPOT_FIELD: "http://spam"})
    assert robot.status_code == 200
    assert mail.outbox == []


def test_the_contact_form_is_rate_limited(client, post, unreachable, other_member, settings):
    settings.EXCHANGE_CONTACT_RATE_LIMIT = (2, 3600)
    client.force_login(other_member)
    for _ in range(2):
        assert client.post(contact_url(post), {"message": "Bonjour", HONEYPOT_FIELD: ""}).status_code == 302
    response = client.post(contact_url(post), {"message": "Encore", HONEYPOT_FIELD: ""})
    assert response.status_code == 429
    assert "Trop d'envois" in unescape(response.content.decode())
    assert len(mail.outbox) == 2


def test_a_message_is_plain_text_whatever_it_holds(client, post, unreachable, other_member):
    client.force_login(other_member)
    client.post(
        contact_url(post), {"message": "<b>R&D</b> l'atelier\r\nBcc: x@example.org", HONEYPOT_FIELD: ""}
    )
    (message,) = mail.outbox
    assert "<b>R&D</b> l'atelier" in message.body
    assert message.bcc == [] and message.to == ["camille@example.org"]


# -- who may contact ------------------------------------------------------------------


def test_anonymous_visitors_cannot_contact(client, post):
    response = client.post(contact_url(post), {"body": "Spam", "message": "Spam", HONEYPOT_FIELD: ""})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert mail.outbox == [] and not Room.objects.exists()


def test_an_unverified_member_cannot_contact(client, post):
    client.force_login(UserFactory())
    response = client.post(contact_url(post), {"body": "Bonjour", "message": "Bonjour", HONEYPOT_FIELD: ""})
    assert response.status_code == 200 and mail.outbox == [] and not Room.objects.exists()
    assert "Confirmez l'adresse e-mail" in unescape(response.content.decode())


def test_the_author_cannot_write_to_themselves(client, post, author):
    client.force_login(author)
    response = client.post(contact_url(post), {"body": "Moi", "message": "Moi", HONEYPOT_FIELD: ""})
    assert "C'est votre propre annonce." in unescape(response.content.decode())
    assert mail.outbox == [] and not Room.objects.exists()


def test_a_post_that_left_the_list_cannot_be_contacted(client, post, author, other_member):
    from exchanges.services import close_post

    close_post(post, by=author)
    client.force_login(other_member)
    assert client.get(contact_url(post)).status_code == 404
    assert client.post(contact_url(post), {"body": "Trop tard ?"}).status_code == 404
    assert mail.outbox == [] and not Room.objects.exists()


# -- reports and moderation -----------------------------------------------------------


def test_a_member_reports_a_post_once(client, post, other_member):
    client.force_login(other_member)
    url = f"/besoins-et-ressources/{post.pk}/signaler/"
    response = client.post(url, {"reason": "Annonce commerciale déguisée", HONEYPOT_FIELD: ""})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.post, report.reporter, report.reason) == (
        post,
        other_member,
        "Annonce commerciale déguisée",
    )
    again = client.post(url, {"reason": "Encore", HONEYPOT_FIELD: ""})
    assert "Vous avez déjà signalé cette annonce." in again.content.decode()
    assert Report.objects.count() == 1


def test_anonymous_and_unverified_cannot_report(client, post):
    url = f"/besoins-et-ressources/{post.pk}/signaler/"
    assert client.post(url, {"reason": "x", HONEYPOT_FIELD: ""}).status_code == 302
    client.force_login(UserFactory())
    client.post(url, {"reason": "x", HONEYPOT_FIELD: ""})
    assert not Report.objects.exists()


def test_staff_list_reported_posts_and_hide_one(client, post, other_member, staff_user):
    from exchanges.services import report_post

    report_post(post, by=other_member, reason="Arnaque")
    client.force_login(staff_user)
    index = client.get("/admin/besoins-et-ressources/")
    assert index.status_code == 200
    page = index.content.decode()
    assert post.title in page and "Signalées" in page

    detail = client.get(f"/admin/besoins-et-ressources/{post.pk}/")
    assert "Arnaque" in detail.content.decode()
    response = client.post(
        f"/admin/besoins-et-ressources/{post.pk}/", {"action": "hide", "reason": "Annonce frauduleuse"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == PostState.HIDDEN and post.hidden_by == staff_user
    assert post.hidden_reason == "Annonce frauduleuse"
    assert not Report.objects.filter(resolved=False).exists()
    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 410
    assert post.title not in client.get("/besoins-et-ressources/").content.decode()

    # The author reads why.
    client.force_login(post.author)
    assert "Annonce frauduleuse" in client.get(post.get_absolute_url()).content.decode()

    client.force_login(staff_user)
    client.post(f"/admin/besoins-et-ressources/{post.pk}/", {"action": "unhide", "reason": ""})
    post.refresh_from_db()
    assert post.state == PostState.OPEN
    client.logout()
    assert post.title in client.get("/besoins-et-ressources/").content.decode()


def test_staff_dismiss_reports(client, post, other_member, staff_user):
    from exchanges.services import report_post

    report_post(post, by=other_member, reason="Pas d'accord")
    client.force_login(staff_user)
    client.post(f"/admin/besoins-et-ressources/{post.pk}/", {"action": "dismiss", "reason": ""})
    assert not Report.objects.filter(resolved=False).exists()
    post.refresh_from_db()
    assert post.state == PostState.OPEN


@pytest.mark.parametrize("role", ["member", "manager"])
def test_only_staff_moderate(client, post, role, manager):
    client.force_login(manager if role == "manager" else VerifiedUserFactory())
    assert client.get("/admin/besoins-et-ressources/").status_code in (302, 403)
    client.post(f"/admin/besoins-et-ressources/{post.pk}/", {"action": "hide", "reason": "x"})
    post.refresh_from_db()
    assert not post.hidden


def test_the_hide_service_refuses_non_staff(post, other_member):
    from exchanges.errors import NotAllowed
    from exchanges.services import hide_post

    with pytest.raises(NotAllowed):
        hide_post(post, by=other_member)


def test_staff_menu_shows_the_moderation_entry(client, staff_user):
    client.force_login(staff_user)
    assert "/admin/besoins-et-ressources/" in client.get("/admin/").content.decode()
