"""Demo accounts and venues for ``manage.py seed_demo``, from the files beside this module.

- ``accounts.toml``: the four accounts of the README's table;
- ``venues.toml``: twelve invented venues, whose slugs the events and mentoring
  demos use;
- ``census_venues.toml``: twenty-eight venues whose names, addresses and
  positions come from the census of tiers-lieux in the MEL communes ("ANCT,
  Mission Coworking, 2019", Licence Ouverte 2.0), with descriptions written
  for this site.

Every venue has a manager: ``lieu@example.org`` manages La Fabrique des
Possibles, and a demo account ``gerant.<slug>@example.org`` manages each of
the others. Gallery photos are the project's own illustrations
(``network/static/img/illustrations``, CC0) stored as Wagtail images, so the
demo shows pictures with no network access.
"""

import datetime
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils.text import slugify

from members.models import Commune, User, VenuePage
from members.services import ensure_staff_group
from network.demo_data import (
    DemoDataError,
    Table,
    flag,
    illustration,
    insee_code,
    read,
    rows,
    text,
    texts,
    untranslated_fields,
    weekly_hours,
)

HERE = Path(__file__).parent
ACCOUNTS = HERE / "accounts.toml"
VENUES = HERE / "venues.toml"
CENSUS_VENUES = HERE / "census_venues.toml"
LAST_CHECKED = datetime.date(2026, 10, 1)


ACCOUNT_TABLE = Table(
    "accounts",
    keys={"email": text, "display_name": text, "commune": insee_code, "staff": flag},
    required=("email", "display_name"),
    label="email",
)
PHOTO = Table(
    "photo", keys={"illustration": illustration, "alt_text": text}, required=("illustration", "alt_text")
)


VENUE_TABLE = Table(
    "venues",
    keys={
        "commune": insee_code,
        "tags": texts,
        "hours": weekly_hours,
        "gallery": rows(PHOTO),
        "managed_by": text,
    },
    required=("title", "commune", "main_activity", "summary"),
    model=VenuePage,
)

FILES = {ACCOUNTS: (ACCOUNT_TABLE,), VENUES: (VENUE_TABLE,), CENSUS_VENUES: (VENUE_TABLE,)}


def account_rows():
    return read(ACCOUNTS, ACCOUNT_TABLE)["accounts"]


def venue_rows():
    """Every demo venue's row, the invented ones first; census rows get their slug and source."""
    from members.importer import CENSUS_SOURCE

    census = [
        {**spec, "slug": spec.get("slug") or slugify(spec["title"]), "source": CENSUS_SOURCE}
        for spec in read(CENSUS_VENUES, VENUE_TABLE)["venues"]
    ]
    return [*read(VENUES, VENUE_TABLE)["venues"], *census]


def seed_accounts(stdout=None):
    """Create (or reset the password of) the demo accounts, all email-verified."""
    staff_group = ensure_staff_group()
    accounts = {}
    for spec in account_rows():
        email, staff = spec["email"], spec.get("staff", False)
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": spec["display_name"],
                "commune": Commune.objects.filter(insee_code=spec.get("commune")).first(),
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if staff:
            user.groups.add(staff_group)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        accounts[email] = user
        if stdout and created:
            stdout.write(f"  account {email}")
    return accounts


def demo_image(name):
    """The Wagtail image of the illustration ``name``, created once (from the PNG, no network)."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from network.illustrations import DESCRIPTIONS, png_path

    Image = get_image_model()
    title = f"Illustration « {name} » (démo, CC0)"
    image = Image.objects.filter(title=title).first()
    if image is None:
        with png_path(name).open("rb") as file:
            image = Image(
                title=title,
                description=str(DESCRIPTIONS[name]),
                collection=Collection.get_first_root_node(),
                file=ImageFile(file, name=f"demo-{name}.png"),
            )
            image.save()
    return image


def _gallery(photos):
    return [
        {"image": demo_image(photo["illustration"]), "alt_text": photo["alt_text"], "caption": ""}
        for photo in photos
    ]


def _venue_manager(venue, email, stdout=None):
    """The demo account ``email`` (verified, demo password), created once."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": f"Équipe de {venue.title}"[:100], "commune": venue.commune}
    )
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if stdout:
            stdout.write(f"  account {email}")
    return user


def seed_venues(stdout=None):
    """Publish the demo venues under /lieux/, each with a manager (idempotent: existing
    slugs are left alone, managers attached once)."""
    from members.models import VenueIndexPage
    from members.services import attach_manager, create_venue, update_venue

    index = VenueIndexPage.objects.first()
    staff = User.objects.filter(email="equipe@example.org").first()
    if index is None or staff is None:
        return {}
    communes = {c.insee_code: c for c in Commune.objects.all()}
    existing = {page.slug: page for page in VenuePage.objects.child_of(index)}
    venues = {}
    for spec in venue_rows():
        spec = dict(spec)
        manager_email = spec.pop("managed_by", None) or f"gerant.{spec['slug']}@example.org"
        hours = spec.pop("hours", [])
        photos = spec.pop("gallery", [])
        venue = existing.get(spec["slug"])
        if venue is None:
            if spec["commune"] not in communes:
                raise DemoDataError(f"{spec['slug']}: no commune {spec['commune']} in the database")
            spec["commune"] = communes[spec["commune"]]
            spec["opening_hours"] = hours
            spec["last_checked"] = LAST_CHECKED
            spec["gallery"] = _gallery(photos)
            venue = create_venue(spec, by=staff, publish=True, parent=index)
            if stdout:
                stdout.write(f"  venue {venue.title}")
        else:
            # A demo seeded before the venues had photos or English summaries gets them.
            changes = untranslated_fields(venue, spec)
            if photos and not venue.gallery_images.exists():
                changes["gallery"] = _gallery(photos)
            if changes:
                venue, _published = update_venue(venue, changes, by=staff)
        if manager_email.startswith("gerant."):
            manager = _venue_manager(venue, manager_email, stdout)
        else:
            manager = User.objects.filter(email=manager_email).first()
        if manager is not None and not (
            venue.manager_group_id and manager.groups.filter(pk=venue.manager_group_id).exists()
        ):
            attach_manager(venue, manager, by=staff)
        venues[venue.slug] = venue
    return venues
