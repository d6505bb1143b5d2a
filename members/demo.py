"""Demo accounts and venues for ``manage.py seed_demo``.

Forty venues: the twelve invented ones below, whose titles and slugs the
events and mentoring demos use, and twenty-eight whose names, addresses and
positions come from the census of tiers-lieux in the MEL communes ("ANCT,
Mission Coworking, 2019", Licence Ouverte 2.0; see ``members.demo_census``),
with descriptions written for this site. Every venue has a manager:
``lieu@example.org`` manages La Fabrique des Possibles, and a demo account
``gerant.<slug>@example.org`` manages each of the others. Some have gallery
photos: the project's own illustrations (``network/static/img/illustrations``,
CC0) stored as Wagtail images, so the demo shows pictures with no network
access; the others show their activity's illustration.
"""

from allauth.account.models import EmailAddress
from django.conf import settings

from members.models import Commune, User
from members.services import ensure_staff_group

DEMO_ACCOUNTS = [
    # email, display name, commune INSEE code, staff?
    ("equipe@example.org", "Équipe du réseau", "59350", True),
    ("membre@example.org", "Camille Membre", "59512", False),
    ("lieu@example.org", "Sacha Gérant·e de lieu", "59599", False),
    ("porteur@example.org", "Dominique Porteur de projet", "59009", False),
]


def seed_accounts(stdout=None):
    """Create (or reset the password of) the four demo accounts, all email-verified."""
    staff_group = ensure_staff_group()
    accounts = {}
    for email, name, insee_code, staff in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "commune": Commune.objects.filter(insee_code=insee_code).first(),
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


# Invented venues (no real place is described); name, commune INSEE code,
# main activity, secondary activities, tags, surface, capacity, flags.
DEMO_VENUES = [
    {
        "title": "La Fabrique des Possibles",
        "slug": "la-fabrique-des-possibles",
        "commune": "59599",
        "street_address": "12 rue des Métiers",
        "main_activity": "fablab",
        "secondary_activities": ["atelier_partage", "mediation_numerique"],
        "tags": ["impression 3D", "découpe laser", "électronique"],
        "surface_m2": 420,
        "capacity": 40,
        "in_qpv": True,
        "step_free_access": True,
        "offers_mentoring": True,
        "is_free": False,
        "solidarity_pricing": True,
        "summary": "Un fab lab associatif dans une ancienne filature : machines, ateliers du soir et "
        "permanences pour les projets du quartier.",
        "managed_by": "lieu@example.org",
        "hours": [(1, "14:00", "20:00"), (3, "14:00", "20:00"), (5, "10:00", "17:00")],
    },
    {
        "title": "Le Comptoir Partagé",
        "slug": "le-comptoir-partage",
        "commune": "59350",
        "street_address": "8 place du Marché",
        "main_activity": "coworking",
        "secondary_activities": ["culture_cafe"],
        "tags": ["salle de réunion", "café", "domiciliation"],
        "surface_m2": 300,
        "capacity": 35,
        "step_free_access": True,
        "summary": "Un coworking de quartier au-dessus d'un café associatif.",
        "hours": [(d, "08:30", "19:00") for d in range(5)],
    },
    {
        "title": "Atelier des Mains Vertes",
        "slug": "atelier-des-mains-vertes",
        "commune": "59512",
        "street_address": "45 rue de l'Épeule",
        "main_activity": "atelier_partage",
        "secondary_activities": ["accompagnement"],
        "tags": ["menuiserie", "réparation de vélos", "jardin partagé"],
        "surface_m2": 650,
        "capacity": 25,
        "in_qpv": True,
        "solidarity_pricing": True,
        "summary": "Menuiserie partagée, atelier vélo et jardin : on répare, on construit, on apprend.",
        "hours": [(2, "10:00", "18:00"), (5, "09:00", "13:00")],
    },
    {
        "title": "Le Grenier Numérique",
        "slug": "le-grenier-numerique",
        "commune": "59009",
        "street_address": "3 chemin du Moulin",
        "main_activity": "mediation_numerique",
        "tags": ["ordinateurs en libre accès", "aide aux démarches en ligne"],
        "surface_m2": 120,
        "capacity": 15,
        "is_free": True,
        "step_free_access": True,
        "summary": "Un espace public numérique : ordinateurs en accès libre et aide aux démarches.",
        "hours": [(0, "09:00", "12:00"), (2, "14:00", "18:00"), (4, "09:00", "12:00")],
    },
    {
        "title": "Maison Commune des Initiatives",
        "slug": "maison-commune-des-initiatives",
        "commune": "59368",
        "main_activity": "accompagnement",
        "secondary_activities": ["coworking"],
        "tags": ["salle de réunion", "permanences juridiques"],
        "surface_m2": 240,
        "capacity": 30,
        "offers_mentoring": True,
        "summary": "Accompagnement des porteurs de projet et bureaux partagés pour les jeunes structures.",
    },
    {
        "title": "Le Quai des Curieux",
        "slug": "le-quai-des-curieux",
        "commune": "59599",
        "street_address": "1 quai du Canal",
        "main_activity": "culture_cafe",
        "secondary_activities": ["living_lab"],
        "tags": ["concerts", "café", "expositions"],
        "surface_m2": 500,
        "capacity": 120,
        "step_free_access": True,
        "summary": "Café culturel au bord du canal : concerts, expositions et soirées jeux.",
    },
    {
        "title": "Labo Citoyen des Weppes",
        "slug": "labo-citoyen-des-weppes",
        "commune": "59011",
        "main_activity": "living_lab",
        "secondary_activities": ["mediation_numerique"],
        "tags": ["expérimentations", "salle de réunion"],
        "surface_m2": 90,
        "capacity": 20,
        "summary": "Un living lab rural où habitants et élus testent ensemble des services.",
    },
    {
        "title": "La Ruche de Seclin",
        "slug": "la-ruche-de-seclin",
        "commune": "59560",
        "main_activity": "coworking",
        "tags": ["salle de réunion", "visioconférence"],
        "surface_m2": 180,
        "capacity": 22,
        "offers_mentoring": True,
        "summary": "Bureaux partagés près de la gare, pour ne plus faire la route tous les jours.",
    },
    {
        "title": "L'Établi Solidaire",
        "slug": "letabli-solidaire",
        "commune": "59507",
        "main_activity": "atelier_partage",
        "secondary_activities": ["fablab"],
        "tags": ["couture", "impression 3D", "repair café"],
        "surface_m2": 200,
        "capacity": 18,
        "is_free": True,
        "in_qpv": True,
        "summary": "Couture, petite électronique et repair café un samedi sur deux.",
    },
    {
        "title": "Les Ateliers du Canal",
        "slug": "les-ateliers-du-canal",
        "commune": "59386",
        "main_activity": "fablab",
        "tags": ["découpe laser", "fraiseuse numérique"],
        "surface_m2": 350,
        "capacity": 30,
        "step_free_access": True,
        "summary": "Fab lab des entrepreneurs : prototypage, découpe et usinage.",
    },
    {
        "title": "Le Bureau d'à Côté",
        "slug": "le-bureau-da-cote",
        "commune": "59636",
        "main_activity": "coworking",
        "tags": ["salle de réunion", "café"],
        "surface_m2": 110,
        "capacity": 14,
        "summary": "Un petit coworking de centre-bourg, ouvert aux télétravailleurs du village.",
    },
    {
        "title": "La Serre Numérique",
        "slug": "la-serre-numerique",
        "commune": "59410",
        "main_activity": "mediation_numerique",
        "secondary_activities": ["fablab", "culture_cafe"],
        "tags": ["impression 3D", "ordinateurs en libre accès"],
        "surface_m2": 260,
        "capacity": 45,
        "in_qpv": True,
        "is_free": True,
        "offers_mentoring": True,
        "summary": "Médiation numérique, initiation à la fabrication et cafés-débats.",
    },
]


# Gallery of some demo venues: (illustration, alt text), the first leads the page and the card.
DEMO_GALLERIES = {
    "la-fabrique-des-possibles": [
        ("fablab", "Illustration : une imprimante 3D et une découpeuse laser"),
        ("atelier_partage", "Illustration : l'établi de l'atelier et ses outils"),
    ],
    "le-comptoir-partage": [
        ("coworking", "Illustration : la grande table du coworking"),
        ("culture_cafe", "Illustration : le comptoir du café associatif"),
    ],
    "le-grenier-numerique": [("mediation_numerique", "Illustration : un poste en accès libre")],
    "maison-commune-des-initiatives": [("accompagnement", "Illustration : un rendez-vous d'accompagnement")],
    "le-quai-des-curieux": [("culture_cafe", "Illustration : le café et sa scène")],
    "labo-citoyen-des-weppes": [("living_lab", "Illustration : une expérimentation avec les habitants")],
}


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


def _demo_gallery(slug):
    return [
        {"image": demo_image(name), "alt_text": alt, "caption": ""}
        for name, alt in DEMO_GALLERIES.get(slug, [])
    ]


def _census_specs():
    from django.utils.text import slugify

    from members.demo_census import CENSUS_VENUES
    from members.importer import CENSUS_SOURCE

    for spec in CENSUS_VENUES:
        yield {**spec, "slug": slugify(spec["title"]), "source": CENSUS_SOURCE}


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
    import datetime

    from members.models import VenueIndexPage, VenuePage
    from members.services import attach_manager, create_venue, update_venue

    index = VenueIndexPage.objects.first()
    staff = User.objects.filter(email="equipe@example.org").first()
    if index is None or staff is None:
        return {}
    communes = {c.insee_code: c for c in Commune.objects.all()}
    existing = {page.slug: page for page in VenuePage.objects.child_of(index)}
    venues = {}
    for spec in [*DEMO_VENUES, *_census_specs()]:
        spec = dict(spec)
        manager_email = spec.pop("managed_by", None) or f"gerant.{spec['slug']}@example.org"
        hours = spec.pop("hours", [])
        venue = existing.get(spec["slug"])
        if venue is None:
            spec["commune"] = communes[spec["commune"]]
            spec["opening_hours"] = [
                {
                    "weekday": day,
                    "opens": datetime.time.fromisoformat(opens),
                    "closes": datetime.time.fromisoformat(closes),
                }
                for day, opens, closes in hours
            ]
            spec["last_checked"] = datetime.date(2026, 10, 1)
            spec["gallery"] = _demo_gallery(spec["slug"])
            venue = create_venue(spec, by=staff, publish=True, parent=index)
            if stdout:
                stdout.write(f"  venue {venue.title}")
        elif spec["slug"] in DEMO_GALLERIES and not venue.gallery_images.exists():
            # A demo seeded before the venues had photos gets them.
            venue, _published = update_venue(venue, {"gallery": _demo_gallery(spec["slug"])}, by=staff)
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
