"""Questions an event asks at registration, and the answers given.

The event's editors write the questions in the Wagtail admin (an InlinePanel
on ``EventPage``). An answer keeps a copy of its question's label, so that
the attendee list still reads right when an editor later rewords or removes
the question.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

MAX_CHOICES = 20
CHOICE_MAX_LENGTH = 100
ANSWER_MAX_LENGTH = 500


class QuestionKind(models.TextChoices):
    TEXT = "text", _("texte libre")
    CHOICE = "choice", _("choix dans une liste")
    YES_NO = "yes_no", _("oui ou non")


class RegistrationQuestion(Orderable):
    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(
        _("type de réponse"), max_length=8, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(
        _("choix proposés"), blank=True, help_text=_("Pour une question à choix : un choix par ligne.")
    )
    required = models.BooleanField(_("réponse obligatoire"), default=False)

    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("choices"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question d'inscription")
        verbose_name_plural = _("questions d'inscription")

    def __str__(self):
        return self.label

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        options = self.choice_list
        if self.kind == QuestionKind.CHOICE:
            if len(options) < 2:
                raise ValidationError({"choices": _("Proposez au moins deux choix, un par ligne.")})
            if len(options) > MAX_CHOICES:
                raise ValidationError(
                    {"choices": _("Proposez au plus %(count)s choix.") % {"count": MAX_CHOICES}}
                )
            if any(len(option) > CHOICE_MAX_LENGTH for option in options):
                raise ValidationError(
                    {"choices": _("Un choix tient en %(count)s caractères.") % {"count": CHOICE_MAX_LENGTH}}
                )


class RegistrationAnswer(models.Model):
    registration = models.ForeignKey("events.Registration", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        RegistrationQuestion, null=True, on_delete=models.SET_NULL, related_name="answers"
    )
    question_label = models.CharField(_("question"), max_length=200)
    value = models.CharField(_("réponse"), max_length=ANSWER_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")

    def __str__(self):
        return f"{self.question_label}: {self.value}"
