"""Needs and offers ("besoins et ressources") that members post, and the reports on them."""

import html

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from exchanges.querysets import PostQuerySet
from exchanges.vocabulary import Category, Kind


class PostState(models.TextChoices):
    OPEN = "open", _("En ligne")
    EXPIRED = "expired", _("Expirée")
    CLOSED = "closed", _("Clôturée")
    HIDDEN = "hidden", _("Masquée par l'équipe")


class Post(models.Model):
    """One need or offer. It leaves the list when it expires, is closed by its
    author or hidden by staff; its page then says so (``state``)."""

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    category = models.CharField(_("catégorie"), max_length=16, choices=Category.choices)
    title = models.CharField(_("titre"), max_length=120)
    # Sanitized by ``network.sanitize`` before it is stored (exchanges.services).
    description = models.TextField(_("description"))
    commune = models.ForeignKey(
        "members.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="exchange_posts"
    )
    venue = models.ForeignKey(
        "members.VenuePage",
        verbose_name=_("lieu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_posts",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        on_delete=models.CASCADE,
        related_name="exchange_posts",
    )
    expires_on = models.DateField(_("expire le"), db_index=True)
    created = models.DateTimeField(_("publiée le"), default=timezone.now, db_index=True)
    updated = models.DateTimeField(_("modifiée le"), auto_now=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    # The expiry date the author was last reminded of: a renewal (a new date) earns a new reminder.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    hidden = models.BooleanField(_("masquée"), default=False, db_index=True)
    hidden_reason = models.CharField(_("motif du masquage"), max_length=500, blank=True)
    hidden_at = models.DateTimeField(_("masquée le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("masquée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("besoin ou ressource")
        verbose_name_plural = _("besoins et ressources")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("exchanges:detail", args=[self.pk])

    @property
    def state(self):
        if self.hidden:
            return PostState.HIDDEN
        if self.closed_at is not None:
            return PostState.CLOSED
        if self.expires_on < timezone.localdate():
            return PostState.EXPIRED
        return PostState.OPEN

    @property
    def is_open(self):
        return self.state == PostState.OPEN

    @property
    def excerpt(self):
        """The description as plain text (the template escapes it), cut for a card."""
        text = " ".join(html.unescape(strip_tags(self.description)).split())
        return Truncator(text).chars(160)

    @property
    def position(self):
        """``(lat, lng)``: the venue's own position when it has one, else the post's commune's."""
        venue = self.venue if self.venue_id is not None else None
        if venue is not None and venue.latitude is not None and venue.longitude is not None:
            return (venue.latitude, venue.longitude)
        return self.commune.position


class Report(models.Model):
    """A member tells staff that a post breaks the rules."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_reports"
    )
    reason = models.CharField(_("motif"), max_length=500)
    created = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(_("traité"), default=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("signalement d'annonce")
        verbose_name_plural = _("signalements d'annonces")
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="exchange_report_once_per_member")
        ]

    def __str__(self):
        return f"{self.post} ({self.reason[:40]})"
