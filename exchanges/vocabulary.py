"""The fixed vocabulary of needs and offers: kinds, categories and the expiry rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_DURATION_MONTHS = 3  # a new or renewed post expires this long after today
MAX_DURATION_MONTHS = 6  # and never later than this
REMINDER_DAYS = 7  # the author is reminded this many days before their post expires


class Kind(models.TextChoices):
    NEED = "besoin", _("Besoin")
    OFFER = "ressource", _("Ressource")


class Category(models.TextChoices):
    PREMISES = "locaux", _("Locaux, espace")
    EQUIPMENT = "materiel", _("Matériel, machine")
    SKILL = "competence", _("Compétence, savoir-faire")
    VOLUNTEERS = "benevoles", _("Bénévoles, coups de main")
    PARTNERSHIP = "partenariat", _("Partenaire pour un appel à projets")
    SERVICE = "service", _("Service, prestation")
    OTHER = "autre", _("Autre")
