"""Demo events for ``manage.py seed_demo``: network meetups (one recurring), venue events, registrations."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from events.errors import ServiceError
from events.models import EventIndexPage, EventPage
from events.services import register_for_event


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


def seed_events(stdout=None):
    """Create the demo events once (existing ones are left as they are) and a few registrations."""
    from members.models import Commune, User, VenuePage

    agenda = EventIndexPage.objects.first()
    if agenda is None:
        return {}
    staff = User.objects.filter(email="equipe@example.org").first()
    events = {}
    for venue_slug, fields in _demo_events():
        fields = dict(fields)
        parent = agenda if venue_slug is None else VenuePage.objects.filter(slug=venue_slug).first()
        if parent is None:
            continue
        existing = EventPage.objects.child_of(parent).filter(slug=fields["slug"]).first()
        if existing is not None:
            events[fields["slug"]] = existing
            continue
        tags = fields.pop("tags", [])
        at_venue = fields.pop("venue_slug", None)
        commune_code = fields.pop("commune_code", None)
        page = EventPage(**fields)
        if at_venue:
            page.venue = VenuePage.objects.filter(slug=at_venue).first()
        if commune_code:
            page.commune = Commune.objects.filter(insee_code=commune_code).first()
        parent.add_child(instance=page)
        page.tags.set(tags)
        page.save_revision(user=staff).publish(user=staff)  # page_published -> occurrences
        events[page.slug] = page
        if stdout:
            stdout.write(f"  event {page.title}")
    for email, slug, index in (
        ("membre@example.org", "apero-des-tiers-lieux", 0),
        ("porteur@example.org", "apero-des-tiers-lieux", 0),
        ("membre@example.org", "initiation-impression-3d", 0),
        ("porteur@example.org", "initiation-impression-3d", 0),
        ("lieu@example.org", "rencontre-annuelle-du-reseau", 0),
        ("lieu@example.org", "initiation-impression-3d", 0),  # 2 seats: the waiting list
    ):
        user, event = User.objects.filter(email=email).first(), events.get(slug)
        occurrence = event.occurrences.upcoming()[index : index + 1].first() if event else None
        if user is None or occurrence is None:
            continue
        try:
            register_for_event(occurrence, by=user)
        except ServiceError:
            continue  # already registered (second run) or closed
    return events
