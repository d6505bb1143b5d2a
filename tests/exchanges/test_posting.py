"""Posting, editing, renewing and closing a need or an offer: each flow, each role."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from exchanges.models import Post, PostState
from exchanges.services import default_expiry, latest_expiry
from network.public_forms import HONEYPOT_FIELD
from tests.factories import UserFactory, VerifiedUserFactory
from tests.factories.exchanges import PostFactory
from tests.factories.venues import commune

URL = "/besoins-et-ressources/publier/"


def form_data(**overrides):
    data = {
        "kind": "besoin",
        "category": "materiel",
        "title": "Une découpeuse laser pour un week-end",
        "description": '<p>Pour un atelier <strong>jeunesse</strong>.</p><script>alert("x")</script>'
        '<a href="javascript:alert(1)">lien</a>',
        "commune": str(commune("59512").pk),
        "expires_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
        HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def test_a_member_posts_a_need_and_it_is_listed(client, author):
    client.force_login(author)
    form = client.get(URL)
    assert form.status_code == 200
    assert form.context["form"]["expires_on"].value() == default_expiry()

    response = client.post(URL, form_data())
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/besoins-et-ressources/{post.pk}/"
    assert (post.author, post.kind, post.category, post.commune.name) == (
        author,
        "besoin",
        "materiel",
        "Roubaix",
    )
    assert "<strong>jeunesse</strong>" in post.description
    assert "script" not in post.description and "javascript" not in post.description

    page = client.get(response["Location"]).content.decode()
    assert "Une découpeuse laser pour un week-end" in page and "Votre annonce est en ligne." in page
    listing = client.get("/besoins-et-ressources/").content.decode()
    assert "Une découpeuse laser pour un week-end" in listing


def test_a_manager_posts_an_offer_in_the_name_of_their_venue(client, venue, manager, other_venue):
    client.force_login(manager)
    response = client.post(URL, form_data(kind="ressource", venue=str(venue.pk)))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.venue == venue and post.kind == "ressource"
    assert "La Coroutine" in client.get(post.get_absolute_url()).content.decode()

    # Not a venue they manage: the form refuses it.
    response = client.post(URL, form_data(venue=str(other_venue.pk)))
    assert response.status_code == 200 and Post.objects.count() == 1
    assert "venue" in response.context["form"].errors


def test_a_member_without_a_venue_is_not_offered_the_venue_field(client, author, venue):
    client.force_login(author)
    assert "venue" not in client.get(URL).context["form"].fields
    client.post(URL, form_data(venue=str(venue.pk)))
    assert Post.objects.get().venue is None  # the field does not exist for them: ignored


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302
    response = client.post(URL, form_data())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Post.objects.exists()


def test_an_unverified_member_cannot_post(client, db):
    client.force_login(UserFactory())
    page = client.get(URL)
    assert "Confirmez d'abord l'adresse e-mail" in unescape(page.content.decode())
    client.post(URL, form_data())
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "expires_on",
            (timezone.localdate() - timedelta(days=1)).isoformat(),
            "Choisissez une date d'expiration à venir.",
        ),
        ("expires_on", (timezone.localdate() + timedelta(days=200)).isoformat(), "6 mois au plus"),
        ("expires_on", "31/02/2026", "Saisissez une date valide."),
        ("category", "piscine", "Sélectionnez un choix valide"),
        ("kind", "cadeau", "Sélectionnez un choix valide"),
        ("commune", "999999", "Sélectionnez un choix valide"),
        ("title", "", "Champ requis."),
        ("title", "x" * 121, "au plus 120 caractères"),
        ("description", "x" * 5001, "au plus 5000 caractères"),
    ],
)
def test_bad_input_is_refused_with_french_errors(client, author, field, value, message):
    client.force_login(author)
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Post.objects.exists()


def test_the_latest_allowed_expiry_is_accepted(client, author):
    client.force_login(author)
    assert client.post(URL, form_data(expires_on=latest_expiry().isoformat())).status_code == 302


def test_a_description_that_sanitizes_to_nothing_is_refused(client, author):
    client.force_login(author)
    response = client.post(URL, form_data(description="<script>alert(1)</script>"))
    assert response.status_code == 200
    assert "Indiquez un titre et une description." in response.content.decode()
    assert not Post.objects.exists()


def test_the_honeypot_and_the_rate_limit(client, author, settings):
    client.force_login(author)
    response = client.post(URL, form_data(**{HONEYPOT_FIELD: "http://spam.example"}))
    assert response.status_code == 200 and not Post.objects.exists()
    assert "Votre envoi n'a pas pu être accepté" in unescape(response.content.decode())

    settings.EXCHANGE_POST_RATE_LIMIT = (2, 3600)
    assert client.post(URL, form_data()).status_code == 302  # the honeypot's post counted as the first
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert "Trop d'envois depuis votre connexion" in unescape(response.content.decode())
    assert Post.objects.count() == 1


# -- the author's actions ----------------------------------------------------------


def test_the_author_edits_their_post(client, post, author):
    client.force_login(author)
    edit = client.get(f"/besoins-et-ressources/{post.pk}/modifier/")
    assert edit.status_code == 200 and edit.context["form"]["title"].value() == post.title
    response = client.post(
        f"/besoins-et-ressources/{post.pk}/modifier/",
        form_data(title="Un local, même petit", kind="besoin", category="locaux"),
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Un local, même petit" and post.commune.name == "Roubaix"


def test_the_author_renews_an_expired_post_and_it_comes_back(client, author):
    post = PostFactory(author=author, expires_on=timezone.localdate() - timedelta(days=3))
    assert post.state == PostState.EXPIRED
    client.force_login(author)
    response = client.post(f"/besoins-et-ressources/{post.pk}/prolonger/")
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.expires_on == default_expiry() and post.state == PostState.OPEN
    assert post.title in client.get("/besoins-et-ressources/").content.decode()


def test_renewing_never_shortens(client, author):
    far = timezone.localdate() + timedelta(days=150)
    post = PostFactory(author=author, expires_on=far)
    client.force_login(author)
    client.post(f"/besoins-et-ressources/{post.pk}/prolonger/")
    post.refresh_from_db()
    assert post.expires_on == far


def test_the_author_closes_their_post(client, post, author):
    client.force_login(author)
    response = client.post(f"/besoins-et-ressources/{post.pk}/cloturer/")
    assert response.status_code == 302 and response["Location"] == "/besoins-et-ressources/mes-annonces/"
    post.refresh_from_db()
    assert post.state == PostState.CLOSED
    assert post.title not in client.get("/besoins-et-ressources/").content.decode()
    assert "Clôturée" in client.get("/besoins-et-ressources/mes-annonces/").content.decode()
    # A closed post can be neither renewed nor edited.
    client.post(f"/besoins-et-ressources/{post.pk}/prolonger/")
    post.refresh_from_db()
    assert post.state == PostState.CLOSED
    response = client.post(f"/besoins-et-ressources/{post.pk}/modifier/", form_data())
    assert "Cette annonce est clôturée." in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "other_member", "staff"])
def test_only_the_author_edits_renews_or_closes(client, post, role, staff_user):
    if role == "other_member":
        client.force_login(VerifiedUserFactory())
    elif role == "staff":
        client.force_login(staff_user)
    before = (post.title, post.expires_on, post.closed_at)
    for action in ("modifier", "prolonger", "cloturer"):
        response = client.post(f"/besoins-et-ressources/{post.pk}/{action}/", form_data(title="Piraté"))
        assert response.status_code == (302 if role == "anonymous" else 404), action
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]
    post.refresh_from_db()
    assert (post.title, post.expires_on, post.closed_at) == before


def test_renew_and_close_take_post_only(client, post, author):
    client.force_login(author)
    assert client.get(f"/besoins-et-ressources/{post.pk}/cloturer/").status_code == 405
    post.refresh_from_db()
    assert post.closed_at is None


def test_the_author_cannot_edit_a_post_hidden_by_staff(client, post, author, staff_user):
    from exchanges.services import hide_post

    hide_post(post, by=staff_user, reason="Annonce commerciale")
    client.force_login(author)
    response = client.post(f"/besoins-et-ressources/{post.pk}/modifier/", form_data(title="Revenu"))
    assert "a masqué cette annonce" in unescape(response.content.decode())
    client.post(f"/besoins-et-ressources/{post.pk}/prolonger/")
    post.refresh_from_db()
    assert post.title != "Revenu" and post.hidden


# -- the reminder before expiry -------------------------------------------------------


def test_authors_are_reminded_once_a_week_before_expiry_and_again_after_renewing(author, mailoutbox):
    from io import StringIO

    from django.core.management import call_command
    from django.test import TestCase

    from exchanges.services import close_post, renew_post

    def remind():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("remind_expiring_posts", stdout=StringIO())

    def in_days(days):
        return timezone.localdate() + timedelta(days=days)

    soon = PostFactory(author=author, title="Bientôt fini", expires_on=in_days(6))
    PostFactory(author=author, title="Loin", expires_on=in_days(30))
    PostFactory(author=author, title="Déjà fini", expires_on=in_days(-1))
    closed = PostFactory(author=author, title="Clôturé", expires_on=in_days(2))
    close_post(closed, by=author)

    remind()
    (message,) = mailoutbox
    assert message.to == [author.email] and "Bientôt fini" in message.subject
    assert f"/besoins-et-ressources/{soon.pk}/" in message.body and "Prolongez-la" in message.body

    remind()
    assert len(mailoutbox) == 1  # once per expiry date

    renew_post(soon, by=author)
    soon.refresh_from_db()
    soon.expires_on = in_days(5)  # three months later, the week before again
    soon.save()
    remind()
    assert len(mailoutbox) == 2
