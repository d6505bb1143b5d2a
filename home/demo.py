"""The demo page tree of ``manage.py seed_demo`` (DESIGN.md, "Page tree")."""

from wagtail.models import Page
from wagtail.rich_text import RichText

from events.models import EventIndexPage
from home.models import HomePage, StandardPage
from members.models import VenueIndexPage
from mentoring.models import MentoringPage
from network.site_url import sync_site_with_site_url


def _p(*paragraphs):
    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))


HOME_INTRO = (
    "Coworkings, fab labs, ateliers partagés, cafés associatifs, espaces de médiation "
    "numérique : la Compagnie relie les tiers-lieux de la Métropole Européenne de Lille "
    "et accompagne celles et ceux qui veulent en ouvrir un."
)

HOME_BODY = [
    ("heading", "Un réseau de lieux ouverts"),
    (
        "paragraph",
        _p(
            # No figure here: the home page states the count of listed venues itself.
            "Les lieux du réseau partagent une même envie : "
            "offrir à leurs voisins un endroit où travailler, fabriquer, apprendre et se "
            "rencontrer. La Compagnie les fait se connaître, organise leurs rencontres et "
            "porte leur voix auprès des collectivités.",
        ),
    ),
    ("heading", "Ce que vous trouverez ici"),
    (
        "paragraph",
        RichText(
            "<ul><li>l'annuaire des lieux, avec leurs services et leurs équipements ;</li>"
            "<li>l'agenda des rencontres du réseau et des événements des lieux ;</li>"
            "<li>le compagnonnage, pour être accompagné par un lieu expérimenté ;</li>"
            "<li>des salons de discussion entre membres.</li></ul>"
        ),
    ),
]

STANDARD_PAGES = [
    {
        "slug": "quest-ce-quun-tiers-lieu",
        "title": "Qu'est-ce qu'un tiers-lieu ?",
        "search_description": "Définition d'un tiers-lieu et de ce qui le distingue.",
        "intro": "<p>Ni tout à fait le domicile, ni tout à fait le bureau : un troisième lieu, "
        "ouvert, où l'on vient faire ensemble.</p>",
        "body": [
            ("heading", "Un lieu, une communauté"),
            (
                "paragraph",
                _p(
                    "Un tiers-lieu est d'abord un collectif qui anime un espace. On y loue un poste "
                    "de travail, on y répare un vélo, on y apprend à se servir d'une découpeuse laser "
                    "ou à remplir une démarche en ligne. Ce qui le définit n'est pas l'activité mais la "
                    "manière : l'accueil de tous, la mise en commun des outils et des savoirs, la "
                    "gouvernance partagée.",
                    "Chaque tiers-lieu est différent parce qu'il naît des besoins de son quartier ou "
                    "de son village. Un ancien commerce de centre-bourg devient café associatif et "
                    "espace de travail ; une friche industrielle accueille des ateliers d'artisans ; "
                    "une médiathèque ouvre un fab lab.",
                ),
            ),
            ("heading", "Des lieux hybrides"),
            (
                "paragraph",
                _p(
                    "La plupart mêlent plusieurs activités et plusieurs modèles économiques : location "
                    "d'espaces, prestations, subventions pour les missions d'intérêt général, bénévolat. "
                    "Ils sont portés par des associations, des coopératives, des entreprises ou des "
                    "collectivités.",
                ),
            ),
        ],
    },
    {
        "slug": "activites",
        "title": "Les activités des tiers-lieux",
        "search_description": "Coworking, fab lab, atelier partagé, médiation numérique, café, living lab.",
        "intro": "<p>Ce que l'on peut faire dans les lieux du réseau.</p>",
        "body": [
            ("heading", "Travailler"),
            (
                "paragraph",
                _p(
                    "Les espaces de coworking et bureaux partagés accueillent indépendants, salariés en "
                    "télétravail et petites équipes, à l'heure, à la journée ou au mois."
                ),
            ),
            ("heading", "Fabriquer et réparer"),
            (
                "paragraph",
                _p(
                    "Fab labs et ateliers partagés mettent à disposition machines et outils : impression "
                    "3D, découpe laser, menuiserie, couture, électronique. On y apprend en faisant, "
                    "accompagné par un animateur ou par les autres membres."
                ),
            ),
            ("heading", "Apprendre le numérique"),
            (
                "paragraph",
                _p(
                    "Les espaces de médiation numérique aident chacun à prendre en main un ordinateur, "
                    "à faire ses démarches en ligne ou à protéger ses données."
                ),
            ),
            ("heading", "Se retrouver"),
            (
                "paragraph",
                _p(
                    "Cafés associatifs, lieux culturels et living labs ouvrent leurs portes pour des "
                    "concerts, des ateliers, des expérimentations menées avec les habitants."
                ),
            ),
        ],
    },
    {
        "slug": "le-reseau",
        "title": "Le réseau",
        "search_description": "Comment fonctionne la Compagnie des Tiers-lieux.",
        "intro": "<p>La Compagnie des Tiers-lieux est l'association qui fédère les tiers-lieux "
        "de la métropole lilloise.</p>",
        "body": [
            ("heading", "Ce que fait le réseau"),
            (
                "paragraph",
                _p(
                    "Elle organise chaque mois une rencontre dans un lieu différent, anime des groupes "
                    "de travail (modèle économique, financements, fabrication numérique), recense les "
                    "lieux et leurs services en données ouvertes, et accompagne les projets naissants.",
                    "Devenir membre est ouvert à tout lieu de la métropole qui se reconnaît dans les "
                    "valeurs d'ouverture et de coopération du réseau : il suffit de référencer son lieu "
                    "sur ce site.",
                ),
            ),
        ],
    },
]

INDEX_PAGES = [
    (
        VenueIndexPage,
        {
            "slug": "lieux",
            "title": "Les lieux",
            "intro": "<p>Les tiers-lieux membres du réseau, par activité, par commune et par service.</p>",
        },
    ),
    (
        EventIndexPage,
        {
            "slug": "agenda",
            "title": "Agenda",
            "intro": "<p>Les rencontres du réseau et les événements ouverts des lieux.</p>",
        },
    ),
    (
        MentoringPage,
        {
            "slug": "compagnonnage",
            "title": "Compagnonnage",
            "intro": "<p>Vous voulez ouvrir un tiers-lieu ? Un lieu du réseau qui est passé par là "
            "vous accompagne.</p>",
            "body": "<h2>Comment ça marche</h2>"
            "<p>Vous décrivez votre projet, son état d'avancement et vos besoins. L'équipe du réseau "
            "vous propose un lieu compagnon dont l'expérience répond à vos questions : statut "
            "juridique, modèle économique, aménagement, animation de communauté.</p>"
            "<p>Le lieu compagnon vous reçoit, répond à vos questions et fait le point avec vous "
            "régulièrement pendant quelques mois. Le compagnonnage est gratuit ; il repose sur "
            "l'entraide entre lieux.</p>",
        },
    ),
]


def _publish_child(parent, model, fields):
    existing = parent.get_children().filter(slug=fields["slug"]).first()
    if existing is not None:
        return existing.specific, False
    page = model(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def seed_pages(stdout=None):
    """Build the page tree; pages that already exist are left as they are."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a placeholder "Welcome" page: ours replaces it.
        for placeholder in root.get_children().filter(content_type__model="page", slug="home"):
            placeholder.delete()
        home = HomePage(
            title="Compagnie des Tiers-lieux",
            slug="accueil",
            intro=HOME_INTRO,
            body=HOME_BODY,
            seo_title="Le réseau des tiers-lieux de la métropole lilloise",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        if stdout:
            stdout.write("  page Compagnie des Tiers-lieux")
    sync_site_with_site_url(root_page=home)
    pages = {"home": home}
    for model, fields in INDEX_PAGES:
        page, created = _publish_child(home, model, fields)
        pages[fields["slug"]] = page
        if stdout and created:
            stdout.write(f"  page {page.title}")
    for fields in STANDARD_PAGES:
        page, created = _publish_child(home, StandardPage, fields)
        pages[fields["slug"]] = page
        if stdout and created:
            stdout.write(f"  page {page.title}")
    return pages
