"""Shared vocabularies of the network: activity codes, legal forms, weekdays.

The codes are stable (stored in the database, in open-data exports and in
query strings); ``events`` and ``mentoring`` reuse them. Labels are French
msgids translated through the usual catalogues.
"""

from django.utils.translation import gettext_lazy as _

ACTIVITY_CHOICES = [
    ("coworking", _("coworking / bureaux partagés")),
    ("atelier_partage", _("atelier partagé")),
    ("fablab", _("fab lab")),
    ("culture_cafe", _("lieu culturel / café / commerce")),
    ("accompagnement", _("espace d'accompagnement")),
    ("mediation_numerique", _("espace de médiation numérique")),
    ("living_lab", _("living lab")),
    ("autre", _("autre")),
]
ACTIVITY_CODES = frozenset(code for code, _label in ACTIVITY_CHOICES)
ACTIVITY_LABELS = dict(ACTIVITY_CHOICES)

LEGAL_FORM_CHOICES = [
    ("commune", _("commune")),
    ("entreprise", _("entreprise privée")),
    ("association", _("association")),
    ("etablissement_public", _("établissement public")),
    ("cooperative", _("coopérative")),
    ("autre", _("autre")),
]

WEEKDAY_CHOICES = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]
# schema.org day names, in the order of WEEKDAY_CHOICES.
SCHEMA_ORG_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def activity_label(code):
    return ACTIVITY_LABELS.get(code, code)


def activity_codes(main, secondary):
    """Main activity first, then the secondary ones, without repeats."""
    return list(dict.fromkeys([main, *secondary]))
