"""A venue's picture: its first gallery photo, else the illustration of its main activity.

Reads only, in a fixed number of queries whatever the number of venues:
the directory annotates its rows with the first photo (``photo_annotations``)
and fetches those images with their renditions at once (``card_pictures``).
"""

from django.db.models import OuterRef, Subquery

from network.illustrations import RENDITIONS, Picture

# Renditions the templates ask for (network/templatetags/site_pictures.py): prefetched together.
CARD_SPECS = RENDITIONS["card"]
HERO_SPECS = RENDITIONS["hero"]  # its largest is also the Open Graph image
GALLERY_SPECS = RENDITIONS["gallery"]


def _image_model():
    from wagtail.images import get_image_model

    return get_image_model()


def photo_annotations():
    """Annotations of a VenuePage queryset: the first gallery photo's image id and alt text."""
    from members.models import VenueGalleryImage

    first = VenueGalleryImage.objects.filter(page=OuterRef("pk")).order_by("sort_order", "pk")
    return {
        "photo_id": Subquery(first.values("image_id")[:1]),
        "photo_alt": Subquery(first.values("alt_text")[:1]),
        "photo_caption": Subquery(first.values("caption")[:1]),
    }


def card_pictures(rows):
    """``{venue id: Picture}`` for rows annotated by ``photo_annotations`` (with
    ``id`` and ``main_activity``): two queries when any has a photo, none otherwise."""
    image_ids = {row["photo_id"] for row in rows if row.get("photo_id")}
    images = {}
    if image_ids:
        images = _image_model().objects.filter(pk__in=image_ids).prefetch_renditions(*CARD_SPECS).in_bulk()
    pictures = {}
    for row in rows:
        image = images.get(row.get("photo_id"))
        if image is not None:
            alt = (row.get("photo_alt") or "").strip() or row.get("photo_caption") or ""
            pictures[row["id"]] = Picture(image=image, alt=alt)
        else:
            pictures[row["id"]] = Picture.of_illustration(row["main_activity"])
    return pictures


def gallery_of(venue):
    """The venue's gallery photos, in order, with their images and renditions (two queries)."""
    from django.db.models import Prefetch

    renditions = (
        _image_model().get_rendition_model().objects.filter(filter_spec__in=[*HERO_SPECS, *GALLERY_SPECS])
    )
    return list(
        venue.gallery_images.select_related("image").prefetch_related(
            Prefetch("image__renditions", queryset=renditions, to_attr="prefetched_renditions")
        )
    )


def venue_picture(venue, gallery=None):
    """The venue's picture; ``gallery`` is ``gallery_of(venue)`` when it is already read."""
    gallery = gallery_of(venue) if gallery is None else gallery
    if gallery:
        return Picture(image=gallery[0].image, alt=gallery[0].alt)
    return Picture.of_illustration(venue.main_activity)
