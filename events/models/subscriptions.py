"""Calendars a venue already keeps, taken in by URL (``CalendarSubscription``), and the
mapping of each feed UID to the EventPage it became (``SyncedEvent``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishMode(models.TextChoices):
    DRAFT = "draft", _("en brouillon, à publier à la main")
    LIVE = "live", _("publiés directement")


class CalendarSubscription(models.Model):
    """One ICS feed of a venue, synced by ``manage.py sync_calendars``."""

    venue = models.ForeignKey(
        "members.VenuePage",
        verbose_name=_("lieu"),
        on_delete=models.CASCADE,
        related_name="calendar_subscriptions",
    )
    url = models.URLField(
        _("adresse du calendrier (ICS)"),
        max_length=1000,
        blank=True,
        help_text=_(
            "L'adresse publique iCalendar (.ics) de Google Agenda, Nextcloud, Outlook, etc. "
            "Vide pour les fichiers .ics importés à la main."
        ),
    )
    publish_mode = models.CharField(
        _("nouveaux événements"), max_length=8, choices=PublishMode.choices, default=PublishMode.DRAFT
    )
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("dernier essai"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(
        _("dernière synchronisation"), null=True, blank=True, editable=False
    )
    last_error = models.TextField(_("dernière erreur"), blank=True, editable=False)
    last_report = models.TextField(_("dernier compte rendu"), blank=True, editable=False)
    failures = models.PositiveIntegerField(_("échecs consécutifs"), default=0, editable=False)
    next_attempt_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("calendrier abonné")
        verbose_name_plural = _("calendriers abonnés")
        ordering = ["venue__title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "url"], name="events_one_subscription_per_url")
        ]

    def __str__(self):
        return f"{self.venue.title} — {self.url}"


class SyncedEvent(models.Model):
    """A feed UID and the page it became; ``detached`` once edited on the site."""

    subscription = models.ForeignKey(
        CalendarSubscription, on_delete=models.CASCADE, related_name="synced_events"
    )
    uid = models.CharField(max_length=500)
    page = models.ForeignKey(
        "events.EventPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="sync_sources"
    )
    source_hash = models.CharField(max_length=64)
    page_hash = models.CharField(max_length=64)
    # the revision the sync last wrote: while it is the page's latest, the page's row holds
    # that content and nothing was edited on the site since (no revision to read back)
    synced_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detached = models.BooleanField(_("détaché (modifié sur le site)"), default=False)
    removed = models.BooleanField(_("retiré du calendrier"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("événement synchronisé")
        verbose_name_plural = _("événements synchronisés")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "uid"], name="events_one_synced_event_per_uid")
        ]

    def __str__(self):
        return self.uid
