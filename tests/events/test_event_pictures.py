"""An event page's picture: its own image, else its venue's photo, else the venue's
activity illustration, else the events illustration; an image needs its alt text."""

import pytest
from wagtail_factories import ImageFactory

from events.page_form import IMAGE_ALT_REQUIRED
from members.models import VenueGalleryImage
from tests.events.test_bad_input import _admin_post
from tests.members.test_pictures import images

pytestmark = pytest.mark.django_db


def hero(client, event):
    html = client.get(event.url).content.decode()
    (picture,) = [img for img in images(html) if "event__image" in img.get("class", "")]
    return picture


def test_event_shows_its_own_image_with_its_alt_text(client, make_event):
    image = ImageFactory(file__width=1600, file__height=900)
    event = make_event(slug="expo", image=image, image_alt="Des tableaux dans la grande salle")
    picture = hero(client, event)
    assert picture["alt"] == "Des tableaux dans la grande salle"
    assert "/media/images/" in picture["src"] and picture["srcset"] and picture["width"] and picture["height"]


def test_event_falls_back_to_its_venues_photo_then_its_activity_illustration(client, venue_event, venue):
    picture = hero(client, venue_event)
    assert picture["src"].endswith(f"/illustrations/{venue.main_activity}.svg") and picture["alt"] == ""
    VenueGalleryImage.objects.create(page=venue, image=ImageFactory(), alt_text="La façade de La Coroutine")
    picture = hero(client, venue_event)
    assert picture["alt"] == "La façade de La Coroutine" and "/media/images/" in picture["src"]


def test_event_without_venue_shows_the_events_illustration(client, event):
    picture = hero(client, event)
    assert picture["src"].endswith("/illustrations/evenement.svg") and picture["alt"] == ""


def test_admin_asks_for_the_alt_text_of_an_event_image(client, staff_user, event):
    client.force_login(staff_user)
    url = f"/admin/pages/{event.pk}/edit/"
    image = ImageFactory()
    response = client.post(url, _admin_post(event, image=image.pk, image_alt=" "))
    assert response.status_code == 200
    assert response.context["form"].errors["image_alt"] == [str(IMAGE_ALT_REQUIRED)]
    response = client.post(url, _admin_post(event, image=image.pk, image_alt="Le public de l'apéro"))
    assert response.status_code == 302
