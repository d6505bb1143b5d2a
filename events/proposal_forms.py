"""The public form of ``/agenda/proposer/``: validation only (``events.proposals`` acts)."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import conf
from events.forms import MAX_DAY, MIN_DAY
from events.recurrence import parse_exdates
from events.vocabulary import Kind, Repeat
from network.public_forms import HoneypotFormMixin
from network.uploads import SafeImageField

IMAGE_MAX_BYTES = 5 * 1024 * 1024
DESCRIPTION_MAX_LENGTH = 10_000
REGISTRATION_ON_SITE, REGISTRATION_NONE = "site", "none"
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProposalForm(HoneypotFormMixin, forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=150)
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Nous y envoyons un lien pour confirmer la proposition, puis la décision."),
    )
    title = forms.CharField(label=_("Titre"), max_length=120)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices, initial=Kind.WORKSHOP)
    summary = forms.CharField(label=_("Résumé"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mise en forme simple : gras, italique, listes, liens."),
    )
    start = forms.DateTimeField(label=_("Début"), widget=DATETIME_WIDGET)
    end = forms.DateTimeField(label=_("Fin"), widget=DATETIME_WIDGET)
    all_day = forms.BooleanField(label=_("Toute la journée"), required=False)
    repeat = forms.ChoiceField(label=_("Répétition"), choices=Repeat.choices, initial=Repeat.NONE)
    repeat_interval = forms.IntegerField(
        label=_("Toutes les N semaines ou N mois"), min_value=1, max_value=52, initial=1, required=False
    )
    repeat_until = forms.DateField(
        label=_("Jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    repeat_count = forms.IntegerField(label=_("Nombre de dates"), min_value=1, required=False)
    exception_dates = forms.CharField(
        label=_("Dates exclues"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dates AAAA-MM-JJ, une par ligne, où l'événement n'a pas lieu."),
    )
    venue = forms.ModelChoiceField(
        label=_("Lieu du réseau"), queryset=None, required=False, empty_label=_("— autre adresse —")
    )
    street_address = forms.CharField(
        label=_("Adresse"), max_length=255, required=False, help_text=_("Si ce n'est pas un lieu du réseau.")
    )
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None, required=False)
    registration_mode = forms.ChoiceField(
        label=_("Inscription"),
        choices=[
            (REGISTRATION_ON_SITE, _("Inscription sur le site")),
            (REGISTRATION_NONE, _("Entrée libre, sans inscription")),
        ],
        initial=REGISTRATION_ON_SITE,
        widget=forms.RadioSelect,
    )
    capacity = forms.IntegerField(
        label=_("Places par date"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("Laissez vide pour un nombre illimité."),
    )
    image = SafeImageField(
        label=_("Image"),
        required=False,
        max_bytes=IMAGE_MAX_BYTES,
        max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS,
        max_side=2400,
        help_text=_("JPEG, PNG ou WebP, 5 Mo au plus."),
    )
    image_alt = forms.CharField(
        label=_("Description de l'image"),
        required=False,
        max_length=250,
        help_text=_("Ce que montre l'image, en une phrase, pour qui ne la voit pas. Requise avec une image."),
    )

    def __init__(self, *args, visitor=True, **kwargs):
        from members.models import Commune, VenuePage

        super().__init__(*args, **kwargs)
        if not visitor:  # a member: their account says who they are
            del self.fields["name"], self.fields["email"]
        self.fields["venue"].queryset = VenuePage.objects.published().order_by("title")
        self.fields["commune"].queryset = Commune.objects.order_by("name")

    def _in_range(self, name, day):
        if not MIN_DAY <= day <= MAX_DAY:
            self.add_error(
                name,
                _("Choisissez une date entre %(first)s et %(last)s.")
                % {"first": MIN_DAY.year, "last": MAX_DAY.year},
            )
            return False
        return True

    def clean(self):
        from events.page_form import IMAGE_ALT_REQUIRED

        data = super().clean()
        if data.get("image") is not None and not data.get("image_alt"):
            self.add_error("image_alt", IMAGE_ALT_REQUIRED)
        start, end = data.get("start"), data.get("end")
        if start and self._in_range("start", timezone.localtime(start).date()) and start <= timezone.now():
            self.add_error("start", _("Choisissez une date à venir."))
        if end and self._in_range("end", timezone.localtime(end).date()) and start and end < start:
            self.add_error("end", _("La fin doit suivre le début."))
        self._clean_repeat(data)
        if not data.get("venue") and not data.get("street_address"):
            self.add_error("venue", _("Choisissez un lieu du réseau ou indiquez une adresse."))
        data["registration_enabled"] = data.get("registration_mode") == REGISTRATION_ON_SITE
        data["repeat_interval"] = data.get("repeat_interval") or 1
        return data

    def _clean_repeat(self, data):
        until, count = data.get("repeat_until"), data.get("repeat_count")
        if data.get("repeat", Repeat.NONE) == Repeat.NONE:
            data["repeat_until"], data["repeat_count"] = None, None
        elif count and count > conf.max_occurrences():
            self.add_error("repeat_count", _("Au plus %(max)s dates.") % {"max": conf.max_occurrences()})
        elif until and count:
            self.add_error("repeat_count", _("Indiquez une date de fin ou un nombre de dates, pas les deux."))
        elif not until and not count:
            self.add_error(
                "repeat_until",
                _("Une répétition doit s'arrêter : indiquez une date de fin ou un nombre de dates."),
            )
        elif (
            until
            and self._in_range("repeat_until", until)
            and data.get("start")
            and until < timezone.localtime(data["start"]).date()
        ):
            self.add_error("repeat_until", _("La date de fin de la répétition précède la première date."))
        _dates, invalid = parse_exdates(data.get("exception_dates", ""))
        if invalid:
            self.add_error(
                "exception_dates",
                _("Dates non reconnues : %(dates)s (format AAAA-MM-JJ).") % {"dates": ", ".join(invalid[:5])},
            )
