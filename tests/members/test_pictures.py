"""Pictures of the venues: the directory's cards, the venue page and its gallery,
the home page's hero; a photo with its alt text, else the activity's illustration."""

import re
from html import unescape

import pytest
from wagtail.test.utils.form_data import inline_formset
from wagtail_factories import ImageFactory

from members.models import VenueGalleryImage
from tests.members.test_ownership import _edit_form

pytestmark = pytest.mark.django_db


def images(html):
    """``[{attribute: value}]`` of every ``<img>`` in ``html``."""
    tags = re.findall(r"<img\b[^>]*>", html)
    return [{name: unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', tag)} for tag in tags]


def photo(venue, alt, **kwargs):
    return VenueGalleryImage.objects.create(
        page=venue, image=ImageFactory(file__width=1600, file__height=1000), alt_text=alt, **kwargs
    )


def test_directory_cards_show_the_photo_or_the_activity_illustration(client, make_venue):
    pictured = make_venue(title="Le Hangar", main_activity="fablab")
    photo(pictured, "Deux imprimantes 3D sur un établi")
    make_venue(title="La Halle", main_activity="living_lab")
    html = client.get("/lieux/").content.decode()
    shot = next(img for img in images(html) if img.get("alt") == "Deux imprimantes 3D sur un établi")
    assert "/media/images/" in shot["src"] and shot["srcset"].count("w,") == 1  # two widths
    assert shot["width"] and shot["height"] and shot["loading"] == "lazy" and shot["sizes"]
    illustration = next(img for img in images(html) if "illustrations/living_lab.svg" in img["src"])
    assert illustration["alt"] == "" and illustration["width"] == "1200" and illustration["height"] == "630"
    assert illustration["loading"] == "lazy" and illustration["class"].startswith("venue-card__picture")


def test_venue_page_leads_with_its_first_photo_and_shows_the_others(client, make_venue):
    venue = make_venue(title="Le Hangar", main_activity="fablab")
    photo(venue, "La façade en briques", sort_order=0)
    photo(venue, "L'atelier bois", sort_order=1, caption="Le coin menuiserie")
    html = client.get(venue.url).content.decode()
    (hero,) = [img for img in images(html) if "venue__picture" in img.get("class", "")]
    assert hero["alt"] == "La façade en briques" and "loading" not in hero and hero["srcset"]
    (other,) = [img for img in images(html) if "venue-gallery__photo" in img.get("class", "")]
    assert other["alt"] == "L'atelier bois" and other["loading"] == "lazy"
    assert "<figcaption>Le coin menuiserie</figcaption>" in html


@pytest.mark.parametrize("activity", ["coworking", "atelier_partage", "culture_cafe", "autre"])
def test_venue_without_photo_shows_its_activity_illustration(client, make_venue, activity):
    venue = make_venue(main_activity=activity)
    html = client.get(venue.url).content.decode()
    (hero,) = [img for img in images(html) if "venue__picture" in img.get("class", "")]
    assert hero["src"].endswith(f"/illustrations/{activity}.svg") and hero["alt"] == ""
    assert 'id="gallery-heading"' not in html


def test_home_page_hero_shows_its_illustration(client, site_tree):
    html = client.get("/").content.decode()
    (hero,) = [img for img in images(html) if "hero__picture" in img.get("class", "")]
    assert hero["src"].endswith("/illustrations/accueil.svg") and hero["alt"] == ""
    assert hero["width"] == "1200" and hero["height"] == "630"


def test_gallery_photo_needs_its_alt_text_in_the_admin(client, staff_user, venue):
    from members.models.venues import GALLERY_ALT_REQUIRED

    image = ImageFactory()
    client.force_login(staff_user)
    url = f"/admin/pages/{venue.pk}/edit/"
    for alt in ("", "   "):
        gallery = inline_formset([{"image": image.pk, "alt_text": alt, "caption": "Une légende"}])
        response = client.post(url, {**_edit_form(venue, gallery_images=gallery), "action-publish": "1"})
        assert response.status_code == 200
        (form,) = response.context["form"].formsets["gallery_images"].forms
        assert form.errors["alt_text"] == [str(GALLERY_ALT_REQUIRED)]
        assert "ce texte la remplace pour les personnes qui ne la voient pas" in response.content.decode()
    gallery = inline_formset([{"image": image.pk, "alt_text": "La salle commune", "caption": ""}])
    response = client.post(url, {**_edit_form(venue, gallery_images=gallery), "action-publish": "1"})
    assert response.status_code == 302
    assert list(venue.gallery_images.values_list("alt_text", flat=True)) == ["La salle commune"]


def test_directory_queries_stay_bounded_with_photos(client, make_venue, django_assert_max_num_queries):
    from tests.members.test_venue_directory import _count_queries

    for n in range(3):
        photo(make_venue(tags=[f"tag {n}"]), f"Photo {n}")
    few = _count_queries(client, django_assert_max_num_queries, "/lieux/")
    for n in range(12):
        photo(make_venue(tags=[f"autre {n}"]), f"Autre photo {n}")
        make_venue()  # no photo: an illustration
    many = _count_queries(client, django_assert_max_num_queries, "/lieux/")
    assert many == few


def test_venue_page_queries_do_not_grow_with_its_photos(client, make_venue, django_assert_max_num_queries):
    from tests.members.test_venue_directory import _count_queries

    venue = make_venue()
    photo(venue, "Une")
    one = _count_queries(client, django_assert_max_num_queries, venue.url, limit=25)
    for n in range(5):
        photo(venue, f"Encore {n}", sort_order=n + 1)
    assert _count_queries(client, django_assert_max_num_queries, venue.url, limit=25) == one


def test_demo_venues_and_events_show_the_projects_illustrations_as_photos(client):
    from django.core.management import call_command
    from wagtail.images import get_image_model

    from members.demo import venue_rows
    from members.models import VenuePage

    galleries = {row["slug"]: row.get("gallery", []) for row in venue_rows()}

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: no second copy of the images or the photos
    assert get_image_model().objects.count() == len(
        {photo["illustration"] for g in galleries.values() for photo in g} | {"evenement"}
    )
    fabrique = VenuePage.objects.get(slug="la-fabrique-des-possibles")
    assert fabrique.gallery_images.count() == 2
    html = client.get(fabrique.url).content.decode()
    (hero,) = [img for img in images(html) if "venue__picture" in img.get("class", "")]
    assert hero["alt"] == galleries[fabrique.slug][0]["alt_text"] and "/media/images/" in hero["src"]
    cards = images(client.get("/lieux/").content.decode())
    assert any("/media/images/" in img["src"] and img["alt"] for img in cards)
    assert any("/illustrations/" in img["src"] and img["alt"] == "" for img in cards)
    meeting = client.get("/agenda/rencontre-annuelle-du-reseau/").content.decode()
    (picture,) = [img for img in images(meeting) if "event__image" in img.get("class", "")]
    assert "/media/images/" in picture["src"] and picture["alt"].startswith("Illustration")


def test_a_small_photo_gives_each_width_once(client, make_venue):
    """A photo narrower than the largest rendition: HTML forbids a width twice in srcset."""
    venue = make_venue()
    VenueGalleryImage.objects.create(page=venue, image=ImageFactory(), alt_text="Petite photo")  # 100 px
    html = client.get("/lieux/").content.decode()
    (shot,) = [img for img in images(html) if img.get("alt") == "Petite photo"]
    assert "srcset" not in shot and shot["width"] == "100" and shot["height"]
