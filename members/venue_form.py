"""The admin form of a venue page: its commune agrees with its position.

The commune is the one whose outline holds the point (``members.geography``),
as for an imported venue, so the venue page, the directory and the figures
count a venue where the importer would.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from members import geography
from members.import_geography import outside_metropole


class VenuePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        from members.models.venues import GALLERY_ALT_REQUIRED

        super().__init__(*args, **kwargs)
        if "commune" in self.fields:
            self.fields["commune"].empty_label = _("— Choisissez une commune —")
        # Each gallery photo needs its alt text: say why, not just "required".
        gallery = self.formsets.get("gallery_images")
        for form in gallery.forms if gallery is not None else ():
            if "alt_text" in form.fields:
                form.fields["alt_text"].error_messages["required"] = GALLERY_ALT_REQUIRED

    def clean(self):
        data = super().clean()
        lat, lng, commune = data.get("latitude"), data.get("longitude"), data.get("commune")
        if lat is None or lng is None:
            return data
        code = geography.commune_at(lat, lng)
        if code is None:
            self.add_error("latitude", outside_metropole(lat, lng))
        elif (
            commune is not None
            and commune.insee_code != code
            and not geography.is_near(commune.insee_code, lat, lng)
        ):
            self.add_error(
                "commune",
                _("La position est à %(found)s, pas à %(chosen)s : corrigez la commune ou la position.")
                % {"found": geography.outlines()[code].name, "chosen": commune.name},
            )
        return data
