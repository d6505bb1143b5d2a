"""Choices of the compagnonnage, with translatable French labels.

The codes are the engine's (``mentoring.matching``): a test keeps both in step.
Activities and legal forms are the network's shared vocabulary (``members.vocabulary``).
"""

from django.utils.translation import gettext_lazy as _

from members.vocabulary import ACTIVITY_CHOICES, LEGAL_FORM_CHOICES

EXPERTISE_CHOICES = [
    ("modele_economique", _("modèle économique")),
    ("animation_communaute", _("animation de communauté")),
    ("statut_juridique", _("statut juridique")),
    ("financement", _("financement et appels à projets")),
    ("amenagement", _("aménagement du lieu")),
    ("fabrication_numerique", _("fabrication numérique")),
    ("mediation_numerique", _("médiation numérique")),
    ("programmation_culturelle", _("programmation culturelle")),
    ("gouvernance", _("gouvernance")),
    ("partenariats_collectivites", _("partenariats avec les collectivités")),
    ("communication", _("communication")),
]
STAGE_CHOICES = [
    ("idee", _("idée")),
    ("recherche_lieu", _("recherche de lieu")),
    ("prefiguration", _("préfiguration")),
    ("ouvert_moins_1an", _("ouvert depuis moins d'un an")),
    ("ouvert_1_3ans", _("ouvert depuis 1 à 3 ans")),
]
FORMAT_CHOICES = [("sur_place", _("sur place")), ("visio", _("en visio"))]

__all__ = ["ACTIVITY_CHOICES", "EXPERTISE_CHOICES", "FORMAT_CHOICES", "LEGAL_FORM_CHOICES", "STAGE_CHOICES"]


def labels(codes, choices):
    """Labels of ``codes`` in the order of ``choices`` (unknown codes are dropped)."""
    codes = set(codes or ())
    return [label for code, label in choices if code in codes]
