"""Demo compagnonnage for ``manage.py seed_demo`` (idempotent).

- mentor profiles on about a third of the live demo venues: the four described below, the
  venues flagged "offers mentoring", the ones that already have a profile, then every third
  venue by title until a third is reached (saved through ``save_mentor_profile`` so the
  directory flag follows);
- 20 requests (one by porteur@example.org, the others by demo newcomers porteur2@ ...
  porteur20@example.org) across the MEL, at every stage: open, proposed (pending staff
  review or awaiting the mentor's answer), paired (check-ins, one planned visit),
  withdrawn, closed with feedback.

Everything goes through ``mentoring.services``, so states stay consistent. A request is
keyed by applicant and project name: an existing one is left as it is.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from members.models import Commune, User, VenuePage
from mentoring import services
from mentoring.errors import ServiceError
from mentoring.models import MentoringRequest, MentorProfile

DEMO_MENTORS = {
    "la-fabrique-des-possibles": {
        "expertise": ["fabrication_numerique", "animation_communaute", "financement", "amenagement"],
        "stages": ["idee", "recherche_lieu", "prefiguration", "ouvert_moins_1an"],
        "legal_forms": ["association"],
        "capacity": 4,
        "formats": ["sur_place", "visio"],
        "availability": "le mardi et le jeudi après-midi",
    },
    "maison-commune-des-initiatives": {
        "expertise": ["modele_economique", "statut_juridique", "gouvernance", "partenariats_collectivites"],
        "stages": ["idee", "prefiguration", "ouvert_moins_1an", "ouvert_1_3ans"],
        "legal_forms": ["association", "cooperative", "commune"],
        "capacity": 4,
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

# Profiles of the other chosen venues, varied by their place in the title order.
EXPERTISE_BY_ACTIVITY = {
    "coworking": ["modele_economique", "communication", "gouvernance"],
    "atelier_partage": ["amenagement", "animation_communaute", "financement"],
    "fablab": ["fabrication_numerique", "amenagement", "financement"],
    "culture_cafe": ["programmation_culturelle", "communication", "modele_economique"],
    "accompagnement": ["statut_juridique", "modele_economique", "partenariats_collectivites"],
    "mediation_numerique": ["mediation_numerique", "partenariats_collectivites", "financement"],
    "living_lab": ["gouvernance", "partenariats_collectivites", "animation_communaute"],
}
STAGE_SETS = [
    ["idee", "recherche_lieu", "prefiguration"],
    ["prefiguration", "ouvert_moins_1an"],
    ["recherche_lieu", "prefiguration", "ouvert_moins_1an", "ouvert_1_3ans"],
    ["idee", "ouvert_moins_1an", "ouvert_1_3ans"],
]
LEGAL_FORM_SETS = [
    ["association"],
    ["association", "cooperative"],
    ["entreprise"],
    ["commune", "etablissement_public"],
    ["association", "entreprise"],
]
FORMAT_SETS = [["sur_place", "visio"], ["sur_place"], ["visio"]]
AVAILABILITIES = [
    "le lundi matin",
    "en fin de journée, sur rendez-vous",
    "le mercredi après-midi",
    "un samedi par mois",
    "le jeudi, entre midi et deux",
]

# Venue teams who answer proposals, for the mentor venues the demo pairs and that have no manager.
MENTOR_TEAMS = {
    "maison-commune-des-initiatives": ("lieu-maison-commune@example.org", "Nadia, Maison Commune"),
    "la-serre-numerique": ("lieu-serre@example.org", "Yanis, La Serre Numérique"),
    "la-ruche-de-seclin": ("lieu-ruche@example.org", "Claire, La Ruche de Seclin"),
}

CHECKINS = [
    (
        "Première rencontre au lieu : tour des espaces, des outils et des besoins du projet.",
        "Lister les dépenses de départ ; prendre contact avec la mairie.",
    ),
    (
        "Point sur le budget prévisionnel et les premières pistes de financement.",
        "Déposer un dossier à l'appel à projets de la MEL ; revoir les tarifs.",
    ),
    (
        "Échange avec deux bénévoles du lieu sur l'animation de la communauté.",
        "Organiser une journée portes ouvertes test avant l'été.",
    ),
]


def _request(email, name, project, description, stage, activities, needs, commune, **more):
    """One demo request; ``then`` says how far it goes (open, review, awaiting, paired, withdrawn, closed)."""
    return {
        "email": email,
        "name": name,
        "project_name": project,
        "description": description,
        "stage": stage,
        "activities": activities,
        "needs": needs,
        "commune": commune,
        **more,
    }


DEMO_REQUESTS = [
    # Paired (active), with check-ins; the first one also with a planned visit.
    _request(
        "porteur@example.org",
        None,
        "Le Café des Voisins",
        "Un café associatif avec un coin atelier de réparation et un espace de travail partagé, "
        "dans une ancienne quincaillerie du quartier.",
        "recherche_lieu",
        ["culture_cafe", "coworking"],
        ["amenagement", "animation_communaute", "financement"],
        "59009",
        legal_form="association",
        preferred_format="sur_place",
        availability="le soir après 18 h",
        then="paired",
        mentor="la-fabrique-des-possibles",
        checkins=2,
        visit=True,
    ),
    _request(
        "porteur2@example.org",
        "Karim Benali",
        "L'Atelier Vélo du Faubourg",
        "Un atelier d'autoréparation de vélos avec des outils partagés, des bénévoles et une petite "
        "fabrication de pièces en impression 3D.",
        "prefiguration",
        ["atelier_partage", "fablab"],
        ["fabrication_numerique", "animation_communaute", "financement"],
        "59512",
        in_qpv=True,
        legal_form="association",
        preferred_format="sur_place",
        then="paired",
        mentor="la-fabrique-des-possibles",
        checkins=3,
    ),
    _request(
        "porteur3@example.org",
        "Aïcha Diallo",
        "La Boussole",
        "Un lieu d'accueil pour les jeunes du quartier : permanences emploi, bureaux pour les "
        "associations et une salle pour les ateliers du soir.",
        "idee",
        ["accompagnement", "coworking"],
        ["statut_juridique", "partenariats_collectivites", "gouvernance"],
        "59650",
        in_qpv=True,
        legal_form="association",
        then="paired",
        mentor="maison-commune-des-initiatives",
        checkins=1,
    ),
    _request(
        "porteur5@example.org",
        "Lucie Martin",
        "Clic & Lien",
        "Des ateliers numériques pour les seniors et les familles, en lien avec le centre social, "
        "avec un prêt de tablettes.",
        "prefiguration",
        ["mediation_numerique"],
        ["mediation_numerique", "financement", "partenariats_collectivites"],
        "59299",
        in_qpv=True,
        legal_form="association",
        preferred_format="sur_place",
        then="paired",
        mentor="la-serre-numerique",
        checkins=2,
    ),
    _request(
        "porteur6@example.org",
        "Thomas Leroy",
        "Le Cowork du Mélantois",
        "Quelques bureaux partagés dans l'ancienne école du village, pour les télétravailleurs qui "
        "ne veulent plus prendre la route de Lille chaque jour.",
        "recherche_lieu",
        ["coworking"],
        ["modele_economique", "communication"],
        "59523",
        legal_form="entreprise",
        preferred_format="visio",
        then="paired",
        mentor="la-ruche-de-seclin",
        checkins=1,
    ),
    # Closed, with feedback.
    _request(
        "porteur4@example.org",
        "Élodie Vandamme",
        "Le Fournil des Weppes",
        "Une épicerie-café dans l'ancienne boulangerie du village, avec un dépôt de produits "
        "locaux et un coin lecture.",
        "ouvert_moins_1an",
        ["culture_cafe"],
        ["modele_economique", "statut_juridique", "gouvernance"],
        "59257",
        legal_form="cooperative",
        then="closed",
        mentor="maison-commune-des-initiatives",
        checkins=3,
        feedback="Six mois très utiles : la SCIC est créée, les statuts sont votés et l'épicerie a "
        "ouvert en septembre. Merci à toute l'équipe de la Maison Commune !",
    ),
    # Proposed, pending staff review.
    _request(
        "porteur7@example.org",
        "Sophie Lambert",
        "La Recyclerie du Pont",
        "Une recyclerie avec un atelier de remise en état de meubles et une boutique solidaire, "
        "près de la gare.",
        "recherche_lieu",
        ["atelier_partage", "culture_cafe"],
        ["amenagement", "modele_economique", "financement"],
        "59017",
        legal_form="association",
        then="review",
    ),
    _request(
        "porteur8@example.org",
        "Julien Desmet",
        "Les Établis de Quesnoy",
        "Un atelier partagé de menuiserie et de petite mécanique pour les habitants, dans un "
        "hangar prêté par la commune.",
        "idee",
        ["atelier_partage"],
        ["amenagement", "partenariats_collectivites"],
        "59482",
        then="review",
    ),
    _request(
        "porteur9@example.org",
        "Inès Moreau",
        "Scène Ouverte",
        "Un café culturel avec une petite scène pour les groupes amateurs, des scènes ouvertes et "
        "des soirées jeux.",
        "prefiguration",
        ["culture_cafe"],
        ["programmation_culturelle", "communication", "modele_economique"],
        "59332",
        legal_form="association",
        preferred_format="sur_place",
        then="review",
    ),
    # Proposed, approved by staff, awaiting the mentor's answer.
    _request(
        "porteur10@example.org",
        "Mehdi Haddad",
        "Fab'Jeunes",
        "Un fab lab pour les 15-25 ans : initiation à la découpe laser et à l'électronique, "
        "projets avec les collèges du secteur.",
        "idee",
        ["fablab", "mediation_numerique"],
        ["fabrication_numerique", "financement", "animation_communaute"],
        "59360",
        in_qpv=True,
        legal_form="association",
        then="awaiting",
    ),
    _request(
        "porteur11@example.org",
        "Pauline Caron",
        "Terre & Écrans",
        "Un living lab avec les agriculteurs du secteur : outils numériques, circuits courts et "
        "rencontres avec les habitants.",
        "idee",
        ["living_lab"],
        ["partenariats_collectivites", "gouvernance", "mediation_numerique"],
        "59653",
        preferred_format="visio",
        then="awaiting",
    ),
    # Withdrawn by its applicant.
    _request(
        "porteur12@example.org",
        "Nicolas Petit",
        "La Halle Gourmande",
        "Une cuisine partagée pour les traiteurs et les restaurateurs qui se lancent, avec une "
        "salle de dégustation.",
        "recherche_lieu",
        ["atelier_partage", "culture_cafe"],
        ["modele_economique", "amenagement"],
        "59163",
        legal_form="entreprise",
        then="withdrawn",
    ),
    # Open, waiting for a proposal.
    _request(
        "porteur13@example.org",
        "Fatou Ndiaye",
        "Les Mains Agiles",
        "Un atelier de couture solidaire : machines en accès libre, cours du soir et petites "
        "séries pour les créatrices du quartier.",
        "prefiguration",
        ["atelier_partage"],
        ["financement", "animation_communaute"],
        "59599",
        in_qpv=True,
        legal_form="association",
        preferred_format="sur_place",
        availability="le samedi matin",
    ),
    _request(
        "porteur14@example.org",
        "Antoine Dubois",
        "Le Bureau Frontalier",
        "Un coworking à deux pas de la frontière belge, pour les travailleurs des deux côtés de la Lys.",
        "recherche_lieu",
        ["coworking"],
        ["modele_economique", "communication"],
        "59152",
        legal_form="entreprise",
    ),
    _request(
        "porteur15@example.org",
        "Chantal Lefebvre",
        "Le Grenier des Savoirs",
        "Un espace de médiation numérique et d'aide aux démarches dans la médiathèque, avec un "
        "café tenu par des bénévoles.",
        "idee",
        ["mediation_numerique", "culture_cafe"],
        ["mediation_numerique", "partenariats_collectivites"],
        "59051",
        legal_form="commune",
    ),
    _request(
        "porteur16@example.org",
        "Samir Bouzid",
        "Repair Café des Moulins",
        "Un repair café chaque semaine et un atelier d'électronique pour réparer plutôt que jeter.",
        "prefiguration",
        ["atelier_partage", "fablab"],
        ["fabrication_numerique", "animation_communaute"],
        "59350",
        in_qpv=True,
        legal_form="association",
    ),
    _request(
        "porteur17@example.org",
        "Hélène Roussel",
        "La Bricothèque",
        "Une bibliothèque d'outils : on emprunte une perceuse comme on emprunte un livre, avec des "
        "ateliers d'initiation le week-end.",
        "idee",
        ["atelier_partage"],
        ["statut_juridique", "amenagement"],
        "59044",
        availability="le week-end",
    ),
    _request(
        "porteur18@example.org",
        "Maxime Delattre",
        "Studio Bleu",
        "Un studio de musique et de podcast partagé, avec une salle de répétition et des "
        "résidences pour les jeunes artistes.",
        "recherche_lieu",
        ["culture_cafe"],
        ["programmation_culturelle", "financement", "amenagement"],
        "59386",
        legal_form="association",
    ),
    _request(
        "porteur19@example.org",
        "Marion Dupont",
        "La Ferme Connectée",
        "Un tiers-lieu à la ferme : coworking, ateliers de cuisine et vente directe, à la "
        "campagne mais bien relié.",
        "idee",
        ["coworking", "culture_cafe"],
        ["modele_economique", "partenariats_collectivites", "financement"],
        "59025",
        preferred_format="visio",
    ),
    _request(
        "porteur20@example.org",
        "Léa Vasseur",
        "Le Petit Plateau",
        "Un lieu pour les parents et les tout-petits : espace de jeu, coworking avec garde "
        "partagée et ateliers parentalité.",
        "prefiguration",
        ["coworking", "accompagnement"],
        ["modele_economique", "gouvernance", "communication"],
        "59328",
        legal_form="cooperative",
    ),
]


def seed_mentoring(stdout=None):
    staff = User.objects.filter(email="equipe@example.org").first()
    if staff is None:
        return {}
    profiles = _seed_profiles(staff, stdout)
    communes = {
        c.insee_code: c for c in Commune.objects.filter(insee_code__in=[r["commune"] for r in DEMO_REQUESTS])
    }
    # Pairings first, so the proposals suggested afterwards see the slots they hold.
    ordered = sorted(DEMO_REQUESTS, key=lambda spec: spec.get("then") not in ("paired", "closed"))
    for spec in ordered:
        spec = dict(spec)
        email, name, then = spec.pop("email"), spec.pop("name"), spec.pop("then", "open")
        mentor_slug = spec.pop("mentor", None)
        plan = {key: spec.pop(key) for key in ("checkins", "visit", "feedback") if key in spec}
        commune = communes.get(spec["commune"])
        applicant = _account(email, name, commune) if name else User.objects.filter(email=email).first()
        if (
            applicant is None
            or commune is None
            or MentoringRequest.objects.filter(
                applicant=applicant, project_name=spec["project_name"]
            ).exists()
        ):
            continue
        spec["commune"] = commune
        request = services.submit_request(spec, by=applicant)
        if stdout:
            stdout.write(f"  mentoring request {request.project_name}")
        try:
            _advance(request, then, profiles.get(mentor_slug), plan, staff=staff, applicant=applicant)
        except ServiceError as error:  # e.g. a mentor left full by hand-made demo data: stay open
            if stdout:
                stdout.write(f"    left as is: {error.message}")
    return profiles


def _seed_profiles(staff, stdout):
    """Profiles on about a third of the live venues (deterministic); existing ones are left alone."""
    venues = list(VenuePage.objects.live().order_by("title", "pk"))
    existing = {p.venue_id: p for p in MentorProfile.objects.filter(venue__in=venues)}
    chosen = [v for v in venues if v.slug in DEMO_MENTORS or v.offers_mentoring or v.pk in existing]
    target = round(len(venues) / 3)
    for venue in venues[::3] + venues:
        if len(chosen) >= target:
            break
        if venue not in chosen:
            chosen.append(venue)
    profiles = {}
    for venue in sorted(chosen, key=venues.index):
        profile = existing.get(venue.pk)
        if profile is None:
            data = DEMO_MENTORS.get(venue.slug) or _generated_profile(venue, venues.index(venue))
            profile = services.save_mentor_profile(venue, data, by=staff)
            if stdout:
                stdout.write(f"  mentor venue {venue.title}")
        profiles[venue.slug] = profile
    return profiles


def _generated_profile(venue, rank):
    expertise = EXPERTISE_BY_ACTIVITY.get(venue.main_activity, ["modele_economique", "communication"])
    extra = ["financement", "gouvernance", "communication", "statut_juridique"][rank % 4]
    return {
        "expertise": list(dict.fromkeys([*expertise[: 2 + rank % 2], extra])),
        "stages": STAGE_SETS[rank % len(STAGE_SETS)],
        "legal_forms": LEGAL_FORM_SETS[rank % len(LEGAL_FORM_SETS)],
        "capacity": 1 + rank % 4,
        "formats": FORMAT_SETS[rank % len(FORMAT_SETS)],
        "availability": AVAILABILITIES[rank % len(AVAILABILITIES)],
        "accepts_visits": rank % 5 != 4,
    }


def _account(email, name, commune):
    """A demo account (email verified, demo password), created once."""
    user, _created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "commune": commune}
    )
    if _created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _manager(profile, staff):
    """Someone who answers for the mentor venue: its first manager, or its demo team account."""
    from members.services import attach_manager

    venue = profile.venue
    if venue.manager_group_id:
        manager = User.objects.filter(groups=venue.manager_group_id, is_active=True).order_by("pk").first()
        if manager is not None:
            return manager
    if venue.slug not in MENTOR_TEAMS:
        return None
    email, name = MENTOR_TEAMS[venue.slug]
    manager = _account(email, name, venue.commune)
    attach_manager(venue, manager, by=staff)
    venue.refresh_from_db(fields=["manager_group"])
    return manager


def _advance(request, then, profile, plan, *, staff, applicant):
    from mentoring.adapters import suggestions_for

    if then == "withdrawn":
        services.withdraw_request(request, by=applicant)
    elif then in ("review", "awaiting"):
        found = suggestions_for(request, limit=1)
        if found:
            proposal = services.propose_pairing(request, found[0][0], by=staff)
            if then == "awaiting":
                services.approve_proposal(proposal, by=staff)
    elif then in ("paired", "closed") and profile is not None:
        manager = _manager(profile, staff)
        if manager is not None:
            _pair(
                request,
                profile,
                plan,
                staff=staff,
                manager=manager,
                applicant=applicant,
                close=then == "closed",
            )


def _pair(request, profile, plan, *, staff, manager, applicant, close):
    proposal = services.approve_proposal(services.propose_pairing(request, profile, by=staff), by=staff)
    pairing = services.accept_proposal(proposal, by=manager)
    count = plan.get("checkins", 1)
    for n, (notes, next_steps) in enumerate(CHECKINS[:count]):
        services.log_checkin(
            pairing,
            {
                "date": timezone.localdate() - datetime.timedelta(days=7 * (count - n)),
                "notes": notes,
                "next_steps": next_steps,
            },
            by=applicant if n % 2 == 0 else manager,
        )
    if plan.get("visit") and profile.accepts_visits:
        visit_day = timezone.localdate() + datetime.timedelta(days=10)
        services.plan_visit(
            pairing,
            {
                "visit_at": timezone.make_aware(datetime.datetime.combine(visit_day, datetime.time(14, 0))),
                "visit_notes": "Rendez-vous à l'accueil de l'atelier.",
            },
            by=manager,
        )
    if close:
        services.close_pairing(pairing, by=applicant, feedback=plan.get("feedback", ""), project_opened=True)
    return pairing
