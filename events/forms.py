"""Validation of the calendar's query string and of the organizers' forms."""

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import conf
from events.vocabulary import Kind
from network.public_forms import HoneypotFormMixin
from network.validation import is_storable_text

INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
# Dates the calendar accepts in its query string (and the month view in its path).
MIN_DAY, MAX_DAY = date(1900, 1, 1), date(2200, 12, 31)


class CalendarFilterForm(forms.Form):
    q = forms.CharField(label=_("Recherche"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Tous les types")), *Kind.choices], required=False
    )
    commune = forms.CharField(label=_("Commune (code INSEE)"), max_length=5, required=False)
    venue = forms.SlugField(label=_("Lieu"), max_length=255, required=False)
    tag = forms.SlugField(label=_("Étiquette"), max_length=100, required=False, allow_unicode=True)
    start = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._communes = communes

    def _clean_day(self, name):
        day = self.cleaned_data[name]
        if day is not None and not MIN_DAY <= day <= MAX_DAY:
            raise forms.ValidationError(
                _("Choisissez une date entre %(first)s et %(last)s.")
                % {"first": MIN_DAY.year, "last": MAX_DAY.year}
            )
        return day

    def clean_start(self):
        return self._clean_day("start")

    def clean_end(self):
        return self._clean_day("end")

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_commune(self):
        from members.models import Commune

        code = self.cleaned_data["commune"].strip().upper()
        if not code:
            return None
        if not INSEE_RE.match(code):
            raise forms.ValidationError(_("« %(code)s » n'est pas un code INSEE.") % {"code": code})
        commune = Commune.objects.filter(insee_code=code).first()
        if commune is None:
            raise forms.ValidationError(
                _("Aucune commune de la métropole n'a le code %(code)s.") % {"code": code}
            )
        return commune

    def clean_venue(self):
        from members.models import VenuePage

        slug = self.cleaned_data["venue"]
        if not slug:
            return None
        venue = VenuePage.objects.published().filter(slug=slug).first()
        if venue is None:
            raise forms.ValidationError(_("Aucun lieu publié ne correspond à « %(slug)s ».") % {"slug": slug})
        return venue

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("La date de fin précède la date de début."))
        return data


class MoveOccurrenceForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Nouveau début"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=_("Nouvelle fin"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def _clean_moment(self, name):
        moment = self.cleaned_data[name]
        if not MIN_DAY <= timezone.localtime(moment).date() <= MAX_DAY:
            raise forms.ValidationError(
                _("Choisissez une date entre %(first)s et %(last)s.")
                % {"first": MIN_DAY.year, "last": MAX_DAY.year}
            )
        return moment

    def clean_start(self):
        return self._clean_moment("start")

    def clean_end(self):
        return self._clean_moment("end")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("La fin doit suivre le début."))
        return data


class RegistrationForm(forms.Form):
    """Registration for one date: guests and the event's questions; a visitor
    also gives a name and an e-mail address (``visitor=True``)."""

    name = forms.CharField(label=_("Votre nom"), max_length=150)
    email = forms.EmailField(label=_("Votre adresse e-mail"), max_length=254)
    guests = forms.TypedChoiceField(label=_("Accompagnant·es"), coerce=int, choices=(), initial=0)

    def __init__(self, *args, event, visitor, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if not visitor:
            del self.fields["name"], self.fields["email"]
        else:
            self.fields["email"].help_text = _(
                "Nous vous envoyons un lien de confirmation. Votre nom, votre adresse et vos "
                "réponses sont effacés %(days)s jours après l'événement."
            ) % {"days": conf.guest_data_days()}
        if event.max_guests:
            self.fields["guests"].choices = [(n, str(n)) for n in range(event.max_guests + 1)]
            self.fields["guests"].help_text = _(
                "Les personnes qui viennent avec vous (%(count)s au plus)."
            ) % {"count": event.max_guests}
        else:
            del self.fields["guests"]
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = _question_field(question)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not is_storable_text(name) or not name:
            raise forms.ValidationError(_("Indiquez votre nom."))
        return name

    def _clean_answer(self, key):
        value = self.cleaned_data.get(key, "")
        if isinstance(value, str) and not is_storable_text(value):
            raise forms.ValidationError(_("Ce texte contient des caractères non valables."))
        return value

    def clean(self):
        data = super().clean()
        for question in self.questions:
            key = f"q_{question.pk}"
            if key in data:
                try:
                    data[key] = self._clean_answer(key)
                except forms.ValidationError as error:
                    self.add_error(key, error)
        return data

    def answers(self):
        """{question: text} for the service."""
        from events.models import QuestionKind

        yes_no = {"yes": _("oui"), "no": _("non")}
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}", "")
            if question.kind == QuestionKind.YES_NO:
                value = str(yes_no.get(value, ""))
            if value:
                result[question] = value
        return result


def _question_field(question):
    # Imported here: the page models import this module.
    from events.models.questions import ANSWER_MAX_LENGTH, QuestionKind

    common = {"label": question.label, "required": question.required}
    if question.kind == QuestionKind.CHOICE:
        choices = [(option, option) for option in question.choice_list]
        if not question.required:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, **common)
    if question.kind == QuestionKind.YES_NO:
        choices = [("yes", _("oui")), ("no", _("non"))]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), **common)


class VisitorRegistrationForm(HoneypotFormMixin, RegistrationForm):
    """The same registration, for a visitor without an account (name, e-mail, honeypot)."""

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, visitor=True, **kwargs)
