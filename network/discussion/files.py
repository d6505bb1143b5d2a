"""What an uploaded file really is, and its clean copy (no Django model here).

The type is read from the content, never from the name or the browser's
``Content-Type``: a PDF starts with ``%PDF-``; an image is whatever Pillow
opens as JPEG, PNG, WebP or GIF. Anything else (SVG, HTML, a ``.png`` that is
HTML...) is refused. Images are decoded and written again: no EXIF (place,
camera), no trailing bytes, the orientation applied, at most
``max_side`` pixels a side, with a thumbnail.
"""

import io
import os
import re
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

PDF_MAGIC = b"%PDF-"
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_PIXELS = 40_000_000  # a decoded image larger than this is a bomb, not a photo
MAX_FRAMES = 200
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "PDF": "pdf"}
_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


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


def clean_file(data, *, max_side, thumbnail_side):
    """The ``CleanFile`` of ``data`` (the whole upload), or ``RefusedFile``."""
    if data.startswith(PDF_MAGIC):
        return CleanFile("pdf", "application/pdf", "pdf", data)
    try:
        image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise RefusedFile("type") from None
    try:
        return _reencode(image, max_side=max_side, thumbnail_side=thumbnail_side)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, EOFError):
        raise RefusedFile("image") from None


def _reencode(image, *, max_side, thumbnail_side):
    fmt = image.format
    width, height = image.size
    if width * height > MAX_PIXELS or getattr(image, "n_frames", 1) > MAX_FRAMES:
        raise RefusedFile("image")
    out = io.BytesIO()
    if fmt == "GIF" and getattr(image, "n_frames", 1) > 1 and max(width, height) <= max_side:
        # An animation stays one: every frame written again, without comments or extensions.
        frames = [_stripped(frame.copy()) for frame in ImageSequence.Iterator(image)]
        frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0)
        first = frames[0]
    else:
        first = ImageOps.exif_transpose(image)  # applies the orientation, then EXIF goes
        first.thumbnail((max_side, max_side))
        first = _stripped(_plain(first, fmt))
        _save(first, out, fmt)
    width, height = first.size
    thumb_fmt = "PNG" if _has_alpha(first) else "JPEG"
    thumb = _stripped(first.convert("RGBA" if thumb_fmt == "PNG" else "RGB"))
    thumb.thumbnail((thumbnail_side, thumbnail_side))
    thumb_out = io.BytesIO()
    _save(thumb, thumb_out, thumb_fmt)
    return CleanFile(
        kind="image",
        content_type=_MIME[fmt],
        extension=_EXTENSIONS[fmt],
        data=out.getvalue(),
        width=width,
        height=height,
        thumbnail=thumb_out.getvalue(),
        thumbnail_extension=_EXTENSIONS[thumb_fmt],
    )


METADATA = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "icc_profile", "extension")


def _stripped(image):
    """``image`` without the metadata Pillow would write back (EXIF, XMP, comments)."""
    for key in METADATA:
        image.info.pop(key, None)
    return image


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _plain(image, fmt):
    """``image`` in a mode ``fmt`` writes (JPEG has no alpha nor palette)."""
    if fmt == "JPEG":
        return image.convert("RGB") if image.mode != "RGB" else image
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        return image.convert("RGBA")
    return image


def _save(image, out, fmt):
    options = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}.get(fmt, {})
    image.save(out, fmt, **options)


def safe_name(name, extension):
    """A display name for the file: its base name, printable, at most 100
    characters, ending in the extension of what it really is."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[\x00-\x1f\x7f-\x9f/\"<>]+", "", base).strip(". ")
    stem = os.path.splitext(base)[0][:90].strip() or "fichier"
    return f"{stem}.{extension}"
