"""Event proposals from the public site (``/agenda/proposer/``) and the
workflow task that moderates them.

A proposal is a draft ``EventPage`` (under the chosen venue, else under the
calendar) plus this record of who proposed it and how it went. A member's
proposal enters moderation at once; a visitor's once they follow the link
e-mailed to them. Moderation is a Wagtail workflow whose one task,
``ProposalModerationTask``, lets approve or refuse whoever may publish the
page: staff anywhere, a venue's managers under their venue (their venue
group's page permissions, ``members.services.ensure_venue_group``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState


class ProposalStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("adresse à confirmer")
    SUBMITTED = "submitted", _("en modération")
    APPROVED = "approved", _("publiée")
    REJECTED = "rejected", _("refusée")


class EventProposal(models.Model):
    page = models.OneToOneField(
        "events.EventPage", on_delete=models.CASCADE, related_name="proposal", verbose_name=_("événement")
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_proposals",
        verbose_name=_("membre"),
    )
    name = models.CharField(_("nom"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        _("état"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.UNCONFIRMED
    )
    reason = models.TextField(_("motif du refus"), blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposition d'événement")
        verbose_name_plural = _("propositions d'événements")

    def __str__(self):
        return f"{self.page.title} ({self.get_status_display()})"


def _can_moderate(obj, user):
    # the admin's workflow views pass a Page, not always the specific EventPage
    if not user.is_authenticated or not user.is_active or not isinstance(obj, Page):
        return False
    return obj.permissions_for_user(user).can_publish()


class ProposalModerationTask(Task):
    """Approve or refuse a proposed event: whoever may publish the page (staff, its venue's managers)."""

    def user_can_access_editor(self, obj, user):
        return _can_moderate(obj, user)

    def locked_for_user(self, obj, user):
        return not _can_moderate(obj, user)

    def get_actions(self, obj, user):
        if _can_moderate(obj, user):
            return [
                ("reject", _("Refuser (le motif est envoyé à la personne)"), True),
                ("approve", _("Approuver et publier"), False),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from events.models.pages import EventPage

        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if not user.is_authenticated or not user.is_active:
            return states.none()
        if user.is_superuser:
            return states
        publishable = [
            str(page.pk)
            for page in EventPage.objects.filter(
                pk__in=[int(pk) for pk in states.values_list("workflow_state__object_id", flat=True)]
            )
            if page.permissions_for_user(user).can_publish()
        ]
        return states.filter(workflow_state__object_id__in=publishable)

    @classmethod
    def get_description(cls):
        return _("Les personnes qui peuvent publier l'événement l'approuvent ou le refusent")

    class Meta:
        verbose_name = _("modération des propositions")
        verbose_name_plural = _("modérations des propositions")
