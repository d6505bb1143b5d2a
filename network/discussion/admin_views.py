"""The moderation screen in the Wagtail admin: open reports with the message in
context, hide and unhide, mute a member in a room, the audit trail.

Who sees what is one permission policy: staff every room that is not private,
a room's moderators (a venue's managers for its room) that room only. Of a
direct conversation, staff see only what was reported there (the reported
message in context); nothing else of it reaches the admin.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from network.discussion import services
from network.discussion.errors import ServiceError
from network.discussion.forms import MuteForm, ReasonForm, first_error
from network.discussion.models import Message, ModerationAction, Report, Room
from network.discussion.permissions import can_moderate_reported, is_verified, sees_every_public_room

CONTEXT_SIZE = 3  # messages shown before and after the reported one


class ModerationPermissionPolicy(BasePermissionPolicy):
    """Reports and audit rows of the rooms a user moderates; only "view" and "change"
    (moderate) exist: nobody adds or deletes them from the admin."""

    actions = ("view", "change")

    def __init__(self, model, *, room_lookup):
        super().__init__(model)
        self.room_lookup = room_lookup

    def user_has_permission(self, user, action):
        if action not in self.actions:
            return False
        return _is_staff(user) or Room.objects.moderated_by(user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        if self.model is Report:
            room, target = instance.message.room, {"message": instance.message}
        else:
            room, target = instance.room, {}
        return action in self.actions and can_moderate_reported(user, room, **target)

    def instances_user_has_any_permission_for(self, user, actions):
        if not set(actions) & set(self.actions):
            return self.model.objects.none()
        condition = Q(**{f"{self.room_lookup}__in": Room.objects.moderated_by(user)})
        if _is_staff(user):
            # Direct conversations: reports name their message; the audit rows
            # there are staff's own decisions on reported messages.
            condition |= Q(**{f"{self.room_lookup}__kind": Room.Kind.DIRECT})
        return self.model.objects.filter(condition)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.none()


def _is_staff(user):
    return is_verified(user) and sees_every_public_room(user)


report_policy = ModerationPermissionPolicy(Report, room_lookup="message__room")
action_policy = ModerationPermissionPolicy(ModerationAction, room_lookup="room")


def _require(request, action="view"):
    if not report_policy.user_has_permission(request.user, action):
        raise PermissionDenied


def _report_or_404(request, pk):
    report = (
        report_policy.instances_user_has_permission_for(request.user, "change")
        .select_related("message__room", "message__author", "reporter")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_index(request):
    _require(request)
    resolved = request.GET.get("etat") == "traites"
    reports = (
        report_policy.instances_user_has_permission_for(request.user, "view")
        .filter(resolved=resolved)
        .select_related("message__room", "message__author", "reporter")
        .order_by("-created")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "discussion/admin/report_index.html",
        {"page_title": _("Signalements"), "page_obj": page, "resolved": resolved},
    )


def report_detail(request, pk):
    _require(request, "change")
    report = _report_or_404(request, pk)
    message = report.message
    if request.method == "POST":
        return _moderate(request, report)
    room_messages = Message.objects.filter(room=message.room).for_display()
    before = list(reversed(room_messages.filter(id__lt=message.pk).order_by("-id")[:CONTEXT_SIZE]))
    after = list(room_messages.filter(id__gt=message.pk).order_by("id")[:CONTEXT_SIZE])
    muted_until = (
        message.room.memberships.filter(user=message.author, muted_until__gt=timezone.now())
        .values_list("muted_until", flat=True)
        .first()
    )
    return TemplateResponse(
        request,
        "discussion/admin/report_detail.html",
        {
            "page_title": _("Signalement"),
            "report": report,
            "message": message,
            "context_messages": [*before, message, *after],
            "other_reports": message.reports.exclude(pk=report.pk).select_related("reporter"),
            "muted_until": muted_until,
            "reason_form": ReasonForm(),
            "mute_form": MuteForm(),
        },
    )


def _moderate(request, report):
    message, action = report.message, request.POST.get("action")
    form = (MuteForm if action == "mute" else ReasonForm)(request.POST)
    if action not in ("hide", "unhide", "dismiss", "mute", "unmute"):
        messages.error(request, _("Action inconnue."))
    elif not form.is_valid():
        messages.error(request, first_error(form))
    else:
        reason = form.cleaned_data["reason"]
        try:
            if action in ("hide", "unhide"):
                services.hide_message(message, by=request.user, reason=reason, hidden=action == "hide")
            elif action == "dismiss":
                services.dismiss_report(report, by=request.user, reason=reason)
            else:
                until = form.until() if action == "mute" else None
                services.mute_member(
                    message.room, message.author, by=request.user, until=until, reason=reason
                )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("C'est fait."))
    return redirect("discussion_moderation:report", pk=report.pk)


def audit_index(request):
    _require(request)
    actions = (
        action_policy.instances_user_has_permission_for(request.user, "view")
        .select_related("room", "message__author", "actor", "member")
        .order_by("-created")
    )
    page = Paginator(actions, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "discussion/admin/audit_index.html",
        {"page_title": _("Journal de modération"), "page_obj": page},
    )


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return report_policy.user_has_permission(request.user, "view")


class ModerationViewSet(ViewSet):
    name = "discussion_moderation"
    url_prefix = "moderation"
    icon = "warning"
    menu_item_class = ModerationMenuItem
    menu_label = gettext_lazy("Modération des discussions")
    add_to_admin_menu = True
    menu_order = 620

    def get_urlpatterns(self):
        return [
            path("", report_index, name="index"),
            path("<int:pk>/", report_detail, name="report"),
            path("journal/", audit_index, name="audit"),
        ]
