"""Wagtail admin views of the staff: venue claims to approve or refuse.

Who may open them is the routes of ``members.viewsets.ClaimViewSet``
(``members.permissions.claim_policy``); deciding needs its "change"."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from members.forms import ClaimDecisionForm
from members.models import VenueClaim
from members.permissions import claim_policy
from members.services import ServiceError, approve_claim, refuse_claim
from network.admin_viewsets import require_action


def claim_list(request):
    status = request.GET.get("status", VenueClaim.Status.PENDING)
    if status not in VenueClaim.Status.values:
        status = VenueClaim.Status.PENDING
    claims = VenueClaim.objects.for_listing().filter(status=status)[:200]
    return TemplateResponse(
        request,
        "members/admin/claim_list.html",
        {
            "claims": claims,
            "status": status,
            "statuses": VenueClaim.Status.choices,
            "header_title": _("Demandes de référencement"),
            "page_title": _("Demandes de référencement"),
            "header_icon": "home",
        },
    )


def claim_detail(request, pk):
    claim = get_object_or_404(VenueClaim.objects.for_listing(), pk=pk)
    if request.method == "POST":
        require_action(request, claim_policy, "change")
    form = ClaimDecisionForm(request.POST or None)
    if request.method == "POST" and claim.is_pending and form.is_valid():
        decide = approve_claim if form.cleaned_data["decision"] == "approve" else refuse_claim
        try:
            decide(claim, by=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("La décision est enregistrée et le demandeur prévenu par e-mail."))
            return redirect("members_claims:index")
    return TemplateResponse(
        request,
        "members/admin/claim_detail.html",
        {
            "claim": claim,
            "form": form,
            "can_decide": claim_policy.user_has_permission(request.user, "change"),
            "header_title": str(claim),
            "page_title": _("Demande de référencement"),
            "page_subtitle": str(claim),
            "header_icon": "home",
        },
    )
