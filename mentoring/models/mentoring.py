"""Mentor profiles, requests, proposals, pairings and check-ins.

States (services in ``mentoring.services`` make every transition):

- request: open -> proposed -> paired -> closed; open/proposed -> withdrawn;
  proposed -> open again when its proposal is discarded, declined or expires.
- proposal: pending_review -> awaiting_mentor (staff approved) -> accepted | declined | expired;
  pending_review -> discarded (staff); pending_review/awaiting_mentor -> cancelled (request withdrawn).
- pairing: active -> completed.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.fields import ChoiceListField
from mentoring.querysets import (
    MentoringRequestQuerySet,
    MentorProfileQuerySet,
    PairingQuerySet,
    ProposalQuerySet,
)
from mentoring.vocabulary import (
    ACTIVITY_CHOICES,
    EXPERTISE_CHOICES,
    FORMAT_CHOICES,
    LEGAL_FORM_CHOICES,
    STAGE_CHOICES,
    labels,
)


class MentorProfile(models.Model):
    """A venue's offer of compagnonnage: the mentor is the venue's team, not one person."""

    venue = models.OneToOneField(
        "members.VenuePage", on_delete=models.CASCADE, related_name="mentor_profile", verbose_name=_("lieu")
    )
    is_active = models.BooleanField(
        _("compagnonnage ouvert"),
        default=True,
        help_text=_("Décochez pour ne plus recevoir de nouvelles propositions."),
    )
    expertise = ChoiceListField(
        _("ce que vous pouvez transmettre"), list_choices=EXPERTISE_CHOICES, blank=False
    )
    stages = ChoiceListField(_("étapes vécues"), list_choices=STAGE_CHOICES)
    legal_forms = ChoiceListField(_("formes juridiques connues"), list_choices=LEGAL_FORM_CHOICES)
    capacity = models.PositiveSmallIntegerField(
        _("capacité"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Nombre maximum de compagnonnages en cours en même temps."),
    )
    availability = models.CharField(
        _("disponibilités"), max_length=300, blank=True, help_text=_("Par exemple : « le mardi après-midi ».")
    )
    formats = ChoiceListField(
        _("formats"), list_choices=FORMAT_CHOICES, blank=False, default="sur_place visio"
    )
    accepts_visits = models.BooleanField(_("visites du lieu possibles"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        ordering = ["venue__title"]
        verbose_name = _("profil de lieu compagnon")
        verbose_name_plural = _("profils de lieux compagnons")

    def __str__(self):
        return self.venue.title

    @property
    def expertise_labels(self):
        return labels(self.expertise, EXPERTISE_CHOICES)

    @property
    def format_labels(self):
        return labels(self.formats, FORMAT_CHOICES)


class MentoringRequest(models.Model):
    """A newcomer's project, asking for a mentor venue."""

    class Status(models.TextChoices):
        OPEN = "open", _("en attente d'un lieu compagnon")
        PROPOSED = "proposed", _("lieu compagnon proposé")
        PAIRED = "paired", _("compagnonnage en cours")
        WITHDRAWN = "withdrawn", _("retirée")
        CLOSED = "closed", _("terminée")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentoring_requests",
        verbose_name=_("porteur de projet"),
    )
    project_name = models.CharField(_("nom du projet"), max_length=120)
    description = models.TextField(
        _("description du projet"), max_length=3000, help_text=_("Le lieu imaginé, pour qui, avec qui.")
    )
    stage = models.CharField(_("état d'avancement"), max_length=32, choices=STAGE_CHOICES)
    activities = ChoiceListField(_("activités envisagées"), list_choices=ACTIVITY_CHOICES)
    needs = ChoiceListField(_("besoins"), list_choices=EXPERTISE_CHOICES, blank=False)
    commune = models.ForeignKey(
        "members.Commune",
        on_delete=models.PROTECT,
        related_name="mentoring_requests",
        verbose_name=_("commune"),
    )
    in_qpv = models.BooleanField(_("projet en quartier prioritaire (QPV)"), default=False)
    legal_form = models.CharField(
        _("forme juridique envisagée"), max_length=32, choices=LEGAL_FORM_CHOICES, blank=True
    )
    preferred_format = models.CharField(
        _("format souhaité"), max_length=16, choices=FORMAT_CHOICES, blank=True
    )
    availability = models.CharField(_("vos disponibilités"), max_length=300, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    submitted_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    closed_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    objects = MentoringRequestQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("demande de compagnonnage")
        verbose_name_plural = _("demandes de compagnonnage")

    def __str__(self):
        return self.project_name

    @property
    def is_editable(self):
        return self.status in (self.Status.OPEN, self.Status.PROPOSED)

    @property
    def needs_labels(self):
        return labels(self.needs, EXPERTISE_CHOICES)

    @property
    def activity_labels(self):
        return labels(self.activities, ACTIVITY_CHOICES)


class Proposal(models.Model):
    """A mentor venue put forward for a request; nobody hears of it before staff approve."""

    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("à valider par l'équipe")
        AWAITING_MENTOR = "awaiting_mentor", _("en attente de la réponse du lieu")
        ACCEPTED = "accepted", _("acceptée")
        DECLINED = "declined", _("déclinée")
        EXPIRED = "expired", _("expirée")
        DISCARDED = "discarded", _("écartée par l'équipe")
        CANCELLED = "cancelled", _("annulée")

    LIVE = (Status.PENDING_REVIEW, Status.AWAITING_MENTOR)

    request = models.ForeignKey(
        MentoringRequest, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("demande")
    )
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("lieu compagnon")
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.PENDING_REVIEW, db_index=True
    )
    score = models.FloatField(_("score"), default=0)
    explanation = models.TextField(_("explication"), blank=True)
    from_batch = models.BooleanField(_("issue de l'affectation groupée"), default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    deadline = models.DateTimeField(_("réponse attendue avant le"), null=True, blank=True, db_index=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    decline_reason = models.TextField(_("motif du refus"), max_length=1000, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposition de compagnonnage")
        verbose_name_plural = _("propositions de compagnonnage")
        constraints = [
            # One live proposal per request at a time.
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status__in=["pending_review", "awaiting_mentor"]),
                name="mentoring_one_live_proposal",
            )
        ]

    def __str__(self):
        return f"{self.request} → {self.mentor}"

    @property
    def is_live(self):
        return self.status in self.LIVE


class Pairing(models.Model):
    """An accepted proposal: a newcomer and a mentor venue working together."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("en cours")
        COMPLETED = "completed", _("terminé")

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="pairing")
    request = models.OneToOneField(
        MentoringRequest, on_delete=models.CASCADE, related_name="pairing", verbose_name=_("demande")
    )
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("lieu compagnon")
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    room = models.ForeignKey(
        "discussion.Room", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("commencé le"), auto_now_add=True)
    # The visit is a private event of the mentor venue (events.services.create_private_event);
    # ``visit_at`` caches its start for listings and emails.
    visit_event = models.ForeignKey(
        "events.EventPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("visite"),
    )
    visit_at = models.DateTimeField(_("visite prévue le"), null=True, blank=True)
    visit_notes = models.CharField(_("précisions sur la visite"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feedback = models.TextField(_("bilan"), max_length=3000, blank=True)
    project_opened = models.BooleanField(_("le lieu a ouvert"), null=True, blank=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("compagnonnage")
        verbose_name_plural = _("compagnonnages")

    def __str__(self):
        return f"{self.request} × {self.mentor}"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    def visit_occurrence(self):
        """The date of the planned visit (with its event and venue), or ``None``."""
        if self.visit_event_id is None:
            return None
        from events.models import Occurrence

        return (
            Occurrence.objects.filter(event_id=self.visit_event_id)
            .select_related("event__venue__commune", "event__commune")
            .order_by("-start", "-pk")
            .first()
        )


class CheckIn(models.Model):
    """A meeting of the pair, logged by either side."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    date = models.DateField(_("date"))
    notes = models.TextField(_("ce qui s'est dit"), max_length=3000)
    next_steps = models.TextField(_("prochaines étapes"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("point d'étape")
        verbose_name_plural = _("points d'étape")

    def __str__(self):
        return f"{self.pairing} — {self.date}"
