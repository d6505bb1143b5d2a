"""Stable codes of the events app (stored in the database and in query strings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MEETUP = "meetup", _("rencontre du réseau")
    WORKSHOP = "workshop", _("atelier")
    TRAINING = "training", _("formation")
    OPEN_DAY = "open_day", _("portes ouvertes")
    VISIT = "visit", _("visite")
    TALK = "talk", _("conférence")
    OTHER = "other", _("autre")


class AttendanceMode(models.TextChoices):
    OFFLINE = "offline", _("sur place")
    ONLINE = "online", _("en ligne")
    MIXED = "mixed", _("sur place et en ligne")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("programmé")
    POSTPONED = "postponed", _("reporté")
    CANCELLED = "cancelled", _("annulé")
    FULL = "full", _("complet")


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("programmé")
    POSTPONED = "postponed", _("reporté")
    CANCELLED = "cancelled", _("annulé")


class Repeat(models.TextChoices):
    NONE = "none", _("pas de répétition")
    WEEKLY = "weekly", _("toutes les N semaines")
    MONTHLY_NTH = "monthly_nth", _("tous les N mois, le même jour de la même semaine")
    MONTHLY_LAST = "monthly_last", _("tous les N mois, le dernier même jour de la semaine")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("inscrit·e")
    WAITLISTED = "waitlisted", _("en liste d'attente")
    CANCELLED = "cancelled", _("désinscrit·e")


SCHEMA_EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "postponed": "https://schema.org/EventPostponed",
    "cancelled": "https://schema.org/EventCancelled",
    "full": "https://schema.org/EventScheduled",
}
SCHEMA_ATTENDANCE_MODE = {
    "offline": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "mixed": "https://schema.org/MixedEventAttendanceMode",
}
