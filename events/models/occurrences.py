"""Dates of an event (``Occurrence``), registrations, and the private feed tokens."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.querysets import OccurrenceQuerySet, RegistrationQuerySet
from events.vocabulary import EventStatus, OccurrenceStatus, RegistrationStatus


def effective_status(status, event_status):
    """The status a date shows: its own, unless its event is cancelled or postponed."""
    if status == OccurrenceStatus.CANCELLED or event_status == EventStatus.CANCELLED:
        return OccurrenceStatus.CANCELLED
    if event_status == EventStatus.POSTPONED:
        return OccurrenceStatus.POSTPONED
    return status


class Occurrence(models.Model):
    """One date of an event; registration and capacity are per occurrence.

    Generated from the page's dates and rule on publish; ``original_start``
    is the start the rule gave a moved occurrence, so that regeneration
    recognises it.
    """

    event = models.ForeignKey("events.EventPage", on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"))
    all_day = models.BooleanField(_("toute la journée"), default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_open = models.BooleanField(_("inscriptions ouvertes"), default=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=OccurrenceStatus.choices, default=OccurrenceStatus.SCHEDULED
    )
    original_start = models.DateTimeField(_("début initial"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        indexes = [models.Index(fields=["event", "start"], name="occurrence_event_start_idx")]

    def __str__(self):
        return f"{self.event.title} — {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("La fin doit suivre le début.")
        if self.pk and self.capacity is not None:
            taken = self.registrations.confirmed().seat_count()
            if taken > self.capacity:
                errors["capacity"] = _(
                    "Cette date compte déjà %(count)s inscrit·es confirmé·es : "
                    "la capacité ne peut pas descendre sous ce nombre."
                ) % {"count": taken}
        if errors:
            raise ValidationError(errors)

    @property
    def key(self):
        """The start the rule gave this occurrence."""
        return self.original_start or self.start

    @property
    def is_moved(self):
        return self.original_start is not None and self.original_start != self.start

    @property
    def effective_status(self):
        return effective_status(self.status, self.event.status)

    @property
    def is_cancelled(self):
        return self.effective_status == OccurrenceStatus.CANCELLED

    @property
    def has_started(self):
        return self.start <= timezone.now()

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def ical_sequence(self):
        """Grows on every published change of the event and every move or cancellation of this date."""
        return self.event.sequence + self.sequence

    @property
    def accepts_registrations(self):
        return (
            self.event.registration_enabled
            and self.registration_open
            and self.effective_status == OccurrenceStatus.SCHEDULED
            and not self.has_started
        )

    def places_left(self, confirmed_count):
        if self.capacity is None:
            return None
        return max(0, self.capacity - confirmed_count)


class Registration(models.Model):
    """A party's seat (or place in the waiting list) for one occurrence.

    A member's registration has ``user``; a visitor's (no account) has
    ``guest_name`` and ``guest_email`` instead, and ``hold_expires_at`` until
    the visitor follows the confirmation link: till then the seat is held, and
    an unconfirmed registration is cancelled when the hold expires. A party
    takes ``1 + guests`` seats. A visitor's name, e-mail and answers are erased
    (``erased_at``) some days after the date (``events.conf.guest_data_days``).
    """

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    guest_name = models.CharField(_("nom"), max_length=150, blank=True)
    guest_email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(max_length=10, blank=True)
    guests = models.PositiveSmallIntegerField(_("accompagnant·es"), default=0)
    hold_expires_at = models.DateTimeField(_("place réservée jusqu'au"), null=True, blank=True)
    erased_at = models.DateTimeField(_("données effacées le"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("sorti·e de la liste d'attente le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("désinscrit·e le"), null=True, blank=True)
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        # The id orders the waiting list: rows are created under the
        # occurrence's lock, so ids follow the order of arrival.
        ordering = ["pk"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "user"],
                condition=models.Q(status__in=["confirmed", "waitlisted"]),
                name="events_one_active_registration",
            ),
            models.UniqueConstraint(
                fields=["occurrence", "guest_email"],
                condition=models.Q(status__in=["confirmed", "waitlisted"], user__isnull=True)
                & ~models.Q(guest_email=""),
                name="events_one_active_guest_registration",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False)
                | ~models.Q(guest_email="")
                | models.Q(erased_at__isnull=False),
                name="events_registration_has_a_person",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.occurrence} ({self.status})"

    @property
    def is_guest(self):
        """Registered without an account."""
        return self.user_id is None

    @property
    def name(self):
        return self.user.display_name if self.user_id else self.guest_name

    @property
    def email(self):
        return self.user.email if self.user_id else self.guest_email

    @property
    def seats(self):
        return 1 + self.guests

    @property
    def is_unconfirmed(self):
        """A visitor who has not yet followed the confirmation link."""
        return self.hold_expires_at is not None

    @property
    def is_confirmed(self):
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self):
        return self.status == RegistrationStatus.WAITLISTED


class CalendarToken(models.Model):
    """The secret of a member's private feed (``/agenda/mon-agenda/<token>.ics``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_calendar_token"
    )
    token = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("flux d'agenda privé")
        verbose_name_plural = _("flux d'agenda privés")

    def __str__(self):
        return f"{self.user}"
