import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress

from tests.factories.members import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "nouvelle@example.org",
    "display_name": "Nouvelle Venue",
    "password1": "un-mot-de-passe-solide",
    "password2": "un-mot-de-passe-solide",
}


def _confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_sends_a_verification_email_and_does_not_log_in(client, mailoutbox, site_tree):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nouvelle@example.org"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    assert client.get("/accounts/profile/").status_code == 302  # not logged in yet
    address = EmailAddress.objects.get(email="nouvelle@example.org")
    assert not address.verified
    assert address.user.display_name == "Nouvelle Venue"


def test_unverified_account_cannot_log_in(client, unverified_user, mailoutbox):
    response = client.post("/accounts/login/", {"login": unverified_user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/accounts/profile/").status_code == 302
    assert len(mailoutbox) == 1  # a fresh verification link is sent


def test_confirming_the_email_logs_the_member_in(client, mailoutbox, site_tree):
    client.post("/accounts/signup/", SIGNUP)
    link = _confirmation_link(mailoutbox[0])
    assert client.get(link).status_code == 200  # confirmation asks for a POST
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nouvelle@example.org").verified
    assert client.get("/accounts/profile/").status_code == 200


def test_login_and_logout(client, member):
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 302


def test_login_with_a_wrong_password_explains_in_french(client, member):
    response = client.post("/accounts/login/", {"login": member.email, "password": "faux"})
    assert response.status_code == 200
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in unescape(response.content.decode())


def test_login_error_in_english(client, member):
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "email address and/or password you specified are not correct" in unescape(
        response.content.decode()
    )


def test_signup_rejects_bad_input_with_field_errors(client, site_tree):
    response = client.post(
        "/accounts/signup/",
        {"email": "pas-un-email", "display_name": "  ", "password1": "123", "password2": "456"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in unescape(html)
    assert "field--error" in html


def test_signup_with_a_taken_email_does_not_reveal_the_account(client, member, mailoutbox):
    response = client.post("/accounts/signup/", {**SIGNUP, "email": member.email})
    # Same answer as a fresh sign-up; the owner of the address is told by email.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]


def test_password_reset_does_not_reveal_whether_an_account_exists(client, member, mailoutbox):
    known = client.post("/accounts/password/reset/", {"email": member.email})
    unknown = client.post("/accounts/password/reset/", {"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mailoutbox] == [[member.email], ["personne@example.org"]]


def test_password_change(client, member):
    client.force_login(member)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "encore-plus-solide-42", "password2": "encore-plus-solide-42"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("encore-plus-solide-42")


def test_failed_logins_are_rate_limited(client, member):
    for attempt in range(6):
        response = client.post("/accounts/login/", {"login": member.email, "password": f"faux-{attempt}"})
    assert "Trop de tentatives de connexion" in unescape(response.content.decode())
    # Even the right password is refused until the limit expires.
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/confirm-email/"],
)
def test_allauth_pages_use_the_site_look(client, site_tree, path):
    html = client.get(path).content.decode()
    assert 'class="site-header"' in html
    assert 'class="site-footer"' in html
