"""A file sent over the socket: the message frame carries it, live and replayed after a reconnect."""

import uuid

import pytest
from channels.db import database_sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile

from network.discussion import services
from network.discussion.models import Attachment
from tests.discussion.test_attachments import image_bytes
from tests.discussion.ws import frames_until_quiet, next_of, open_socket

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


def _upload(room, user):
    file = SimpleUploadedFile("atelier.png", image_bytes(), content_type="image/png")
    return services.upload_attachment(room, by=user, upload=file)


async def test_a_file_message_is_broadcast_and_replayed_after_a_reconnect(room, member, other_member):
    attachment = await db(_upload)(room, member)
    reader, _, _ = await open_socket(other_member, room)
    writer, _, _ = await open_socket(member, room)
    client_id = str(uuid.uuid4())
    frame = {"type": "message", "body": "", "attachment": attachment.pk, "client_id": client_id}
    await writer.send_json_to(frame)
    live = await next_of(reader, "message")
    assert live["attachment"]["id"] == attachment.pk
    assert live["attachment"]["name"] == "atelier.png"
    assert live["attachment"]["type"] == "image/png"
    assert live["attachment"]["size"] == attachment.size
    assert live["attachment"]["thumbnail"].endswith(f"/fichiers/{attachment.pk}/vignette/")
    # A retry of the same frame (the acknowledgement was lost) stores nothing twice.
    await writer.send_json_to(frame)
    acknowledged = [f for f in await frames_until_quiet(writer) if f["type"] == "message"]
    assert {f["id"] for f in acknowledged} == {live["id"]}
    await reader.disconnect()
    await writer.disconnect()

    # The reader comes back having seen nothing: the replay carries the file with its message.
    again, _, _ = await open_socket(other_member, room, "?after=0&seq=0")
    replayed = [f for f in await frames_until_quiet(again) if f["type"] == "message"]
    assert [(f["id"], f["attachment"]) for f in replayed] == [(live["id"], live["attachment"])]
    await again.disconnect()


async def test_a_file_frame_with_someone_elses_upload_is_an_error_frame(room, member, other_member):
    attachment = await db(_upload)(room, member)
    thief, _, _ = await open_socket(other_member, room)
    client_id = str(uuid.uuid4())
    await thief.send_json_to(
        {"type": "message", "body": "", "attachment": attachment.pk, "client_id": client_id}
    )
    error = await next_of(thief, "error")
    assert (error["code"], error["client_id"]) == ("attachment_not_found", client_id)
    for bad in ("1", -4, True, 1.5):
        await thief.send_json_to({"type": "message", "body": "x", "attachment": bad})
        assert (await next_of(thief, "error"))["code"] == "bad_frame"
    # The socket stays usable.
    await thief.send_json_to({"type": "message", "body": "Toujours là"})
    assert (await next_of(thief, "message"))["body"] == "Toujours là"
    assert await db(Attachment.objects.filter(message__isnull=True).count)() == 1
    await thief.disconnect()


async def test_deleting_a_file_message_clears_it_from_the_replay(room, member, other_member):
    attachment = await db(_upload)(room, member)
    message, _ = await db(services.post_message)(room, by=member, body="", attachment_id=attachment.pk)
    await db(services.delete_message)(message, by=member)
    again, _, _ = await open_socket(other_member, room, "?after=0&seq=0")
    replayed = [f for f in await frames_until_quiet(again) if f["type"] == "message"]
    assert [(f["id"], f["deleted"], f["attachment"]) for f in replayed] == [(message.pk, True, None)]
    storage = attachment.file.storage
    assert not storage.exists(attachment.file.name)
    assert not storage.exists(attachment.thumbnail.name)
    await again.disconnect()
