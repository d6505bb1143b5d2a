"""Files attached to messages: what is accepted, who gets them, how they are served, when they go."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from network.discussion import services
from network.discussion.models import Attachment, Room
from tests.factories import VerifiedUserFactory

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def image_bytes(fmt="PNG", size=(64, 48), exif=True):
    image = Image.new("RGB", size, (200, 30, 30))
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Appareil"  # Make
        data[0x8825] = {2: (50.0, 37.0, 0.0)}  # GPS
        options["exif"] = data.tobytes()
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def upload_url(room):
    return reverse("discussion:attachment_upload", args=[room.slug])


def upload(client, room, name, content, content_type="image/png"):
    return client.post(
        upload_url(room), {"file": SimpleUploadedFile(name, content, content_type=content_type)}
    )


def stored(attachment):
    storage = attachment.file.storage
    return [
        name for name in (attachment.file.name, attachment.thumbnail.name) if name and storage.exists(name)
    ]


@pytest.fixture
def uploaded(db, member, room):
    """A PNG uploaded by ``member`` in ``room``, not sent yet."""
    file = SimpleUploadedFile("photo.png", image_bytes(), content_type="image/png")
    return services.upload_attachment(room, by=member, upload=file)


def test_an_image_is_reencoded_without_exif_with_a_thumbnail(client, member, room):
    client.force_login(member)
    response = upload(client, room, "Photo de l'atelier.png", image_bytes(size=(3000, 1500)))
    assert response.status_code == 201
    payload = response.json()["attachment"]
    assert payload["name"] == "Photo de l'atelier.png"
    assert payload["type"] == "image/png"
    assert payload["kind"] == "image"
    assert payload["thumbnail"]
    attachment = Attachment.objects.get(pk=payload["id"])
    with attachment.file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert max(image.size) == 2048
    assert not dict(image.getexif())
    with attachment.thumbnail.open("rb") as handle:
        assert max(Image.open(handle).size) <= 320


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "GIF"])
def test_other_image_formats_are_accepted(client, member, room, fmt):
    client.force_login(member)
    response = upload(client, room, f"image.{fmt.lower()}", image_bytes(fmt, exif=fmt != "GIF"))
    assert response.status_code == 201
    assert response.json()["attachment"]["type"] == f"image/{fmt.lower()}"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.png", b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", "image/png"),
        ("photo.png", PNG_MAGIC + b"<html><script>alert(1)</script>", "image/png"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("page.html", b"<html><body>Bonjour</body></html>", "text/html"),
        ("doc.pdf", b"<html>%PDF-1.4</html>", "application/pdf"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 40, "application/zip"),
    ],
)
def test_what_is_not_really_an_image_or_a_pdf_is_refused(client, member, room, name, content, content_type):
    client.force_login(member)
    response = upload(client, room, name, content, content_type)
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_file"
    assert "n'est pas accepté" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused(client, member, room, settings):
    settings.DISCUSSION_MAX_UPLOAD_SIZE = 1000
    client.force_login(member)
    response = upload(client, room, "gros.pdf", b"%PDF-1.4\n" + b"0" * 2000, "application/pdf")
    assert response.status_code == 400
    assert response.json()["error"] == "file_too_large"
    assert response.json()["detail"] == "Le fichier dépasse 1000\xa0octets."
    assert not Attachment.objects.exists()


def test_a_pdf_is_served_as_a_download_with_nosniff(client, member, room):
    client.force_login(member)
    content = b"%PDF-1.4\n%%EOF\n"
    payload = upload(client, room, "Compte rendu.pdf", content, "application/pdf").json()["attachment"]
    assert payload["thumbnail"] is None
    services.post_message(room, by=member, body="Le compte rendu", attachment_id=payload["id"])
    response = client.get(payload["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Compte rendu.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


def test_an_image_is_served_inline_as_the_image_it_is(client, member, room, uploaded, other_member):
    services.post_message(room, by=member, body="", attachment_id=uploaded.pk)
    client.force_login(other_member)
    response = client.get(reverse("discussion:attachment_file", args=[room.slug, uploaded.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(PNG_MAGIC)
    thumbnail = client.get(reverse("discussion:attachment_thumbnail", args=[room.slug, uploaded.pk]))
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] in ("image/jpeg", "image/png")


def test_files_of_a_private_room_go_to_its_members_only(client, member, other_member, private_room):
    file = SimpleUploadedFile("plan.png", image_bytes(), content_type="image/png")
    attachment = services.upload_attachment(private_room, by=member, upload=file)
    services.post_message(private_room, by=member, body="Le plan", attachment_id=attachment.pk)
    url = reverse("discussion:attachment_file", args=[private_room.slug, attachment.pk])
    thumbnail = reverse("discussion:attachment_thumbnail", args=[private_room.slug, attachment.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    assert client.get(thumbnail).status_code == 404
    # Nor through another room's address.
    other = services.create_room(kind=Room.Kind.TOPIC, title="Ouvert", by=None)
    assert (
        client.get(reverse("discussion:attachment_file", args=[other.slug, attachment.pk])).status_code == 404
    )
    # Nor may they upload there.
    assert upload(client, private_room, "x.png", image_bytes()).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 200


def test_files_of_a_direct_conversation_go_to_its_members_only(client, member, other_member, staff_user):
    conversation, _ = services.start_direct_conversation([other_member], by=member)
    file = SimpleUploadedFile("plan.png", image_bytes(), content_type="image/png")
    attachment = services.upload_attachment(conversation, by=member, upload=file)
    message, _ = services.post_message(conversation, by=member, body="Le plan", attachment_id=attachment.pk)
    urls = [
        reverse(f"discussion:{view}", args=[conversation.slug, attachment.pk])
        for view in ("attachment_file", "attachment_thumbnail")
    ]
    for user in (staff_user, VerifiedUserFactory()):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [404, 404]
        assert upload(client, conversation, "x.png", image_bytes()).status_code == 404
    # Reported, the message is shown to staff on the moderation screen only: the file stays theirs.
    services.report_message(message, by=other_member, reason="")
    client.force_login(staff_user)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    for user in (member, other_member):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [200, 200]


def test_an_upload_not_sent_is_seen_by_its_uploader_only(client, member, other_member, room, uploaded):
    url = reverse("discussion:attachment_file", args=[room.slug, uploaded.pk])
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 200


def test_someone_elses_upload_cannot_be_sent(member, other_member, room, uploaded):
    from network.discussion.attachments import AttachmentNotFound

    with pytest.raises(AttachmentNotFound):
        services.post_message(room, by=other_member, body="À moi", attachment_id=uploaded.pk)
    message, _ = services.post_message(room, by=member, body="", attachment_id=uploaded.pk)
    with pytest.raises(AttachmentNotFound):  # and once sent, not again
        services.post_message(room, by=member, body="Encore", attachment_id=uploaded.pk)
    assert Attachment.objects.get().message == message


def test_deleting_the_message_deletes_the_file(member, room, uploaded, django_capture_on_commit_callbacks):
    message, _ = services.post_message(room, by=member, body="Regardez", attachment_id=uploaded.pk)
    assert len(stored(uploaded)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_message(message, by=member)
    assert not Attachment.objects.exists()
    assert stored(uploaded) == []


def test_a_hidden_message_keeps_its_file_for_moderators_only(
    client, member, other_member, staff_user, room, uploaded
):
    message, _ = services.post_message(room, by=member, body="Regardez", attachment_id=uploaded.pk)
    services.hide_message(message, by=staff_user)
    url = reverse("discussion:attachment_file", args=[room.slug, uploaded.pk])
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    services.hide_message(message, by=staff_user, hidden=False)
    client.force_login(other_member)
    assert client.get(url).status_code == 200


def test_the_plain_form_sends_a_file_with_the_message(client, member, room):
    client.force_login(member)
    file = SimpleUploadedFile("photo.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    response = client.post(reverse("discussion:message_post", args=[room.slug]), {"body": "", "file": file})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.message.room == room
    page = client.get(room.get_absolute_url()).content.decode()
    assert reverse("discussion:attachment_thumbnail", args=[room.slug, attachment.pk]) in page
    # A refused file is said in French and stores nothing.
    file = SimpleUploadedFile("photo.png", b"<html></html>", content_type="image/png")
    response = client.post(
        reverse("discussion:message_post", args=[room.slug]), {"body": "Voici", "file": file}, follow=True
    )
    assert any("n'est pas accepté" in str(m) for m in response.context["messages"])
    assert Attachment.objects.count() == 1


def test_upload_needs_a_post_and_a_login(client, member, room):
    assert upload(client, room, "x.png", image_bytes()).status_code == 302
    client.force_login(member)
    assert client.get(upload_url(room)).status_code == 405
    assert client.post(upload_url(room), {}).json()["error"] == "unsupported_file"


def test_purge_removes_uploads_never_sent(member, room, uploaded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_unattached(older_than=timedelta(days=1)) == 0
        assert services.purge_unattached(older_than=timedelta(seconds=-1)) == 1
    assert stored(uploaded) == []


def test_the_daily_command_deletes_old_uploads_never_sent(member, room, django_capture_on_commit_callbacks):
    def new_upload(name, *, hours_ago):
        file = SimpleUploadedFile(name, image_bytes(), content_type="image/png")
        attachment = services.upload_attachment(room, by=member, upload=file)
        created = timezone.now() - timedelta(hours=hours_ago)
        Attachment.objects.filter(pk=attachment.pk).update(created=created)
        return attachment

    forgotten = new_upload("oubli.png", hours_ago=30)
    pending = new_upload("en-cours.png", hours_ago=2)
    sent = new_upload("envoye.png", hours_ago=30)
    services.post_message(room, by=member, body="Envoyé", attachment_id=sent.pk)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_discussion_uploads", stdout=out)
    assert out.getvalue().strip() == "1 upload(s) never sent deleted."
    assert set(Attachment.objects.values_list("name", flat=True)) == {"en-cours.png", "envoye.png"}
    assert stored(forgotten) == [] and len(stored(pending)) == 2 and len(stored(sent)) == 2
    # A shorter delay reaches the recent one too; the sent file stays, whatever the delay.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_discussion_uploads", "--hours", "1", stdout=out)
    assert list(Attachment.objects.values_list("name", flat=True)) == ["envoye.png"]
    with pytest.raises(CommandError):
        call_command("purge_discussion_uploads", "--hours", "0")


def test_the_inbox_names_a_file_sent_alone(client, member, other_member, room, uploaded):
    services.post_message(room, by=member, body="", attachment_id=uploaded.pk)
    client.force_login(other_member)
    html = client.get(reverse("discussion:room_list")).content.decode()
    assert "📎 photo.png" in html
