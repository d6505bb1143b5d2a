import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members.models import Commune

pytestmark = pytest.mark.django_db


def _png(size=(20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return SimpleUploadedFile("avatar.png", buffer.getvalue(), content_type="image/png")


def test_profile_needs_login(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_member_edits_their_profile(member_client, member):
    roubaix = Commune.objects.get(insee_code="59512")
    response = member_client.post(
        "/accounts/profile/",
        {
            "display_name": "Alex Fabmanager",
            "bio": "J'anime un fab lab.",
            "commune": roubaix.pk,
            "language": "en",
            "avatar": _png(),
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Alex Fabmanager"
    assert member.commune == roubaix
    assert member.language == "en"
    assert member.avatar.name.endswith(".png")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"display_name": "", "language": "fr"}, "Champ requis."),
        ({"display_name": "A", "language": "fr"}, "au moins 2 caractères"),
        ({"display_name": "Alex", "language": "fr", "commune": "999999"}, "Sélectionnez un choix valide"),
        ({"display_name": "Alex", "language": "klingon"}, "Sélectionnez un choix valide"),
        ({"display_name": "Alex", "language": "fr", "bio": "x" * 601}, "au plus 600 caractères"),
    ],
)
def test_profile_rejects_bad_input_with_field_errors(member_client, member, data, error):
    response = member_client.post("/accounts/profile/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert "corrigez les erreurs" in html
    member.refresh_from_db()
    assert member.display_name != data["display_name"]


def test_profile_rejects_a_file_that_is_not_an_image(member_client):
    fake = SimpleUploadedFile("avatar.png", b"not an image at all", content_type="image/png")
    response = member_client.post(
        "/accounts/profile/", {"display_name": "Alex", "language": "fr", "avatar": fake}
    )
    assert response.status_code == 200
    assert "Téléversez une image valide" in response.content.decode()


def test_profile_errors_in_english(member_client):
    response = member_client.post(
        "/accounts/profile/", {"display_name": "", "language": "fr"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "This field is required." in response.content.decode()
    assert "please correct the errors" in response.content.decode()


def test_profile_keeps_what_was_typed_after_an_error(member_client):
    response = member_client.post(
        "/accounts/profile/", {"display_name": "Alex", "language": "xx", "bio": "Ma bio"}
    )
    assert "Ma bio" in response.content.decode()
