"""Uploads: sizes checked while streaming, pixels capped from the header, type
told from the content, images re-encoded without their metadata."""

import io
import struct
import zlib
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image, PngImagePlugin
from wagtail.images.fields import WagtailImageField

from network.uploads import LimitedUploadHandler

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _image(fmt="PNG", size=(40, 30), name=None, **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, fmt, **save)
    extension = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return SimpleUploadedFile(name or f"avatar.{extension}", buffer.getvalue())


def _png_claiming(width, height):
    """A small PNG whose header says ``width`` × ``height``: nothing decodes it
    unless the header is trusted."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return SimpleUploadedFile(
        "huge.png",
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b""),
    )


def _post(client, avatar):
    return client.post("/accounts/profile/", {"display_name": "Alex", "language": "fr", "avatar": avatar})


def _stored(member):
    member.refresh_from_db()
    member.avatar.open("rb")
    try:
        return Image.open(io.BytesIO(member.avatar.read()))
    finally:
        member.avatar.close()


def test_a_jpeg_is_re_encoded_without_its_metadata(member_client, member):
    exif = Image.Exif()
    exif[0x010E] = "Chez moi, 12 rue des Secrets"  # ImageDescription
    exif[0x8825] = {2: (50.0, 37.0, 0.0)}  # GPSInfo: latitude
    response = _post(member_client, _image("JPEG", exif=exif.tobytes(), comment=b"hidden"))
    assert response.status_code == 302
    stored = _stored(member)
    assert stored.format == "JPEG"
    assert stored.size == (40, 30)
    assert not stored.getexif()
    assert "comment" not in stored.info


def test_a_png_loses_its_text_chunks_and_a_large_one_is_shrunk(member_client, member):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "quelqu'un")
    assert _post(member_client, _image("PNG", size=(3000, 1500), pnginfo=info)).status_code == 302
    stored = _stored(member)
    assert (stored.format, stored.size) == ("PNG", (1024, 512))
    assert "Author" not in stored.info


def test_the_type_comes_from_the_content_not_the_name(member_client, member):
    assert _post(member_client, _image("WEBP", name="photo.jpg")).status_code == 302
    member.refresh_from_db()
    assert member.avatar.name.endswith(".webp")
    assert _stored(member).format == "WEBP"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused_even_named_png(member_client, member, fmt):
    response = _post(member_client, _image(fmt, name="avatar.png"))
    assert response.status_code == 200
    assert "Choisissez une image JPEG, PNG ou WebP." in unescape(response.content.decode())
    member.refresh_from_db()
    assert not member.avatar


@pytest.mark.parametrize(
    ("width", "height", "error"),
    [
        (12_000, 12_000, "L'image a trop de pixels ; au plus 20 millions de pixels."),
        (5000, 5000, "L'image fait 5000 × 5000 pixels ; au plus 20 millions de pixels."),
    ],
)
def test_an_image_of_too_many_pixels_is_refused_from_its_header(member_client, member, width, height, error):
    response = _post(member_client, _png_claiming(width, height))
    assert response.status_code == 200
    assert error in unescape(response.content.decode())
    member.refresh_from_db()
    assert not member.avatar


def test_a_file_past_2_mb_gets_a_clear_error(member_client, member):
    big = SimpleUploadedFile("avatar.png", b"\x89PNG" + b"\0" * (3 * MB))
    response = _post(member_client, big)
    assert response.status_code == 200
    assert "L'image ne doit pas dépasser 2,0" in unescape(response.content.decode())
    member.refresh_from_db()
    assert not member.avatar


def test_a_request_past_the_upload_ceiling_is_refused(member_client, member, settings):
    settings.UPLOAD_MAX_BYTES = 1 * MB
    response = _post(member_client, SimpleUploadedFile("avatar.png", b"\0" * (5 * MB)))
    assert response.status_code == 400


class _Recorder(FileUploadHandler):
    """Stands for the handlers that store a file: counts what reaches them."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.stored = 0

    def receive_data_chunk(self, raw_data, start):
        self.stored += len(raw_data)

    def file_complete(self, file_size):
        return SimpleUploadedFile(self.file_name, b"")


def test_the_limited_handler_drops_the_rest_of_a_file_as_it_streams(rf):
    body = encode_multipart(BOUNDARY, {"name": "x", "avatar": SimpleUploadedFile("a.png", b"\0" * (20 * MB))})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    recorder = _Recorder()
    handlers = [LimitedUploadHandler(max_bytes=2 * MB), recorder]
    post, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    assert post["name"] == "x"
    assert recorder.stored <= 2 * MB  # never more than the limit reached storage
    assert files["avatar"].oversized
    assert files["avatar"].size > 2 * MB


def test_a_small_file_passes_the_limited_handler_untouched(rf):
    content = b"\1" * 1000
    body = encode_multipart(BOUNDARY, {"avatar": SimpleUploadedFile("a.png", content)})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handlers = [LimitedUploadHandler(max_bytes=2 * MB), MemoryFileUploadHandler()]
    _post_data, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    assert files["avatar"].read() == content


def test_wagtail_images_are_capped_in_pixels_and_formats():
    field = WagtailImageField()
    with pytest.raises(ValidationError) as error:
        field.clean(_png_claiming(12_000, 12_000))
    assert error.value.code == "file_too_many_pixels"
    with pytest.raises(ValidationError) as error:
        field.clean(_png_claiming(7000, 7000))  # 49 megapixels: over 40, under Pillow's own limit
    assert error.value.code == "file_too_many_pixels"
    with pytest.raises(ValidationError) as error:
        field.clean(_image("GIF", name="image.gif"))
    assert error.value.code == "invalid_image_extension"
    assert field.clean(_image("PNG")).image.get_size() == (40, 30)


def _cut_png():
    return SimpleUploadedFile("cut.png", _image("PNG", size=(200, 200)).read()[:300])


@pytest.mark.parametrize("upload", [_cut_png, lambda: _png_claiming(100, 100)])
def test_a_corrupt_image_in_the_admin_is_a_form_error(client, upload):
    from wagtail.images import get_image_model

    from tests.factories import VerifiedUserFactory

    client.force_login(VerifiedUserFactory(is_superuser=True, is_staff=True))
    response = client.post("/admin/images/add/", {"title": "Cassée", "file": upload()})
    assert response.status_code == 200
    assert "Téléversez une image valide" in unescape(response.content.decode())
    assert not get_image_model().objects.exists()


def test_a_good_image_in_the_admin_is_stored(client):
    from wagtail.images import get_image_model

    from tests.factories import VerifiedUserFactory

    client.force_login(VerifiedUserFactory(is_superuser=True, is_staff=True))
    response = client.post("/admin/images/add/", {"title": "Verte", "file": _image("PNG")})
    assert response.status_code == 302
    assert get_image_model().objects.get().width == 40


def test_the_profile_form_still_checks_csrf(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post("/accounts/profile/", {"display_name": "Sans jeton", "language": "fr"})
    assert response.status_code == 403
    page = client.get("/accounts/profile/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/accounts/profile/", {"display_name": "Avec jeton", "language": "fr", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Avec jeton"


@pytest.mark.parametrize("url", ["/admin/images/add/", "/admin/images/multiple/add/"])
def test_an_image_uploaded_in_the_admin_is_stored_without_its_metadata(client, url):
    from wagtail.images import get_image_model

    from tests.factories import VerifiedUserFactory

    exif = Image.Exif()
    exif[0x010E] = "Chez moi, 12 rue des Secrets"  # ImageDescription
    exif[0x8825] = {2: (50.0, 37.0, 0.0)}  # GPSInfo: latitude
    upload = _image("JPEG", name="photo.jpg", exif=exif.tobytes(), comment=b"hidden")
    client.force_login(VerifiedUserFactory(is_superuser=True, is_staff=True))
    data = {"title": "Jardin", "file": upload} if url.endswith("images/add/") else {"files[]": upload}
    response = client.post(url, data, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code in (200, 302)
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (40, 30)
    with image.open_file() as stored_file:
        stored = Image.open(io.BytesIO(stored_file.read()))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert "comment" not in stored.info
