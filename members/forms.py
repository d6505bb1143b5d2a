from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from members.models import Commune, User

AVATAR_MAX_BYTES = 2 * 1024 * 1024


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=80,
        help_text=_("Votre prénom et nom, ou le nom sous lequel les membres vous connaissent."),
    )

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Indiquez un nom."))
        return name

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.language = (getattr(request, "LANGUAGE_CODE", "fr") or "fr")[:2]
        user.save(update_fields=["display_name", "language"])


class ProfileForm(forms.ModelForm):
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.all(),
        required=False,
        empty_label=_("— Hors métropole ou non précisée —"),
    )

    class Meta:
        model = User
        fields = ["display_name", "bio", "commune", "avatar", "language"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "avatar": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("Le nom affiché doit compter au moins 2 caractères."))
        return name

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and getattr(avatar, "size", 0) > AVATAR_MAX_BYTES:
            raise forms.ValidationError(_("L'image ne doit pas dépasser 2 Mo."))
        return avatar


class _AdminUserFormMixin(forms.ModelForm):
    """Wagtail's user forms, with our display name instead of first/last name."""

    first_name = None
    last_name = None
    display_name = forms.CharField(label=_("Nom affiché"), max_length=80)


class AdminUserCreationForm(_AdminUserFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["email", "display_name", "is_superuser", "groups"]


class AdminUserEditForm(_AdminUserFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = ["email", "display_name", "is_active", "is_superuser", "groups"]
