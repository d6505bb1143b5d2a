"""Requests of members to list a new venue or to manage an existing one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.vocabulary import ACTIVITY_CHOICES


class VenueClaimQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=VenueClaim.Status.PENDING)

    def for_listing(self):
        return self.select_related("user", "venue", "commune", "decided_by")


class VenueClaim(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("nouveau lieu")
        CLAIM = "claim", _("lieu existant")

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        APPROVED = "approved", _("acceptée")
        REFUSED = "refused", _("refusée")

    kind = models.CharField(_("type de demande"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandeur"),
        on_delete=models.CASCADE,
        related_name="venue_claims",
    )
    venue = models.ForeignKey(
        "members.VenuePage",
        verbose_name=_("lieu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claims",
    )
    # What the member tells about a new venue.
    name = models.CharField(_("nom du lieu"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "members.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True
    )
    street_address = models.CharField(_("adresse"), max_length=255, blank=True)
    main_activity = models.CharField(
        _("activité principale"), max_length=32, choices=ACTIVITY_CHOICES, blank=True
    )
    website = models.URLField(_("site web"), blank=True)
    message = models.TextField(_("message"), blank=True, help_text=_("Votre rôle dans le lieu, le contexte."))
    reason = models.TextField(_("motif de la décision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = VenueClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande de référencement")
        verbose_name_plural = _("demandes de référencement")

    def __str__(self):
        return self.venue_name

    @property
    def venue_name(self):
        if self.venue_id is not None:
            return self.venue.title
        return self.name

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
