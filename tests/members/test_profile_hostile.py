"""Any value in any field of the profile form, any bytes as the avatar: a
saved profile or a form error, never a 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

pytestmark = pytest.mark.django_db

form_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _image_bytes(fmt, size, mode):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, fmt)
    return buffer.getvalue()


images = st.builds(
    _image_bytes,
    st.sampled_from(["PNG", "JPEG", "WEBP", "GIF", "BMP"]),
    st.tuples(st.integers(1, 64), st.integers(1, 64)),
    st.sampled_from(["RGB", "L"]),
)
# Real images, cut or with bytes flipped, and plain noise.
avatars = st.one_of(
    images,
    st.builds(lambda data, cut: data[:cut], images, st.integers(0, 200)),
    st.builds(lambda data, at: data[:at] + b"\xff" + data[at + 1 :], images, st.integers(0, 100)),
    st.binary(max_size=2000),
)


@PROPERTY
@given(
    display_name=form_text,
    bio=form_text,
    commune=form_text | st.integers().map(str),
    language=st.sampled_from(["fr", "en"]) | form_text,
    avatar=st.none() | avatars,
    name=st.sampled_from(["a.png", "a.jpg", "a.webp", "a.gif", "a", "../../etc/passwd", "é.PNG"]),
)
def test_the_profile_form_never_fails(member_client, display_name, bio, commune, language, avatar, name):
    data = {"display_name": display_name, "bio": bio, "commune": commune, "language": language}
    if avatar is not None:
        data["avatar"] = SimpleUploadedFile(name, avatar)
    response = member_client.post("/accounts/profile/", data)
    assert response.status_code in (200, 302)
