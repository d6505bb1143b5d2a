"""The project's illustrations and the picture a page or a card shows.

The illustrations (``network/static/img/illustrations``, CC0, made for the
project) are named by a venue's main activity code (``members.vocabulary``),
plus ``evenement`` and ``accueil``. Each is an SVG for the page and a
1200 × 630 PNG for Open Graph. On a page they stand beside text that says the
same, so they are decorative there (``alt=""``); shared alone, as an Open
Graph image, they carry the description below.
"""

from dataclasses import dataclass
from pathlib import Path

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from network.site_url import absolute_url

FOLDER = "img/illustrations"
WIDTH, HEIGHT = 1200, 630  # the Open Graph size; every illustration has it
EVENT = "evenement"
HOME = "accueil"
OTHER = "autre"
# What each one shows, for og:image:alt (the SVG's own <title> says the same).
DESCRIPTIONS = {
    "coworking": _("Illustration : une grande table partagée, des ordinateurs portables et un café"),
    "atelier_partage": _("Illustration : un établi et des outils accrochés au mur d'un atelier partagé"),
    "fablab": _("Illustration : une imprimante 3D, une découpeuse laser et des engrenages"),
    "culture_cafe": _("Illustration : le comptoir d'un café, une guirlande et des notes de musique"),
    "accompagnement": _("Illustration : deux personnes échangent autour d'un projet"),
    "mediation_numerique": _("Illustration : un écran d'ordinateur, une tablette et le signal wifi"),
    "living_lab": _("Illustration : une ampoule d'idée, un flacon d'expérience et les maisons d'un quartier"),
    OTHER: _("Illustration : une maison ouverte sur la rue, un arbre et un banc"),
    EVENT: _("Illustration : une page d'agenda, une guirlande de fanions et des personnes réunies"),
    HOME: _("Illustration : une rue où se côtoient un atelier, un café, un coworking et un fab lab"),
}
NAMES = frozenset(DESCRIPTIONS)

# The renditions of a photo in each place it shows (templatetags/site_pictures.py), smallest
# first, with the width it takes on screen; listings prefetch them. A hero's largest is the
# Open Graph image too.
RENDITIONS = {
    "card": ("fill-400x210", "fill-800x420"),
    "hero": ("fill-720x378", "fill-1200x630"),
    "gallery": ("fill-480x320", "fill-960x640"),
}
SIZES = {
    "card": "(max-width: 40rem) 100vw, 24rem",
    "hero": "(max-width: 48rem) 100vw, 46rem",
    "gallery": "(max-width: 48rem) 50vw, 15rem",
}
OPEN_GRAPH = "fill-1200x630"


def png_path(name):
    """The PNG file itself (the demo makes Wagtail images of them)."""
    return Path(__file__).parent / "static" / FOLDER / f"{illustration_name(name)}.png"


def illustration_name(name):
    """``name`` if there is an illustration of that name, else the generic one."""
    return name if name in NAMES else OTHER


@dataclass(frozen=True)
class Picture:
    """What a page or a card shows: a Wagtail ``image`` with its ``alt`` text
    (renditions prefetched by whoever listed it), else an ``illustration``."""

    image: object = None
    alt: str = ""
    illustration: str = OTHER

    @classmethod
    def of_illustration(cls, name):
        return cls(illustration=illustration_name(name))

    @property
    def svg_url(self):
        return static(f"{FOLDER}/{self.illustration}.svg")

    @property
    def png_url(self):
        return static(f"{FOLDER}/{self.illustration}.png")

    def open_graph(self, *, fallback_alt=""):
        """``{url, width, height, alt}`` of the Open Graph image: the photo cropped
        to 1200 × 630 (smaller if the original is), else the illustration's PNG."""
        if self.image is not None:
            rendition = self.image.get_rendition(OPEN_GRAPH)
            return {
                "url": absolute_url(rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                "alt": self.alt or fallback_alt,
            }
        return {
            "url": absolute_url(self.png_url),
            "width": WIDTH,
            "height": HEIGHT,
            "alt": str(DESCRIPTIONS[self.illustration]),
        }
