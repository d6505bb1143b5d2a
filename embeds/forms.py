"""The "Intégrer sur votre site" form: which embed, its filters, its language and height.

Every menu offers only values the embeds accept (the calendar's and the
directory's own query-string values), so the snippet carries the same
parameters as ``/agenda/`` and ``/lieux/``.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

AGENDA, MAP = "agenda", "carte"
MIN_HEIGHT, MAX_HEIGHT, DEFAULT_HEIGHT = 200, 2000, 600


class EmbedOptionsForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Que voulez-vous intégrer ?"),
        choices=[(AGENDA, _("L'agenda")), (MAP, _("La carte des lieux"))],
        initial=AGENDA,
        required=False,
        widget=forms.RadioSelect,
    )
    lang = forms.ChoiceField(label=_("Langue"), required=False)
    height = forms.IntegerField(
        label=_("Hauteur (pixels)"), min_value=MIN_HEIGHT, max_value=MAX_HEIGHT, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lang"].choices = [("", _("Celle du visiteur")), *settings.LANGUAGES]
        self.fields["height"].widget.attrs.update({"placeholder": DEFAULT_HEIGHT, "step": 10})


def _optional(label, choices, empty_label):
    return forms.ChoiceField(label=label, choices=[("", empty_label), *choices], required=False)


class EmbedFiltersForm(forms.Form):
    """Filters of one embed, named as in the calendar's or the directory's query string.

    The builder shows one set at a time (the other one is disabled, so the
    browser does not submit it): their names may overlap (``commune``).
    """

    def query_params(self):
        """``[(name, value)]`` of the valid, non-empty filters."""
        data = getattr(self, "cleaned_data", {})
        params = []
        for name in self.fields:
            value = data.get(name)
            if name in self.errors or value in (None, "", False):
                continue
            params.append((name, "1" if value is True else value))
        return params


class AgendaEmbedForm(EmbedFiltersForm):
    def __init__(self, *args, menus, **kwargs):
        from events.vocabulary import Kind

        super().__init__(*args, auto_id=f"{AGENDA}_%s", **kwargs)
        self.fields["kind"] = _optional(_("Type"), Kind.choices, _("Tous les types"))
        self.fields["commune"] = _optional(_("Commune"), menus["communes"], _("Toutes les communes"))
        self.fields["venue"] = _optional(_("Lieu"), menus["venues"], _("Tous les lieux"))
        self.fields["tag"] = _optional(_("Étiquette"), menus["event_tags"], _("Toutes les étiquettes"))


class MapEmbedForm(EmbedFiltersForm):
    def __init__(self, *args, menus, **kwargs):
        from members.vocabulary import ACTIVITY_CHOICES

        super().__init__(*args, auto_id=f"{MAP}_%s", **kwargs)
        self.fields["activity"] = _optional(_("Activité"), ACTIVITY_CHOICES, _("Toutes les activités"))
        self.fields["commune"] = _optional(_("Commune"), menus["communes"], _("Toutes les communes"))
        self.fields["tag"] = _optional(_("Étiquette"), menus["venue_tags"], _("Toutes les étiquettes"))
        for name, label in (
            ("qpv", _("En quartier prioritaire (QPV)")),
            ("mentoring", _("Propose du compagnonnage")),
            ("accessible", _("Accessible de plain-pied")),
        ):
            self.fields[name] = forms.BooleanField(
                label=label, required=False, widget=forms.CheckboxInput(attrs={"value": "1"})
            )


def builder_menus():
    """Choices of the builder's menus (four queries)."""
    from events.calendar import tags_in_use as event_tags
    from members.directory import tags_in_use as venue_tags
    from members.models import Commune, VenuePage

    published = VenuePage.objects.published()
    return {
        "communes": list(
            Commune.objects.filter(pk__in=published.values("commune"))
            .order_by("name")
            .values_list("insee_code", "name")
        ),
        "venues": list(published.order_by("title").values_list("slug", "title")),
        "event_tags": list(event_tags().values_list("slug", "name")),
        "venue_tags": list(venue_tags().values_list("slug", "name")),
    }
