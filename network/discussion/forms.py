"""Forms of the no-JavaScript path; the services do the real checks."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from network.discussion import conf


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        required=False,  # a file may go alone; the service refuses an empty message without one
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Markdown léger : **gras**, *italique*, `code`, listes, liens. @NomSansEspaces mentionne."
        ),
    )
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, min_value=1, max_value=2**53, widget=forms.HiddenInput)
    file = forms.FileField(label=_("Joindre un fichier"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("body") and not data.get("file") and "body" not in self.errors:
            self.add_error("body", self.fields["body"].error_messages["required"])
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = conf.max_length()
        self.fields["body"].widget.attrs["maxlength"] = conf.max_length()
        if not self.is_bound:
            # One id per rendered form: a double submit stores one message.
            self.initial.setdefault("client_id", uuid.uuid4())


class EditMessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = conf.max_length()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MuteForm(ReasonForm):
    DURATIONS = {"1h": 1, "24h": 24, "7j": 24 * 7, "30j": 24 * 30}
    duration = forms.ChoiceField(
        label=_("Durée"),
        choices=[("1h", _("1 heure")), ("24h", _("24 heures")), ("7j", _("7 jours")), ("30j", _("30 jours"))],
    )

    def until(self):
        from datetime import timedelta

        from django.utils import timezone

        return timezone.now() + timedelta(hours=self.DURATIONS[self.cleaned_data["duration"]])


class RoomForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


def first_error(form):
    """The first error of an invalid form, as one sentence for a flash message."""
    for errors in form.errors.values():
        return errors[0]
    return _("Formulaire invalide.")
