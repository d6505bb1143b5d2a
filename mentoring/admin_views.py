"""Staff views in the Wagtail admin: open requests with ranked suggestions, proposals
to approve, batch assignment, figures and their CSV export.

Who may open each one is its route in ``MentoringViewSet`` (below), over
``mentoring.permissions.request_policy`` and ``proposal_policy``."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mentoring import adapters, figures, services
from mentoring.errors import ServiceError
from mentoring.models import MentoringRequest, MentorProfile, Pairing, Proposal
from mentoring.permissions import proposal_policy, request_policy
from network.admin_viewsets import PolicyViewSet, Route
from network.validation import parse_id

SUGGESTIONS_ON_DASHBOARD = 3


def _render(request, template, title, context):
    """The page, with what the user may do on it (the buttons follow ``proposal_policy``)."""
    rights = {
        "can_propose": proposal_policy.user_has_permission(request.user, "add"),
        "can_review": proposal_policy.user_has_permission(request.user, "change"),
    }
    return TemplateResponse(
        request,
        template,
        {"header_title": title, "page_title": title, "header_icon": "group", **rights, **context},
    )


def dashboard(request):
    open_requests = list(MentoringRequest.objects.open().for_listing())
    mentors = adapters.load_mentors()
    tried = adapters.tried_pairs([r.pk for r in open_requests])
    rows = [
        (item, adapters.suggestions_for(item, mentors=mentors, tried=tried, limit=SUGGESTIONS_ON_DASHBOARD))
        for item in open_requests
    ]
    context = {
        "rows": rows,
        "pending": Proposal.objects.pending_review().for_listing(),
        "awaiting": Proposal.objects.awaiting_mentor().for_listing().order_by("deadline"),
        "active": Pairing.objects.active().for_listing(),
        "mentor_profiles": MentorProfile.objects.for_listing(),
    }
    return _render(request, "mentoring/admin/dashboard.html", _("Compagnonnage"), context)


def request_detail(request, pk):
    item = get_object_or_404(MentoringRequest.objects.for_listing(), pk=pk)
    context = {
        "item": item,
        "suggestions": adapters.suggestions_for(item, limit=10) if item.status == "open" else [],
        "proposals": item.proposals.select_related("mentor__venue").order_by("-created_at"),
    }
    return _render(request, "mentoring/admin/request_detail.html", item.project_name, context)


def propose(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item = get_object_or_404(MentoringRequest, pk=pk)
    mentor_id = parse_id(request.POST.get("mentor", ""))
    mentor = MentorProfile.objects.filter(pk=mentor_id).first() if mentor_id else None
    if mentor is None:
        messages.error(request, _("Choisissez un lieu compagnon."))
    else:
        try:
            services.propose_pairing(item, mentor, by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Proposition créée : validez-la pour prévenir le lieu."))
    return redirect("mentoring_admin:dashboard")


def proposal_action(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    proposal = get_object_or_404(Proposal, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.approve_proposal(proposal, by=request.user)
            messages.success(request, _("Proposition validée : le lieu compagnon est prévenu."))
        elif action == "discard":
            services.discard_proposal(proposal, by=request.user)
            messages.success(request, _("Proposition écartée : la demande revient dans la liste."))
        else:
            messages.error(request, _("Action inconnue."))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("mentoring_admin:dashboard")


def batch(request):
    """GET: the engine's proposal for every open request. POST: write the shown pairs, pending review."""
    if request.method == "POST":
        wanted = set()
        for value in request.POST.getlist("pair"):
            request_id, _sep, mentor_id = (parse_id(part) for part in value.partition(":"))
            if request_id and mentor_id:
                wanted.add((request_id, mentor_id))
        requests = MentoringRequest.objects.in_bulk([r for r, _m in wanted])
        mentors = MentorProfile.objects.in_bulk([m for _r, m in wanted])
        pairs = [(requests[r], mentors[m]) for r, m in sorted(wanted) if r in requests and m in mentors]
        created, skipped = services.propose_batch(pairs, by=request.user)
        messages.success(
            request,
            ngettext("%(n)s proposition à valider.", "%(n)s propositions à valider.", len(created))
            % {"n": len(created)},
        )
        for item, mentor, reason in skipped:
            messages.warning(request, f"{item} → {mentor}: {reason}")
        return redirect("mentoring_admin:dashboard")
    assignment, by_id, mentors = adapters.batch_assignment()
    context = {
        "pairs": [(by_id[p.request_id], mentors[p.mentor_id][0], p) for p in assignment.pairs],
        "unmatched": [by_id[pk] for pk in assignment.unmatched],
    }
    return _render(request, "mentoring/admin/batch.html", _("Affectation groupée"), context)


def figures_view(request):
    return _render(
        request,
        "mentoring/admin/figures.html",
        _("Chiffres du compagnonnage"),
        {"figures": figures.compute()},
    )


def figures_csv(request):
    response = HttpResponse(figures.to_csv(figures.compute()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="compagnonnage.csv"'
    return response


class MentoringViewSet(PolicyViewSet):
    """The compagnonnage's staff screens: who may open each one is its route's actions."""

    name = "mentoring_admin"
    url_prefix = "compagnonnage"
    icon = "group"
    menu_label = gettext_lazy("Compagnonnage")
    menu_order = 260
    permission_policy = request_policy
    routes = (
        Route("", dashboard, "dashboard"),
        Route("demande/<int:pk>/", request_detail, "request"),
        Route("demande/<int:pk>/proposer/", propose, "propose", ("add",), proposal_policy),
        Route("proposition/<int:pk>/", proposal_action, "proposal", ("change",), proposal_policy),
        Route("affectation/", batch, "batch", ("add",), proposal_policy),
        Route("chiffres/", figures_view, "figures"),
        Route("chiffres.csv", figures_csv, "figures_csv"),
    )
