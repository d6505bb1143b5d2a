"""The admin form of an event page: an image comes with its alt text, and the
commune's empty choice says what it means.

Checked here, not in ``EventPage.clean()``: pages save through ``full_clean``,
and an event stored before the rule must still save from the services.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

IMAGE_ALT_REQUIRED = _(
    "Décrivez ce que montre l'image : ce texte la remplace pour les personnes qui ne la voient pas."
)


class EventPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "commune" in self.fields:
            # Left empty, the event is placed in its venue's commune.
            self.fields["commune"].empty_label = _("— Celle du lieu, ou non précisée —")

    def clean(self):
        data = super().clean()
        if data.get("image") is not None and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", IMAGE_ALT_REQUIRED)
        return data
