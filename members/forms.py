from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from members.models import Commune, User
from network.uploads import SafeImageField

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_MAX_PIXELS = 20_000_000  # read from the header, before any decoding
AVATAR_MAX_SIDE = 1024  # stored re-encoded, at most this wide and high


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

    avatar = SafeImageField(
        label=_("Avatar"),
        required=False,
        max_bytes=AVATAR_MAX_BYTES,
        max_pixels=AVATAR_MAX_PIXELS,
        max_side=AVATAR_MAX_SIDE,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG ou WebP, 2 Mo au plus."),
    )

    class Meta:
        model = User
        fields = ["display_name", "bio", "commune", "avatar", "language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("Le nom affiché doit compter au moins 2 caractères."))
        return name


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


def commune_from_code(code):
    """The Commune with this INSEE code, ``None`` for no code (one query, only when
    a code is given); a filter form's ``clean_commune``."""
    code = code.strip()
    if not code:
        return None
    commune = Commune.objects.filter(insee_code=code).first()
    if commune is None:
        raise forms.ValidationError(_("Commune inconnue : « %(code)s »."), params={"code": code})
    return commune


class VenueFilterForm(forms.Form):
    """The directory's query string: every filter optional, all combinable.

    Values that do not validate are reported to the visitor and ignored, so a
    hand-edited URL never raises a server error. The page renders the menus
    itself (``templates/members/venue_index_page.html``).
    """

    q = forms.CharField(label=_("Rechercher"), max_length=100, required=False, strip=True)
    commune = forms.CharField(label=_("Commune"), max_length=5, required=False)
    activity = forms.ChoiceField(label=_("Activité"), required=False)
    tag = forms.SlugField(label=_("Étiquette"), max_length=100, required=False, allow_unicode=True)
    qpv = forms.BooleanField(label=_("En quartier prioritaire (QPV)"), required=False)
    mentoring = forms.BooleanField(label=_("Propose du compagnonnage"), required=False)
    accessible = forms.BooleanField(label=_("Accessible de plain-pied"), required=False)

    def __init__(self, *args, **kwargs):
        from members.vocabulary import ACTIVITY_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("Toutes les activités")), *ACTIVITY_CHOICES]

    def clean_commune(self):
        return commune_from_code(self.cleaned_data["commune"])


class VenueClaimForm(forms.Form):
    """ "Référencer mon lieu": claim an existing venue or describe a new one."""

    venue = forms.ModelChoiceField(
        label=_("Votre lieu est déjà dans l'annuaire"),
        queryset=None,
        required=False,
        empty_label=_("— Non, c'est un nouveau lieu —"),
    )
    name = forms.CharField(label=_("Nom du lieu"), max_length=255, required=False)
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.all(), required=False, empty_label=_("— Choisir —")
    )
    street_address = forms.CharField(label=_("Adresse"), max_length=255, required=False)
    main_activity = forms.ChoiceField(label=_("Activité principale"), required=False)
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    message = forms.CharField(
        label=_("Votre rôle dans le lieu"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Dites à l'équipe du réseau qui vous êtes pour ce lieu."),
    )

    def __init__(self, *args, **kwargs):
        from members.models import VenuePage
        from members.vocabulary import ACTIVITY_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = VenuePage.objects.published().order_by("title")
        self.fields["main_activity"].choices = [("", _("— Choisir —")), *ACTIVITY_CHOICES]

    def clean(self):
        data = super().clean()
        if data.get("venue") is None:
            for field in ("name", "commune", "main_activity"):
                if not data.get(field):
                    self.add_error(field, _("Requis pour un nouveau lieu."))
        return data


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("approve", _("Accepter")), ("refuse", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Envoyé au demandeur ; obligatoire en cas de refus."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif du refus."))
        return data


IMPORT_MAX_BYTES = 20 * 1024 * 1024


class VenueImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_(
            "CSV du recensement ANCT 2019, CSV ou GeoJSON exporté par le site, GeoJSON (uMap…). "
            "Rien n'est écrit avant votre confirmation."
        ),
    )

    def clean_file(self):
        from members.importer import ImportFileError
        from members.imports import read_data

        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Fichier trop lourd (20 Mo au plus)."))
        data = upload.read()
        try:
            read_data(data, upload.name)
        except ImportFileError as error:
            raise forms.ValidationError(_("Fichier illisible : %(error)s") % {"error": error}) from error
        self.cleaned_data["data"] = data
        return upload


class VenueImportConfirmForm(forms.Form):
    """The ticked lines of the preview: ``lines`` checkboxes, or ``lines_csv`` set by the page's script."""

    publish = forms.BooleanField(label=_("Publier directement les nouveaux lieux"), required=False)
    lines_csv = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        raw = data.get("lines_csv")
        values = raw.split(",") if raw else self.data.getlist("lines")
        try:
            data["lines"] = {int(value) for value in values if value.strip()}
        except ValueError as error:
            raise forms.ValidationError(_("Lignes invalides.")) from error
        if not data["lines"]:
            raise forms.ValidationError(_("Cochez au moins une ligne à importer."))
        return data
