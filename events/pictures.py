"""An event's picture: its own image, else its venue's (photo or activity
illustration), else the events illustration."""

from members.pictures import HERO_SPECS, gallery_of, venue_picture
from network.illustrations import EVENT, Picture


def event_picture(event):
    """At most two queries for its own image (the image, its renditions), or two for
    its venue's first photo; none for an illustration."""
    if event.image_id:
        from wagtail.images import get_image_model

        image = get_image_model().objects.filter(pk=event.image_id).prefetch_renditions(*HERO_SPECS).first()
        if image is not None:
            # An event stored before its image needed alt text: the image's own description.
            return Picture(image=image, alt=event.image_alt.strip() or image.description)
    venue = event.venue if event.venue_id else None
    if venue is not None:
        return venue_picture(venue, gallery_of(venue)[:1])
    return Picture.of_illustration(EVENT)
