"""Demo events for ``manage.py seed_demo``.

A monthly network meetup, venue workshops, open days and public guided visits
across several demo venues over the next three months, and a few past ones for
the archives. Several have a limited capacity and registrations by the demo
accounts; the guided visit of La Ruche is full with a waiting list, and
``membre@example.org`` is left free to register for most upcoming ones.
Dates are relative to today, so the demo never goes stale; every step is
idempotent (an existing slug is left as it is).
"""

from contextlib import suppress
from datetime import datetime, time, timedelta

from django.utils import timezone

from events.errors import ServiceError
from events.models import EventIndexPage, EventPage, Registration
from events.services import register_for_event
from events.vocabulary import RegistrationStatus


def _next_weekday(weekday, *, after_days, at):
    day = timezone.localdate() + timedelta(days=after_days)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return timezone.make_aware(datetime.combine(day, at))


def _demo_events():
    apero = _next_weekday(3, after_days=5, at=time(18, 30))  # a Thursday
    assembly = _next_weekday(5, after_days=25, at=time(9, 30))  # a Saturday
    webinar = _next_weekday(1, after_days=10, at=time(12, 30))  # a Tuesday
    workshop = _next_weekday(2, after_days=3, at=time(18, 0))  # a Wednesday
    open_day = _next_weekday(5, after_days=12, at=time(10, 0))
    return [
        (
            None,
            {
                "slug": "apero-des-tiers-lieux",
                "title": "Apéro des tiers-lieux",
                "kind": "meetup",
                "summary": "Chaque mois, un lieu du réseau accueille les autres pour un apéro d'échanges.",
                "body": "<p>Venez rencontrer les équipes des autres lieux, "
                "partager vos projets et vos galères.</p>",
                "start": apero,
                "end": apero + timedelta(hours=2, minutes=30),
                "repeat": "monthly_nth",
                "repeat_count": 6,
                "venue_slug": "le-comptoir-partage",
                "capacity": 40,
                "audience": "Équipes et bénévoles des tiers-lieux",
                "organizer_name": "Compagnie des Tiers-lieux",
                "organizer_email": "bonjour@example.org",
                "tags": ["convivial", "réseau"],
            },
        ),
        (
            None,
            {
                "slug": "rencontre-annuelle-du-reseau",
                "title": "Rencontre annuelle du réseau",
                "kind": "meetup",
                "summary": "La journée où tout le réseau se retrouve : bilan, ateliers et assemblée.",
                "start": assembly,
                "end": assembly + timedelta(hours=8),
                "street_address": "Salle des fêtes, 1 place de la République",
                "commune_code": "59350",
                "capacity": 3,
                "accessibility": "Salle de plain-pied, boucle magnétique à l'accueil.",
                "organizer_name": "Compagnie des Tiers-lieux",
                "tags": ["réseau"],
                "picture": ("evenement", "Illustration : l'agenda du réseau et des personnes réunies"),
            },
        ),
        (
            None,
            {
                "slug": "webinaire-financer-son-tiers-lieu",
                "title": "Webinaire : financer son tiers-lieu",
                "kind": "talk",
                "summary": "Subventions, prestations, mécénat : tour d'horizon en une heure.",
                "start": webinar,
                "end": webinar + timedelta(hours=1),
                "attendance_mode": "online",
                "online_url": "https://visio.example.org/financer",
                "tags": ["financement"],
                "picture": (
                    "mediation_numerique",
                    "Illustration : un écran pour suivre le webinaire en ligne",
                ),
            },
        ),
        (
            "la-fabrique-des-possibles",
            {
                "slug": "initiation-impression-3d",
                "title": "Initiation à l'impression 3D",
                "kind": "workshop",
                "summary": "Deux heures pour modéliser et imprimer votre premier objet.",
                "start": workshop,
                "end": workshop + timedelta(hours=2),
                "repeat": "weekly",
                "repeat_interval": 2,
                "repeat_count": 4,
                "capacity": 2,
                "is_free": False,
                "price": "5 € (gratuit pour les adhérents)",
                "tags": ["impression 3D"],
            },
        ),
        (
            "le-comptoir-partage",
            {
                "slug": "portes-ouvertes",
                "title": "Portes ouvertes du Comptoir",
                "kind": "open_day",
                "summary": "Visitez le coworking et rencontrez ses habitants autour d'un café.",
                "start": open_day,
                "end": open_day + timedelta(hours=6),
                "registration_enabled": False,
            },
        ),
    ]


def _more_demo_events():
    """Workshops, open days and public visits to come, then past events for the archives."""
    compost = _next_weekday(5, after_days=18, at=time(10, 0))  # Saturdays
    repair = _next_weekday(1, after_days=8, at=time(18, 0))  # Tuesdays
    sewing = _next_weekday(2, after_days=44, at=time(14, 0))
    serre_open = _next_weekday(5, after_days=33, at=time(10, 0))
    labo_open = _next_weekday(5, after_days=68, at=time(14, 0))
    ruche_visit = _next_weekday(4, after_days=14, at=time(15, 0))  # a Friday
    maison_visit = _next_weekday(3, after_days=48, at=time(17, 0))
    quai_visit = _next_weekday(2, after_days=78, at=time(10, 30))
    laser = _next_weekday(2, after_days=-24, at=time(18, 0))
    back_to_school = _next_weekday(3, after_days=-50, at=time(18, 30))
    etabli_open = _next_weekday(5, after_days=-33, at=time(10, 0))
    bureau_visit = _next_weekday(4, after_days=-12, at=time(11, 0))
    return [
        (
            "atelier-des-mains-vertes",
            {
                "slug": "atelier-compost-et-semis",
                "title": "Atelier compost et semis",
                "kind": "workshop",
                "summary": "Lancer son compost et préparer les semis de saison avec l'équipe du jardin.",
                "start": compost,
                "end": compost + timedelta(hours=2, minutes=30),
                "capacity": 8,
                "audience": "Tout public, enfants bienvenus",
                "tags": ["jardin", "zéro déchet"],
            },
        ),
        (
            "le-grenier-numerique",
            {
                "slug": "atelier-reparer-son-ordinateur",
                "title": "Atelier : réparer son ordinateur",
                "kind": "workshop",
                "summary": "Apportez votre ordinateur lent ou en panne : "
                "on le démonte et on le répare ensemble.",
                "start": repair,
                "end": repair + timedelta(hours=2),
                "repeat": "weekly",
                "repeat_interval": 3,
                "repeat_count": 4,
                "capacity": 6,
                "tags": ["réparation", "numérique"],
            },
        ),
        (
            "les-ateliers-du-canal",
            {
                "slug": "atelier-couture-zero-dechet",
                "title": "Atelier couture zéro déchet",
                "kind": "workshop",
                "summary": "Tote bags, bee wraps et sacs à vrac cousus dans des chutes de tissu.",
                "start": sewing,
                "end": sewing + timedelta(hours=3),
                "capacity": 10,
                "is_free": False,
                "price": "Prix libre",
                "tags": ["couture", "zéro déchet"],
            },
        ),
        (
            "la-serre-numerique",
            {
                "slug": "portes-ouvertes-de-la-serre",
                "title": "Portes ouvertes de la Serre numérique",
                "kind": "open_day",
                "summary": "Découvrez l'espace public numérique, ses permanences et ses ateliers.",
                "start": serre_open,
                "end": serre_open + timedelta(hours=7),
                "registration_enabled": False,
            },
        ),
        (
            "labo-citoyen-des-weppes",
            {
                "slug": "portes-ouvertes-du-labo-citoyen",
                "title": "Portes ouvertes du Labo citoyen",
                "kind": "open_day",
                "summary": "Un après-midi pour rencontrer les collectifs qui font vivre le Labo.",
                "start": labo_open,
                "end": labo_open + timedelta(hours=4),
                "registration_enabled": False,
            },
        ),
        (
            "la-ruche-de-seclin",
            {
                "slug": "visite-guidee-de-la-ruche",
                "title": "Visite guidée de la Ruche",
                "kind": "visit",
                "summary": "Une heure avec l'équipe pour découvrir le lieu, "
                "son histoire et son modèle économique.",
                "start": ruche_visit,
                "end": ruche_visit + timedelta(hours=1),
                "capacity": 2,
                "audience": "Porteurs et porteuses de projet de tiers-lieu",
                "tags": ["visite"],
            },
        ),
        (
            "maison-commune-des-initiatives",
            {
                "slug": "visite-guidee-de-la-maison-commune",
                "title": "Visite guidée de la Maison commune",
                "kind": "visit",
                "summary": "Tour des espaces partagés et rencontre avec les associations résidentes.",
                "start": maison_visit,
                "end": maison_visit + timedelta(hours=1, minutes=30),
                "capacity": 12,
                "tags": ["visite"],
            },
        ),
        (
            "le-quai-des-curieux",
            {
                "slug": "visite-des-ateliers-du-quai",
                "title": "Visite des ateliers du Quai",
                "kind": "visit",
                "summary": "Les artisans du Quai ouvrent leurs ateliers le temps d'une matinée.",
                "start": quai_visit,
                "end": quai_visit + timedelta(hours=2),
                "capacity": 15,
                "tags": ["visite"],
            },
        ),
        # -- past, for the archives
        (
            "la-fabrique-des-possibles",
            {
                "slug": "initiation-decoupe-laser",
                "title": "Initiation à la découpe laser",
                "kind": "workshop",
                "summary": "Préparer un fichier vectoriel et découper son premier objet.",
                "start": laser,
                "end": laser + timedelta(hours=2),
                "capacity": 6,
                "tags": ["découpe laser"],
            },
        ),
        (
            None,
            {
                "slug": "rencontre-de-rentree-du-reseau",
                "title": "Rencontre de rentrée du réseau",
                "kind": "meetup",
                "summary": "Les nouvelles du réseau et les projets de l'année, autour d'un buffet partagé.",
                "start": back_to_school,
                "end": back_to_school + timedelta(hours=3),
                "venue_slug": "la-fabrique-des-possibles",
                "capacity": 50,
                "organizer_name": "Compagnie des Tiers-lieux",
                "tags": ["réseau"],
            },
        ),
        (
            "letabli-solidaire",
            {
                "slug": "portes-ouvertes-de-letabli",
                "title": "Portes ouvertes de l'Établi",
                "kind": "open_day",
                "summary": "Démonstrations de l'atelier bois et de la recyclerie.",
                "start": etabli_open,
                "end": etabli_open + timedelta(hours=6),
                "registration_enabled": False,
            },
        ),
        (
            "le-bureau-da-cote",
            {
                "slug": "visite-du-bureau-da-cote",
                "title": "Visite du Bureau d'à côté",
                "kind": "visit",
                "summary": "Visite du coworking rural et échange sur son modèle.",
                "start": bureau_visit,
                "end": bureau_visit + timedelta(hours=1),
                "capacity": 10,
                "tags": ["visite"],
            },
        ),
    ]


# (email, event slug, index of the upcoming date): upcoming registrations, made through
# the service. membre@ stays free for the visits, the open days and most workshops.
UPCOMING_REGISTRATIONS = (
    ("membre@example.org", "apero-des-tiers-lieux", 0),
    ("porteur@example.org", "apero-des-tiers-lieux", 0),
    ("membre@example.org", "initiation-impression-3d", 0),
    ("porteur@example.org", "initiation-impression-3d", 0),
    ("lieu@example.org", "rencontre-annuelle-du-reseau", 0),
    ("lieu@example.org", "initiation-impression-3d", 0),  # 2 seats: the waiting list
    ("lieu@example.org", "visite-guidee-de-la-ruche", 0),
    ("porteur@example.org", "visite-guidee-de-la-ruche", 0),
    ("equipe@example.org", "visite-guidee-de-la-ruche", 0),  # 2 seats: the waiting list
    ("porteur@example.org", "atelier-compost-et-semis", 0),
    ("lieu@example.org", "atelier-compost-et-semis", 0),
    ("membre@example.org", "atelier-reparer-son-ordinateur", 0),
    ("lieu@example.org", "atelier-reparer-son-ordinateur", 1),
    ("equipe@example.org", "visite-guidee-de-la-maison-commune", 0),
    ("porteur@example.org", "visite-guidee-de-la-maison-commune", 0),
)

# Past events: who came. The services refuse a registration to a date that has begun,
# so this history is written directly (demo data only).
PAST_ATTENDANCE = (
    ("initiation-decoupe-laser", ("membre@example.org", "porteur@example.org", "lieu@example.org")),
    ("rencontre-de-rentree-du-reseau", ("membre@example.org", "lieu@example.org", "equipe@example.org")),
    ("visite-du-bureau-da-cote", ("porteur@example.org",)),
)


def _other_demo_users(User, known):
    """Further verified demo accounts other apps created (mentoring's newcomers...), a few."""
    return list(
        User.objects.filter(email__endswith="@example.org", emailaddress__verified=True)
        .exclude(email__in=known)
        .order_by("email")[:6]
    )


def seed_events(stdout=None):
    """Create the demo events once (existing ones are left as they are) and a few registrations."""
    from members.demo import demo_image
    from members.models import Commune, User, VenuePage

    agenda = EventIndexPage.objects.first()
    if agenda is None:
        return {}
    staff = User.objects.filter(email="equipe@example.org").first()
    events = {}
    for venue_slug, fields in [*_demo_events(), *_more_demo_events()]:
        fields = dict(fields)
        parent = agenda if venue_slug is None else VenuePage.objects.filter(slug=venue_slug).first()
        if parent is None:
            continue
        existing = EventPage.objects.child_of(parent).filter(slug=fields["slug"]).first()
        if existing is not None:
            events[fields["slug"]] = existing
            continue
        tags = fields.pop("tags", [])
        picture = fields.pop("picture", None)
        at_venue = fields.pop("venue_slug", None)
        commune_code = fields.pop("commune_code", None)
        page = EventPage(**fields)
        if at_venue:
            page.venue = VenuePage.objects.filter(slug=at_venue).first()
        if commune_code:
            page.commune = Commune.objects.filter(insee_code=commune_code).first()
        if picture:  # the project's illustration, stored as a Wagtail image (members.demo)
            page.image, page.image_alt = demo_image(picture[0]), picture[1]
        parent.add_child(instance=page)
        page.tags.set(tags)
        page.save_revision(user=staff).publish(user=staff)  # page_published -> occurrences
        events[page.slug] = page
        if stdout:
            stdout.write(f"  event {page.title}")
    users = {user.email: user for user in User.objects.filter(email__endswith="@example.org")}
    for email, slug, index in UPCOMING_REGISTRATIONS:
        _register(users.get(email), events.get(slug), index)
    # Other demo accounts fill part of the bigger workshops and visits.
    others = _other_demo_users(User, {email for email, _slug, _index in UPCOMING_REGISTRATIONS})
    for slug, how_many in (("atelier-couture-zero-dechet", 4), ("visite-des-ateliers-du-quai", 3)):
        for user in others[:how_many]:
            _register(user, events.get(slug), 0)
    for slug, emails in PAST_ATTENDANCE:
        event = events.get(slug)
        occurrence = event.occurrences.past().first() if event else None
        if occurrence is None:
            continue
        for email in emails:
            if email in users:
                Registration.objects.get_or_create(
                    occurrence=occurrence,
                    user=users[email],
                    defaults={"status": RegistrationStatus.CONFIRMED, "attended": True},
                )
    return events


def _register(user, event, index):
    occurrence = event.occurrences.upcoming()[index : index + 1].first() if event else None
    if user is None or occurrence is None:
        return
    with suppress(ServiceError):  # already registered (second run) or closed
        register_for_event(occurrence, by=user)
