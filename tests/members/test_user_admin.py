"""Wagtail's user admin works with the email-login user model."""

import pytest

from members.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    return client


def test_admin_creates_a_user_with_email_and_display_name(admin_client):
    response = admin_client.get("/admin/users/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="display_name"' in html
    assert 'name="first_name"' not in html
    response = admin_client.post(
        "/admin/users/new/",
        {
            "email": "nouveau@example.org",
            "display_name": "Nouveau Membre",
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="nouveau@example.org")
    assert user.display_name == "Nouveau Membre"
    assert user.check_password("un-mot-de-passe-solide")


def test_admin_edits_a_user(admin_client, member):
    response = admin_client.post(
        f"/admin/users/edit/{member.pk}/",
        {"email": member.email, "display_name": "Nom corrigé", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.display_name == "Nom corrigé"


def test_members_cannot_reach_the_user_admin(client, member):
    client.force_login(member)
    response = client.get("/admin/users/new/")
    assert response.status_code in (302, 403)
    assert not User.objects.filter(email="nouveau@example.org").exists()
