"""Uploaded files and images: sizes checked while the request streams in,
images recognised from their content, capped in pixels, and re-encoded.

- ``CappedUploadHandler`` (first in ``FILE_UPLOAD_HANDLERS``): no request
  carries a file past ``UPLOAD_MAX_BYTES``; past it the request is refused
  (400) without reading or storing the rest.
- ``limit_uploads(max_bytes)``: a view decorator with a tighter limit. A
  file past it is dropped as it streams in, and the form sees a stand-in
  that says how large it was, so the member gets a clear form error.
- ``SafeImageField``: a form field for the site's own image uploads (the
  avatar): JPEG, PNG or WebP told by Pillow from the content, width × height
  read from the header and capped before anything is decoded, then decoded
  and re-encoded, which drops metadata (EXIF position, comments) and
  anything hidden after the image data.

Wagtail's own image uploads are bounded by ``WAGTAILIMAGES_MAX_UPLOAD_SIZE``,
``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` and ``WAGTAILIMAGES_EXTENSIONS`` (settings).
"""

import functools
import io
import warnings
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from PIL import Image, ImageOps, UnidentifiedImageError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# Pillow format name -> (extension, content type) of what the site accepts.
IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


def cap_image_pixels():
    """Have Pillow refuse, when it reads an image's header, any image of more
    pixels than Wagtail accepts: Wagtail measures an upload only after decoding
    it, so a 12,000 × 12,000 image would otherwise be decoded (432 MB) first."""
    # Pillow raises past twice its limit (and only warns past the limit itself).
    Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 2
    warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


def upload_max_bytes():
    """The ceiling of any uploaded file, whatever the form."""
    return getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


class CappedUploadHandler(FileUploadHandler):
    """Refuses a request whose files pass ``upload_max_bytes()``, as soon as that is known."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Form fields are small (DATA_UPLOAD_MAX_MEMORY_SIZE bounds them): a body
        # past the ceiling plus that allowance cannot be a request we accept.
        allowance = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        if content_length and content_length > upload_max_bytes() + allowance:
            raise RequestDataTooBig("Upload past UPLOAD_MAX_BYTES.")
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > upload_max_bytes():
            raise RequestDataTooBig("Upload past UPLOAD_MAX_BYTES.")
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers store the file


class OversizedUpload(UploadedFile):
    """What stands for a file dropped past a view's limit: its name and the size
    received so far, no content."""

    def __init__(self, name, content_type, size):
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)
        self.oversized = True


class LimitedUploadHandler(FileUploadHandler):
    """Drops every byte of a file past ``max_bytes`` as it arrives (the next
    handlers, which store files, never see them) and hands the form an
    ``OversizedUpload`` instead of the file."""

    def __init__(self, request=None, *, max_bytes):
        super().__init__(request)
        self.max_bytes = max_bytes

    def new_file(
        self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None
    ):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.received = 0
        self.oversized = bool(content_length and content_length > self.max_bytes)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.oversized = True
        return None if self.oversized else raw_data

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(self.file_name, self.content_type, self.received)
        return None


def limit_uploads(max_bytes):
    """View decorator: files past ``max_bytes`` are dropped while they stream in.

    Upload handlers must be in place before anything reads ``request.POST``,
    the CSRF check included: Django's documented way is to exempt the outer
    view and protect the inner one."""

    def decorator(view):
        protected = csrf_protect(view)

        @functools.wraps(view)
        @csrf_exempt
        def wrapper(request, *args, **kwargs):
            request.upload_handlers.insert(0, LimitedUploadHandler(request, max_bytes=max_bytes))
            return protected(request, *args, **kwargs)

        return wrapper

    return decorator


IMAGE_ERRORS = {
    "too_large": _("L'image ne doit pas dépasser %(max)s (celle-ci en fait au moins %(size)s)."),
    "too_many_pixels": _("L'image fait %(width)s × %(height)s pixels ; au plus %(max)s millions de pixels."),
    "too_many_pixels_unknown": _("L'image a trop de pixels ; au plus %(max)s millions de pixels."),
    "format": _("Choisissez une image JPEG, PNG ou WebP."),
    "invalid_image": forms.ImageField.default_error_messages["invalid_image"],
}


def _refused(code, **params):
    return forms.ValidationError(IMAGE_ERRORS[code], code=code, params=params or None)


def _open_image(upload, max_pixels):
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own cap follows
            return Image.open(upload, formats=list(IMAGE_FORMATS))  # reads the header only
    except Image.DecompressionBombError:
        raise _refused("too_many_pixels_unknown", max=max_pixels // 1_000_000) from None
    except UnidentifiedImageError:
        upload.seek(0)
        try:
            known = Image.open(upload).format  # any format Pillow knows, to say which is refused
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            known = None
        raise _refused("format" if known else "invalid_image") from None
    except (OSError, ValueError, SyntaxError):
        raise _refused("invalid_image") from None


def reencode_image(upload, *, max_pixels, max_side=None):
    """``upload`` decoded and encoded again (JPEG, PNG or WebP, as it came), the
    pixel count checked from the header first; only the colour profile of its
    metadata survives (no EXIF, GPS, comment, text chunk or XMP). A new upload."""
    image = _open_image(upload, max_pixels)
    width, height = image.size
    if width * height > max_pixels:
        raise _refused("too_many_pixels", width=width, height=height, max=max_pixels // 1_000_000)
    kind = image.format
    try:
        image.load()
        image = ImageOps.exif_transpose(image)  # keep the orientation the metadata gave
        if max_side:
            image.thumbnail((max_side, max_side))
        image.info = {key: value for key, value in image.info.items() if key == "icc_profile"}
        if kind == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, format=kind, **({"quality": 88} if kind in ("JPEG", "WEBP") else {}))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _refused("invalid_image") from None
    extension, content_type = IMAGE_FORMATS[kind]
    try:
        stem = get_valid_filename(PurePath(upload.name or "image").stem)[:80]
    except SuspiciousFileOperation:
        stem = "image"
    clean = SimpleUploadedFile(f"{stem}.{extension}", out.getvalue(), content_type=content_type)
    clean.image = image
    return clean


class SafeImageField(forms.ImageField):
    """A JPEG, PNG or WebP image of at most ``max_bytes`` and ``max_pixels``,
    re-encoded (and shrunk to fit ``max_side`` when given)."""

    default_error_messages = IMAGE_ERRORS

    def __init__(self, *, max_bytes, max_pixels, max_side=None, **kwargs):
        super().__init__(**kwargs)
        self.max_bytes, self.max_pixels, self.max_side = max_bytes, max_pixels, max_side

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)  # name and emptiness; not decoded yet
        if upload is None:
            return None
        if getattr(upload, "oversized", False) or upload.size > self.max_bytes:
            raise _refused("too_large", max=filesizeformat(self.max_bytes), size=filesizeformat(upload.size))
        return reencode_image(upload, max_pixels=self.max_pixels, max_side=self.max_side)


class ReadableImageField(WagtailImageField):
    """Wagtail's image field, with an image that fails to decode (cut short,
    corrupt) refused as invalid instead of raising out of the form (a 500),
    and an accepted one re-encoded as avatars are (``reencode_image``)."""

    def to_python(self, data):
        try:
            upload = super().to_python(data)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise forms.ValidationError(self.error_messages["invalid_image"], code="invalid_image") from None
        if upload is None or not hasattr(upload, "image"):
            return upload  # no new file (an edit keeping the current one)
        return reencode_image(upload, max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS)


class ImageForm(BaseImageForm):
    """``WAGTAILIMAGES_IMAGE_FORM_BASE``: the admin's image form with ``ReadableImageField``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField) and not isinstance(field, ReadableImageField):
            readable = ReadableImageField(label=field.label, required=field.required, widget=field.widget)
            readable.widget.attrs.update(field.widget.attrs)
            self.fields["file"] = readable
