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


class ConversationForm(forms.Form):
    """Start a direct conversation: the members named (ids from a member's name,
    and ``@handles`` typed in), the first message."""

    members = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.MultipleHiddenInput)
    others = forms.CharField(
        label=_("Ajouter des membres"),
        required=False,
        max_length=800,
        help_text=_("Leur nom sans espaces précédé de @, par exemple @CamilleMembre."),
    )
    body = forms.CharField(label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 4}))
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, by, fixed=None, **kwargs):
        """``fixed``: the recipients are given (a venue's team) and not chosen in the form."""
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.by, self.fixed = by, fixed
        self.fields["members"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["body"].max_length = conf.max_length()
        self.fields["body"].widget.attrs["maxlength"] = conf.max_length()
        if fixed is not None:
            del self.fields["members"], self.fields["others"]
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())

    def clean_others(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Value
        from django.db.models.functions import Lower, Replace

        from network.discussion.rendering import MENTION_RE

        text = self.cleaned_data["others"]
        handles = [match.lower() for match in MENTION_RE.findall(text)]
        leftover = MENTION_RE.sub("", text).replace(",", " ").strip()
        if leftover:
            raise forms.ValidationError(
                _("Écrivez chaque membre sous la forme @NomSansEspaces (sans espaces ni autre texte).")
            )
        found = {}
        users = (
            get_user_model()
            .objects.annotate(handle=Lower(Replace("display_name", Value(" "), Value(""))))
            .filter(handle__in=handles, is_active=True)
        )
        for user in users:
            found.setdefault(user.handle, []).append(user)
        chosen = []
        for handle in dict.fromkeys(handles):
            matches = found.get(handle, [])
            if not matches:
                raise forms.ValidationError(_("Aucun membre ne s'appelle @%(handle)s.") % {"handle": handle})
            if len(matches) > 1:
                raise forms.ValidationError(
                    _("Plusieurs membres s'appellent @%(handle)s : écrivez-leur depuis leur nom.")
                    % {"handle": handle}
                )
            chosen.append(matches[0])
        return chosen

    def clean(self):
        from network.discussion.direct import MAX_MEMBERS

        cleaned = super().clean()
        if self.fixed is not None:
            cleaned["recipients"] = list(self.fixed)
            return cleaned
        recipients = {}
        for user in [*(cleaned.get("members") or []), *(cleaned.get("others") or [])]:
            if user.pk != self.by.pk:
                recipients[user.pk] = user
        if not recipients and not self.errors:
            raise forms.ValidationError(_("Choisissez au moins un membre à qui écrire."))
        if len(recipients) + 1 > MAX_MEMBERS:
            raise forms.ValidationError(
                _("Une conversation réunit au plus %(max)s membres, vous compris.") % {"max": MAX_MEMBERS}
            )
        cleaned["recipients"] = list(recipients.values())
        return cleaned


class BlockForm(forms.Form):
    action = forms.ChoiceField(choices=[("block", _("Bloquer")), ("unblock", _("Débloquer"))])
    back = forms.ChoiceField(choices=[("member", "member"), ("list", "list")], required=False)
