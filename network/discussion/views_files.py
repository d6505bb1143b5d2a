"""Upload and download of the files attached to messages (``attachments`` does the work).

A file is only ever served by ``_serve``: to someone who may read its room,
as the type its content was found to be (an image we re-encoded, or a PDF
as a download), with ``X-Content-Type-Options: nosniff`` and a sandboxing
Content Security Policy, so that nothing uploaded runs as a page of the site.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from network.discussion import conf, services
from network.discussion.attachments import AttachmentNotFound
from network.discussion.errors import RateLimited, RoomNotFound, ServiceError
from network.discussion.payloads import attachment_payload
from network.discussion.permissions import access_room
from network.uploads import limit_uploads


def _room_or_404(request, slug):
    try:
        return access_room(request.user, slug)
    except RoomNotFound:
        raise Http404 from None


@limit_uploads(conf.max_upload_size())  # past it, the bytes are dropped as they arrive
@login_required
@require_POST
def attachment_upload(request, slug):
    """``file`` (multipart) -> ``201 {"attachment": {...}}``, to send with the next
    message frame; ``400 {"error": code, "detail": "..."}`` when refused."""
    room = _room_or_404(request, slug)
    try:
        attachment = services.upload_attachment(room, by=request.user, upload=request.FILES.get("file"))
    except RateLimited as error:
        return JsonResponse(
            {"error": error.code, "detail": error.message, "retry_after": error.retry_after}, status=429
        )
    except ServiceError as error:
        return JsonResponse({"error": error.code, "detail": error.message}, status=400)
    return JsonResponse({"attachment": attachment_payload(attachment, room)}, status=201)


def _attachment_or_404(request, slug, attachment_id):
    room = _room_or_404(request, slug)
    try:
        return services.access_attachment(request.user, room, attachment_id)
    except AttachmentNotFound:
        raise Http404 from None


def _serve(field, *, content_type, filename, inline):
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    patch_cache_control(response, private=True, max_age=3600)
    return response


@login_required
@require_GET
def attachment_file(request, slug, attachment_id):
    """The file: an image inline (re-encoded by us), a PDF as a download."""
    attachment = _attachment_or_404(request, slug, attachment_id)
    return _serve(
        attachment.file,
        content_type=attachment.content_type,
        filename=attachment.name,
        inline=attachment.kind == attachment.Kind.IMAGE,
    )


@login_required
@require_GET
def attachment_thumbnail(request, slug, attachment_id):
    attachment = _attachment_or_404(request, slug, attachment_id)
    if not attachment.thumbnail:
        raise Http404
    extension = attachment.thumbnail.name.rsplit(".", 1)[-1]
    content_type = "image/png" if extension == "png" else "image/jpeg"
    return _serve(
        attachment.thumbnail, content_type=content_type, filename=f"vignette.{extension}", inline=True
    )
