"""Wagtail admin for calendar subscriptions: managers see and edit their venues' only."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from events.calendar_sync.fetch import FeedError
from events.calendar_sync.services import can_manage_subscriptions, import_calendar_file
from events.errors import ServiceError
from events.models import CalendarSubscription, PublishMode
from network.permissions import is_staff_member

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def managed_venues(user):
    from members.models import VenuePage

    if not user.is_authenticated or not user.is_active:
        return VenuePage.objects.none()
    if is_staff_member(user):
        return VenuePage.objects.all()
    return VenuePage.objects.filter(manager_group__in=user.groups.all())


class SubscriptionPermissionPolicy(BasePermissionPolicy):
    """Staff: every subscription; a venue manager: those of the venues they manage."""

    def user_has_permission(self, user, action):
        return managed_venues(user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return can_manage_subscriptions(user, instance.venue)

    def instances_user_has_any_permission_for(self, user, actions):
        return CalendarSubscription.objects.filter(venue__in=managed_venues(user)).exclude(url="")

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.none()


permission_policy = SubscriptionPermissionPolicy(CalendarSubscription)
register_permission_policy(CalendarSubscription, permission_policy)


class SubscriptionForm(WagtailAdminModelForm):
    class Meta:
        model = CalendarSubscription
        fields = ["venue", "url", "publish_mode", "is_active"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["url"].required = True
        self.fields["venue"].empty_label = _("— Choisissez un lieu —")
        self.fields["venue"].queryset = (
            managed_venues(for_user) if for_user else self.fields["venue"].queryset.none()
        )

    def clean_url(self):
        from urllib.parse import urlsplit

        url = self.cleaned_data["url"]
        if urlsplit(url).scheme not in ("http", "https"):
            raise forms.ValidationError(_("L'adresse doit commencer par http:// ou https://."))
        return url


class InstanceCheckMixin:
    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not permission_policy.user_has_permission_for_instance(self.request.user, "change", instance):
            raise PermissionDenied
        return instance


class SubscriptionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        ).select_related("venue")


class SubscriptionEditView(InstanceCheckMixin, generic.EditView):
    pass


class SubscriptionDeleteView(InstanceCheckMixin, generic.DeleteView):
    pass


class CalendarSubscriptionViewSet(ModelViewSet):
    model = CalendarSubscription
    index_view_class = SubscriptionIndexView
    edit_view_class = SubscriptionEditView
    delete_view_class = SubscriptionDeleteView
    icon = "calendar"
    menu_label = _("Calendriers abonnés")
    add_to_admin_menu = True
    list_display = [
        "venue",
        "url",
        "publish_mode",
        "last_success_at",
        "failures",
        "last_error",
        "last_report",
    ]
    url_prefix = "calendriers"
    name = "calendar_subscriptions"

    def get_form_class(self, for_update=False):
        return SubscriptionForm


# -- one-off .ics upload ---------------------------------------------------------


class UploadForm(forms.Form):
    venue = forms.ModelChoiceField(label=_("Lieu"), queryset=None)
    file = forms.FileField(label=_("Fichier .ics"))
    publish_mode = forms.ChoiceField(label=_("Nouveaux événements"), choices=PublishMode.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = managed_venues(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Le fichier est trop volumineux (5 Mo au plus)."))
        return upload.read()


def upload_view(request):
    if not managed_venues(request.user).exists():
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            report = import_calendar_file(
                form.cleaned_data["venue"],
                form.cleaned_data["file"],
                by=request.user,
                publish_mode=form.cleaned_data["publish_mode"],
            )
        except (FeedError, ServiceError) as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, report.as_text())
            return redirect("calendar_sync_upload")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "events/admin/calendar_upload.html",
        {"form": form, "page_title": _("Importer un fichier .ics")},
        status=status,
    )
