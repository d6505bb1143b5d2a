"""Demo compagnonnage for ``manage.py seed_demo`` (idempotent): four mentor venues,
three requests (two from porteur@example.org), one pending proposal, one active pairing
with a planned visit (a private event of the mentor venue)."""

import datetime

from django.utils import timezone

from members.models import Commune, User, VenuePage
from mentoring import services
from mentoring.models import MentoringRequest, MentorProfile

DEMO_MENTORS = {
    "la-fabrique-des-possibles": {
        "expertise": ["fabrication_numerique", "animation_communaute", "financement", "amenagement"],
        "stages": ["idee", "recherche_lieu", "prefiguration", "ouvert_moins_1an"],
        "legal_forms": ["association"],
        "capacity": 2,
        "formats": ["sur_place", "visio"],
        "availability": "le mardi et le jeudi après-midi",
    },
    "maison-commune-des-initiatives": {
        "expertise": ["modele_economique", "statut_juridique", "gouvernance", "partenariats_collectivites"],
        "stages": ["idee", "prefiguration", "ouvert_moins_1an", "ouvert_1_3ans"],
        "legal_forms": ["association", "cooperative", "commune"],
        "capacity": 3,
        "formats": ["sur_place", "visio"],
        "availability": "sur rendez-vous en semaine",
    },
    "la-ruche-de-seclin": {
        "expertise": ["modele_economique", "communication", "amenagement"],
        "stages": ["recherche_lieu", "ouvert_moins_1an"],
        "legal_forms": ["entreprise"],
        "capacity": 1,
        "formats": ["visio"],
        "availability": "le vendredi matin",
        "accepts_visits": False,
    },
    "la-serre-numerique": {
        "expertise": [
            "mediation_numerique",
            "financement",
            "partenariats_collectivites",
            "animation_communaute",
        ],
        "stages": ["idee", "prefiguration"],
        "legal_forms": ["association", "etablissement_public"],
        "capacity": 2,
        "formats": ["sur_place"],
        "availability": "le mercredi",
    },
}

DEMO_REQUESTS = [
    {
        "email": "porteur@example.org",
        "project_name": "Le Café des Voisins",
        "description": "Un café associatif avec un coin atelier de réparation et un espace de travail "
        "partagé, "
        "dans une ancienne quincaillerie du quartier.",
        "stage": "recherche_lieu",
        "activities": ["culture_cafe", "coworking"],
        "needs": ["modele_economique", "statut_juridique", "amenagement"],
        "commune": "59009",
        "legal_form": "association",
        "preferred_format": "sur_place",
        "availability": "le soir après 18 h",
    },
    {
        "email": "porteur@example.org",
        "project_name": "Numérique pour tous aux Weppes",
        "description": "Un espace de médiation numérique itinérant qui se pose dans les mairies "
        "des villages, "
        "avec des ateliers pour les aînés et les demandeurs d'emploi.",
        "stage": "idee",
        "activities": ["mediation_numerique"],
        "needs": ["mediation_numerique", "financement", "partenariats_collectivites"],
        "commune": "59011",
        "in_qpv": False,
        "legal_form": "",
        "preferred_format": "",
        "propose": True,  # a proposal waiting for staff review
    },
    {
        "email": "membre@example.org",
        "project_name": "L'Atelier Vélo du Faubourg",
        "description": "Un atelier d'autoréparation de vélos avec des outils partagés, des bénévoles et une "
        "petite fabrication de pièces en impression 3D.",
        "stage": "prefiguration",
        "activities": ["atelier_partage", "fablab"],
        "needs": ["fabrication_numerique", "animation_communaute", "financement"],
        "commune": "59512",
        "in_qpv": True,
        "legal_form": "association",
        "preferred_format": "sur_place",
        "pair_with": "la-fabrique-des-possibles",
    },
]


def seed_mentoring(stdout=None):
    staff = User.objects.filter(email="equipe@example.org").first()
    if staff is None:
        return {}
    venues = {v.slug: v for v in VenuePage.objects.filter(slug__in=DEMO_MENTORS)}
    profiles = {}
    for slug, data in DEMO_MENTORS.items():
        venue = venues.get(slug)
        if venue is None:
            continue
        profile = MentorProfile.objects.filter(venue=venue).first()
        if profile is None:
            profile = services.save_mentor_profile(venue, data, by=staff)
            if stdout:
                stdout.write(f"  mentor venue {venue.title}")
        profiles[slug] = profile
    communes = {
        c.insee_code: c for c in Commune.objects.filter(insee_code__in=[r["commune"] for r in DEMO_REQUESTS])
    }
    for spec in DEMO_REQUESTS:
        spec = dict(spec)
        applicant = User.objects.filter(email=spec.pop("email")).first()
        propose, pair_with = spec.pop("propose", False), spec.pop("pair_with", None)
        if (
            applicant is None
            or MentoringRequest.objects.filter(
                applicant=applicant, project_name=spec["project_name"]
            ).exists()
        ):
            continue
        spec["commune"] = communes[spec["commune"]]
        request = services.submit_request(spec, by=applicant)
        if stdout:
            stdout.write(f"  mentoring request {request.project_name}")
        if propose:
            from mentoring.adapters import suggestions_for

            found = suggestions_for(request, limit=1)
            if found:
                services.propose_pairing(request, found[0][0], by=staff)
        elif pair_with and pair_with in profiles:
            _pair(request, profiles[pair_with], staff, applicant)
    return profiles


def _pair(request, profile, staff, applicant):
    venue = profile.venue
    manager = User.objects.filter(groups=venue.manager_group_id).first() if venue.manager_group_id else None
    if manager is None:
        return None
    proposal = services.approve_proposal(services.propose_pairing(request, profile, by=staff), by=staff)
    pairing = services.accept_proposal(proposal, by=manager)
    services.log_checkin(
        pairing,
        {
            "date": timezone.localdate() - datetime.timedelta(days=7),
            "notes": "Première rencontre à l'atelier : tour des machines et des besoins du projet.",
            "next_steps": "Lister les outils à acheter ; contacter la mairie de quartier.",
        },
        by=applicant,
    )
    if profile.accepts_visits:
        visit_day = timezone.localdate() + datetime.timedelta(days=10)
        services.plan_visit(
            pairing,
            {
                "visit_at": timezone.make_aware(datetime.datetime.combine(visit_day, datetime.time(14, 0))),
                "visit_notes": "Rendez-vous à l'accueil de l'atelier.",
            },
            by=manager,
        )
    return pairing
