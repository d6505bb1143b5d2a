"""Forms of needs and offers: validation only (``exchanges.services`` acts)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exchanges.vocabulary import Category, Kind
from network.public_forms import HoneypotFormMixin

DESCRIPTION_MAX_LENGTH = 5000
MESSAGE_MAX_LENGTH = 3000


class PostForm(HoneypotFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Vous publiez"), choices=Kind.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("Catégorie"), choices=[("", "—"), *Category.choices])
    title = forms.CharField(label=_("Titre"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mise en forme simple : gras, italique, listes, liens."),
    )
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None, empty_label="—")
    venue = forms.ModelChoiceField(
        label=_("Au nom d'un lieu que vous gérez"),
        queryset=None,
        required=False,
        empty_label=_("— à titre personnel —"),
    )
    expires_on = forms.DateField(
        label=_("En ligne jusqu'au"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Six mois au plus ; vous pourrez prolonger l'annonce."),
    )

    def __init__(self, *args, user, **kwargs):
        from members.models import Commune
        from members.services import venues_managed_by

        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")
        venues = venues_managed_by(user).order_by("title")
        self.fields["venue"].queryset = venues
        if not venues.exists():
            del self.fields["venue"]

    def clean_expires_on(self):
        from exchanges.services import expiry_error

        day = self.cleaned_data["expires_on"]
        error = expiry_error(day)
        if error:
            raise forms.ValidationError(error, code="expiry")
        return day


class ContactForm(HoneypotFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Votre message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    share_email = forms.BooleanField(
        label=_("Communiquer mon adresse e-mail à l'auteur·rice de l'annonce, pour qu'il ou elle me réponde"),
        required=False,
    )


class ReportForm(HoneypotFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Ce qui ne va pas"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Motif (montré à l'auteur·rice)"), max_length=500, required=False)


class PostFilterForm(forms.Form):
    """The list's query string: every filter optional; a bad value is explained and ignored."""

    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Tout")), *Kind.choices])
    category = forms.ChoiceField(
        label=_("Catégorie"), required=False, choices=[("", _("Toutes les catégories")), *Category.choices]
    )
    commune = forms.CharField(label=_("Commune"), max_length=5, required=False)
    q = forms.CharField(label=_("Rechercher"), max_length=100, required=False, strip=True)

    def clean_commune(self):
        from members.forms import commune_from_code

        return commune_from_code(self.cleaned_data["commune"])
