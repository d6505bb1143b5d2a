"""What a member follows (a venue, a commune, a kind of event) and their follow settings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.vocabulary import Kind


class Follow(models.Model):
    """One thing a member follows: exactly one of ``venue``, ``commune``, ``kind``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_follows")
    venue = models.ForeignKey(
        "members.VenuePage",
        verbose_name=_("lieu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    commune = models.ForeignKey(
        "members.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    kind = models.CharField(_("type d'événement"), max_length=16, choices=Kind.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        constraints = [
            models.CheckConstraint(
                condition=Q(venue__isnull=False, commune__isnull=True, kind="")
                | Q(venue__isnull=True, commune__isnull=False, kind="")
                | (Q(venue__isnull=True, commune__isnull=True) & ~Q(kind="")),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "venue"], condition=Q(venue__isnull=False), name="follow_unique_venue"
            ),
            models.UniqueConstraint(
                fields=["user", "commune"], condition=Q(commune__isnull=False), name="follow_unique_commune"
            ),
            models.UniqueConstraint(
                fields=["user", "kind"], condition=~Q(kind=""), name="follow_unique_kind"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.venue_id or self.commune_id or self.kind}"


class FollowSettings(models.Model):
    """A member's weekly digest of what they follow (sent by default; a row records
    the opt-out and the last sending) and the secret of their feed of it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_settings"
    )
    digest_enabled = models.BooleanField(_("recevoir le résumé hebdomadaire"), default=True)
    digest_last_sent = models.DateTimeField(_("dernier envoi"), null=True, blank=True)
    # /agenda/suivis/<feed_token>.ics: no cookie, the address is the credential.
    feed_token = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("réglages de suivi")
        verbose_name_plural = _("réglages de suivi")

    def __str__(self):
        return f"{self.user} ({'on' if self.digest_enabled else 'off'})"
