"""What an uploaded file really is, and its clean copy (no model here).

The type is read from the content, never from the name or the browser's
``Content-Type``: a PDF starts with ``%PDF-``; an image is whatever Pillow
opens as JPEG, PNG, WebP or GIF. Anything else (SVG, HTML, a ``.png`` that is
HTML...) is refused. Images are decoded and written again: no EXIF (place,
camera), no trailing bytes, the orientation applied, at most ``max_side``
pixels a side and ``max_pixels()`` in all, with a thumbnail.
"""

import io
import os
import re
import unicodedata
from dataclasses import dataclass

from django import forms
from django.conf import settings
from PIL import Image, ImageSequence, UnidentifiedImageError

from network.uploads import reencode_image

PDF_MAGIC = b"%PDF-"
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_FRAMES = 200
_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}
_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
# What Pillow would otherwise write back into a GIF.
_GIF_METADATA = ("comment", "extension", "xmp", "exif")


class RefusedFile(Exception):
    """Not a file we accept; ``reason`` is ``"type"`` or ``"image"`` (undecodable or too large)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass
class CleanFile:
    kind: str  # "image" or "pdf"
    content_type: str
    extension: str
    data: bytes
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None
    thumbnail_extension: str | None = None


def max_pixels():
    """The pixel ceiling of every image of the site (Wagtail's, avatars')."""
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


def clean_file(upload, *, max_side, thumbnail_side):
    """The ``CleanFile`` of ``upload`` (a Django ``UploadedFile``), or ``RefusedFile``.

    JPEG, PNG and WebP go through the site's one re-encoder
    (``network.uploads.reencode_image``); GIF, which it does not take, is
    written again here frame by frame."""
    upload.seek(0)
    if upload.read(len(PDF_MAGIC)) == PDF_MAGIC:
        upload.seek(0)
        return CleanFile("pdf", "application/pdf", "pdf", upload.read())
    upload.seek(0)
    try:
        fmt = Image.open(upload, formats=IMAGE_FORMATS).format  # the header only
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise RefusedFile("type") from None
    except Image.DecompressionBombError:
        raise RefusedFile("image") from None
    if fmt == "GIF":
        upload.seek(0)
        image, data = _reencode_gif(upload, max_side=max_side)
    else:
        try:
            clean = reencode_image(upload, max_pixels=max_pixels(), max_side=max_side)
        except forms.ValidationError as error:
            raise RefusedFile("type" if error.code == "format" else "image") from None
        image, data = clean.image, clean.read()
    try:
        thumbnail, thumbnail_fmt = _thumbnail(image, thumbnail_side)
    except (OSError, ValueError):
        raise RefusedFile("image") from None
    return CleanFile(
        kind="image",
        content_type=_MIME[fmt],
        extension={"WEBP": "webp"}.get(fmt, _EXTENSIONS.get(fmt, "jpg")),
        data=data,
        width=image.width,
        height=image.height,
        thumbnail=thumbnail,
        thumbnail_extension=_EXTENSIONS[thumbnail_fmt],
    )


def _reencode_gif(upload, *, max_side):
    """``(first frame, bytes)`` of a GIF written again: an animation within
    ``max_side`` keeps its frames; a larger image keeps its first, shrunk."""
    try:
        image = Image.open(upload, formats=["GIF"])
        frames = getattr(image, "n_frames", 1)
        if image.width * image.height > max_pixels() or frames > MAX_FRAMES:
            raise RefusedFile("image")
        out = io.BytesIO()
        if frames > 1 and max(image.size) <= max_side:
            copies = [_stripped(frame.copy()) for frame in ImageSequence.Iterator(image)]
            copies[0].save(out, "GIF", save_all=True, append_images=copies[1:], loop=0)
            return copies[0], out.getvalue()
        image.load()
        first = _stripped(image.copy())
        first.thumbnail((max_side, max_side))
        first.save(out, "GIF")
        return first, out.getvalue()
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        raise RefusedFile("image") from None


def _stripped(image):
    for key in _GIF_METADATA:
        image.info.pop(key, None)
    return image


def _thumbnail(image, side):
    """``(bytes, format)``: PNG when the image has transparency, else JPEG."""
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    thumb = image.convert("RGBA" if alpha else "RGB")
    thumb.thumbnail((side, side))
    out = io.BytesIO()
    fmt = "PNG" if alpha else "JPEG"
    thumb.save(out, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return out.getvalue(), fmt


def safe_name(name, extension):
    """A display name for the file: its base name, printable, at most 100
    characters, ending in the extension of what it really is."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[\x00-\x1f\x7f-\x9f/\"<>]+", "", base).strip(". ")
    stem = os.path.splitext(base)[0][:90].strip() or "fichier"
    return f"{stem}.{extension}"
