from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from members.services import is_staff_member
from mentoring import admin_views
from network.admin_panels import STAFF_TODO_HOOK, TodoItem


@hooks.register("register_admin_urls")
def register_mentoring_urls():
    return [
        path("compagnonnage/", admin_views.dashboard, name="mentoring_dashboard"),
        path("compagnonnage/demande/<int:pk>/", admin_views.request_detail, name="mentoring_request"),
        path("compagnonnage/demande/<int:pk>/proposer/", admin_views.propose, name="mentoring_propose"),
        path("compagnonnage/proposition/<int:pk>/", admin_views.proposal_action, name="mentoring_proposal"),
        path("compagnonnage/affectation/", admin_views.batch, name="mentoring_batch"),
        path("compagnonnage/chiffres/", admin_views.figures_view, name="mentoring_figures"),
        path("compagnonnage/chiffres.csv", admin_views.figures_csv, name="mentoring_figures_csv"),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff_member(request.user)


@hooks.register("register_admin_menu_item")
def register_mentoring_menu_item():
    return StaffMenuItem(_("Compagnonnage"), reverse("mentoring_dashboard"), icon_name="group", order=260)


@hooks.register(STAFF_TODO_HOOK)
def waiting_requests_todo(request):
    from mentoring.models import MentoringRequest

    return TodoItem(
        _("Demandes de compagnonnage sans lieu proposé"),
        MentoringRequest.objects.open().count(),
        reverse("mentoring_dashboard"),
        order=20,
    )


@hooks.register(STAFF_TODO_HOOK)
def proposals_to_review_todo(request):
    from mentoring.models import Proposal

    return TodoItem(
        _("Propositions de compagnonnage à valider"),
        Proposal.objects.pending_review().count(),
        reverse("mentoring_dashboard"),
        order=21,
    )
