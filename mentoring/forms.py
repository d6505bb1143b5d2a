"""Validation of what members type; services make the changes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Commune
from mentoring import conf
from mentoring.models import MentoringRequest, MentorProfile
from network.validation import within_years


class MentorProfileForm(forms.ModelForm):
    class Meta:
        model = MentorProfile
        fields = [
            "is_active",
            "expertise",
            "stages",
            "legal_forms",
            "capacity",
            "formats",
            "availability",
            "accepts_visits",
        ]
        error_messages = {
            "expertise": {"required": _("Cochez au moins un domaine que vous pouvez transmettre.")},
            "formats": {"required": _("Cochez au moins un format.")},
        }


class MentoringRequestForm(forms.ModelForm):
    commune = forms.ModelChoiceField(
        label=_("Commune du projet"),
        queryset=Commune.objects.all(),
        empty_label=_("— Choisissez une commune —"),
        error_messages={"invalid_choice": _("Choisissez une commune de la métropole dans la liste.")},
    )

    class Meta:
        model = MentoringRequest
        fields = [
            "project_name",
            "description",
            "stage",
            "activities",
            "needs",
            "commune",
            "in_qpv",
            "legal_form",
            "preferred_format",
            "availability",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6, "maxlength": 3000})}
        error_messages = {"needs": {"required": _("Cochez au moins un besoin.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("Choisir…")), *self.fields["stage"].choices[1:]]
        self.fields["legal_form"].choices = [
            ("", _("Pas encore décidée")),
            *self.fields["legal_form"].choices[1:],
        ]
        self.fields["preferred_format"].choices = [
            ("", _("Sans préférence")),
            *self.fields["preferred_format"].choices[1:],
        ]

    def clean_project_name(self):
        name = self.cleaned_data["project_name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("Donnez un nom à votre projet (au moins 2 caractères)."))
        return name

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 20:
            raise forms.ValidationError(
                _("Décrivez votre projet en quelques phrases (au moins 20 caractères).")
            )
        return text


class ProposalAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=[("accept", _("Nous acceptons d'accompagner ce projet")), ("decline", _("Nous déclinons"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif du refus"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire si vous déclinez ; seule l'équipe du réseau le lit."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez le motif du refus."))
        return data


class CheckInForm(forms.Form):
    date = forms.DateField(label=_("Date de la rencontre"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("Ce qui s'est dit"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_steps = forms.CharField(
        label=_("Prochaines étapes"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("La date ne peut pas être dans le futur."))
        return date


class VisitForm(forms.Form):
    visit_at = forms.DateTimeField(
        label=_("Date et heure de la visite"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    visit_notes = forms.CharField(label=_("Précisions"), max_length=300, required=False)

    def clean_visit_at(self):
        value = self.cleaned_data["visit_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Choisissez une date à venir."))
        years = conf.visit_max_years_ahead()
        if not within_years(value, future=years):
            raise forms.ValidationError(
                _("Choisissez une date dans les %(years)s ans qui viennent.") % {"years": years}
            )
        return value


class ClosePairingForm(forms.Form):
    feedback = forms.CharField(
        label=_("Bilan du compagnonnage"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    project_opened = forms.TypedChoiceField(
        label=_("Le tiers-lieu a-t-il ouvert ?"),
        choices=[("yes", _("Oui")), ("no", _("Pas encore")), ("unknown", _("Je ne sais pas"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        widget=forms.RadioSelect,
    )
