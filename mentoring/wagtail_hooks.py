from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from mentoring.admin_views import MentoringViewSet
from mentoring.models import MentoringRequest, Proposal
from mentoring.permissions import proposal_policy, request_policy
from network.admin_panels import STAFF_TODO_HOOK, TodoItem

register_permission_policy(MentoringRequest, request_policy)
register_permission_policy(Proposal, proposal_policy)


@hooks.register("register_admin_viewset")
def register_mentoring():
    return MentoringViewSet()


@hooks.register(STAFF_TODO_HOOK)
def waiting_requests_todo(request):
    if not proposal_policy.user_has_permission(request.user, "add"):
        return None
    return TodoItem(
        _("Demandes de compagnonnage sans lieu proposé"),
        MentoringRequest.objects.open().count(),
        reverse("mentoring_admin:dashboard"),
        order=20,
    )


@hooks.register(STAFF_TODO_HOOK)
def proposals_to_review_todo(request):
    if not proposal_policy.user_has_permission(request.user, "change"):
        return None
    return TodoItem(
        _("Propositions de compagnonnage à valider"),
        Proposal.objects.pending_review().count(),
        reverse("mentoring_admin:dashboard"),
        order=21,
    )
