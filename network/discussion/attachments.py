"""Files attached to messages: upload, access, removal (services, re-exported by ``services``).

A member uploads a file over HTTP (the socket carries JSON only): it is
sniffed and cleaned (``files.clean_file``) and stored unattached. Their next
``message`` frame (or the form) names it by id and ``post_message`` attaches
it under the room lock, so it is stored, broadcast and replayed with the
message. Deleting the message deletes the row, and the files go after the
commit (``delete_stored_files``, connected to ``post_delete``).
"""

import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from network.discussion import conf
from network.discussion.errors import ServiceError
from network.discussion.files import RefusedFile, clean_file, safe_name
from network.discussion.models import Attachment
from network.discussion.permissions import RoomNotFound, can_moderate_room, can_read_room, check_can_post


class FileTooLarge(ServiceError):
    code = "file_too_large"


class UnsupportedFile(ServiceError):
    code = "unsupported_file"


class AttachmentNotFound(ServiceError):
    code = "attachment_not_found"


def _too_large():
    size = filesizeformat(conf.max_upload_size())
    return FileTooLarge(_("Le fichier dépasse %(size)s.") % {"size": size})


def upload_attachment(room, *, by, upload):
    """Store ``upload`` (an ``UploadedFile``) for ``by`` to attach in ``room``.

    Refused: a file past ``conf.max_upload_size()``, and anything that is not,
    by its content, a JPEG, PNG, WebP or GIF image or a PDF. Images are
    stored re-encoded, with a thumbnail."""
    from network.discussion.moderation import check_not_muted
    from network.discussion.services import check_rate_limit

    room = check_can_post(by, room)
    check_not_muted(by, room)
    limit = conf.max_upload_size()
    if upload is None:
        raise UnsupportedFile(_("Choisissez un fichier."))
    if upload.size is not None and upload.size > limit:
        raise _too_large()
    if getattr(upload, "oversized", False):  # dropped as it streamed in (``limit_uploads``)
        raise _too_large()
    if not upload.size:
        raise UnsupportedFile(_("Le fichier est vide."))
    check_rate_limit(by)
    try:
        clean = clean_file(upload, max_side=conf.max_image_side(), thumbnail_side=conf.thumbnail_side())
    except RefusedFile as refused:
        if refused.reason == "image":
            raise UnsupportedFile(_("Cette image ne peut pas être lue (abîmée ou trop grande).")) from None
        raise UnsupportedFile(
            _("Ce type de fichier n'est pas accepté : images JPEG, PNG, WebP ou GIF, et PDF seulement.")
        ) from None
    attachment = Attachment(
        room=room,
        uploader=by,
        kind=clean.kind,
        content_type=clean.content_type,
        name=safe_name(upload.name, clean.extension),
        size=len(clean.data),
        width=clean.width,
        height=clean.height,
    )
    stem = uuid.uuid4().hex
    attachment.file.save(f"{stem}.{clean.extension}", ContentFile(clean.data), save=False)
    try:
        if clean.thumbnail:
            attachment.thumbnail.save(
                f"{stem}.{clean.thumbnail_extension}", ContentFile(clean.thumbnail), save=False
            )
        attachment.save()
    except Exception:
        _delete_files(attachment.file.name, attachment.thumbnail.name)
        raise
    return attachment


def take_upload(room, *, by, attachment_id):
    """The unattached upload ``attachment_id`` of ``by`` in ``room``, row locked
    (called by ``post_message`` inside its transaction), or AttachmentNotFound."""
    attachment = (
        Attachment.objects.select_for_update()
        .filter(pk=attachment_id, room=room, uploader=by, message__isnull=True)
        .first()
    )
    if attachment is None:
        raise AttachmentNotFound(_("Ce fichier n'existe pas ou est déjà envoyé."))
    return attachment


def access_attachment(user, room, attachment_id):
    """The attachment ``attachment_id`` of ``room`` if ``user`` may see it: readers
    of the room when its message is visible, moderators also when it is
    hidden, the uploader before sending it. Else AttachmentNotFound (missing
    and forbidden alike)."""
    attachment = Attachment.objects.filter(pk=attachment_id, room=room).select_related("message").first()
    if attachment is None or not can_read_room(user, room):
        raise AttachmentNotFound(_("Ce fichier n'existe pas."))
    message = attachment.message
    if message is None:
        allowed = attachment.uploader_id == user.pk
    elif message.deleted:
        allowed = False
    elif message.hidden:
        allowed = can_moderate_room(user, room)
    else:
        allowed = True
    if not allowed:
        raise AttachmentNotFound(_("Ce fichier n'existe pas."))
    return attachment


def _delete_files(*names):
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        if name:
            storage.delete(name)


def delete_stored_files(sender, instance, **kwargs):
    """``post_delete`` of an attachment (its message deleted, its room...): the
    files go once the deletion is committed, never before a rollback."""
    names = (instance.file.name, instance.thumbnail.name)
    transaction.on_commit(lambda: _delete_files(*names), robust=True)


def purge_unattached(*, older_than=timedelta(days=1)):
    """Delete the uploads never sent with a message, older than ``older_than``
    (their files once each deletion commits); returns how many
    (``manage.py purge_discussion_uploads``, daily).

    Each row is locked and checked again before it goes, as ``take_upload``
    locks it: an upload sent meanwhile is kept."""
    cutoff = timezone.now() - older_than
    stale = list(
        Attachment.objects.filter(message__isnull=True, created__lt=cutoff).values_list("pk", flat=True)
    )
    count = 0
    for pk in stale:
        with transaction.atomic():
            attachment = Attachment.objects.select_for_update().filter(pk=pk, message__isnull=True).first()
            if attachment is not None:
                attachment.delete()  # one by one: post_delete removes each one's files
                count += 1
    return count


__all__ = [
    "AttachmentNotFound",
    "FileTooLarge",
    "RoomNotFound",
    "UnsupportedFile",
    "access_attachment",
    "purge_unattached",
    "take_upload",
    "upload_attachment",
]
