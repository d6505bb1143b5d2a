"""Front-end views of the compagnonnage, served by ``MentoringPage``'s routes.

Thin: fetch and authorize (``access_*``), validate (forms), call a service,
turn a ``ServiceError`` into a message.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.services import venues_managed_by
from mentoring import services
from mentoring.errors import ServiceError
from mentoring.forms import (
    CheckInForm,
    ClosePairingForm,
    MentoringRequestForm,
    MentorProfileForm,
    ProposalAnswerForm,
    VisitForm,
)
from mentoring.models import MentoringRequest, MentorProfile, Pairing, Proposal
from mentoring.permissions import (
    access_own_request,
    access_pairing,
    access_proposal_for_answer,
    access_venue_for_mentoring,
    can_close_pairing,
    is_party,
    is_verified_member,
)
from network.site_url import absolute_url


def _url(page, name, *args):
    return page.url + page.reverse_subpage(name, args=args or None)


def _render(request, page, template, context, status=200):
    return TemplateResponse(request, template, {"page": page, **context}, status=status)


def _gate(request, page):
    """``None`` for a verified member; else the login redirect or a clear explanation."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_verified_member(request.user):
        return _render(request, page, "mentoring/verify_email.html", {}, status=403)
    return None


def landing(request, page):
    context = {}
    if request.user.is_authenticated:
        context["my_request_count"] = (
            MentoringRequest.objects.current().filter(applicant=request.user).count()
        )
    return _render(request, page, "mentoring/mentoring_page.html", context)


def new_request(request, page):
    if (response := _gate(request, page)) is not None:
        return response
    form = MentoringRequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_request(form.cleaned_data, by=request.user)
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("Votre demande est envoyée : l'équipe du réseau revient vers vous.")
                )
                return redirect(_url(page, "my_requests"))
        else:
            messages.error(request, _("La demande n'a pas été envoyée : corrigez les erreurs indiquées."))
    return _render(request, page, "mentoring/request_form.html", {"form": form, "editing": None})


def edit_request(request, page, pk):
    if (response := _gate(request, page)) is not None:
        return response
    mentoring_request = access_own_request(request.user, pk)
    if not mentoring_request.is_editable:
        messages.error(request, _("Cette demande ne peut plus être modifiée."))
        return redirect(_url(page, "my_requests"))
    form = MentoringRequestForm(request.POST or None, instance=mentoring_request)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_request(mentoring_request, form.cleaned_data, by=request.user)
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Votre demande est modifiée."))
                return redirect(_url(page, "my_requests"))
        else:
            messages.error(request, _("La demande n'a pas été modifiée : corrigez les erreurs indiquées."))
    return _render(request, page, "mentoring/request_form.html", {"form": form, "editing": mentoring_request})


def withdraw_request(request, page, pk):
    if (response := _gate(request, page)) is not None:
        return response
    mentoring_request = access_own_request(request.user, pk)
    if request.method == "POST":
        try:
            services.withdraw_request(mentoring_request, by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Votre demande est retirée."))
        return redirect(_url(page, "my_requests"))
    return _render(request, page, "mentoring/request_withdraw.html", {"mentoring_request": mentoring_request})


def my_requests(request, page):
    if (response := _gate(request, page)) is not None:
        return response
    user = request.user
    # The newcomer hears of a proposal once staff approve it (``awaiting_mentor``), never before.
    requests = (
        MentoringRequest.objects.for_listing()
        .select_related("pairing__mentor__venue")
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.awaiting_mentor().select_related("mentor__venue__commune"),
                to_attr="approved_proposals",
            )
        )
        .filter(applicant=user)
        .order_by("-submitted_at")
    )
    managed = list(venues_managed_by(user).select_related("mentor_profile").order_by("title"))
    context = {
        "requests": requests,
        "managed_venues": managed,
        "to_answer": Proposal.objects.for_listing().for_managers_of(user).awaiting_mentor(),
        "mentor_pairings": Pairing.objects.for_listing()
        .filter(mentor__venue__manager_group__in=user.groups.all())
        .order_by("status", "-started_at"),
    }
    return _render(request, page, "mentoring/my_requests.html", context)


def mentor_profile(request, page, venue_id):
    if (response := _gate(request, page)) is not None:
        return response
    venue = access_venue_for_mentoring(request.user, venue_id)
    profile = MentorProfile.objects.filter(venue=venue).first()
    form = MentorProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_mentor_profile(venue, form.cleaned_data, by=request.user)
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Le profil de lieu compagnon est enregistré."))
                return redirect(_url(page, "mentor_profile", venue.pk))
        else:
            messages.error(request, _("Le profil n'a pas été enregistré : corrigez les erreurs indiquées."))
    return _render(
        request, page, "mentoring/mentor_profile.html", {"form": form, "venue": venue, "profile": profile}
    )


def answer_proposal(request, page, pk):
    if (response := _gate(request, page)) is not None:
        return response
    proposal = access_proposal_for_answer(request.user, pk)
    form = ProposalAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                pairing = services.accept_proposal(proposal, by=request.user)
            else:
                services.decline_proposal(proposal, by=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            if form.cleaned_data["decision"] == "accept":
                messages.success(request, _("Merci ! Le compagnonnage commence."))
                return redirect(_url(page, "pairing_detail", pairing.pk))
            messages.success(request, _("Votre réponse est transmise à l'équipe du réseau."))
            return redirect(_url(page, "my_requests"))
    return _render(request, page, "mentoring/proposal_answer.html", {"proposal": proposal, "form": form})


def pairing_detail(request, page, pk, *, forms=None):
    if (response := _gate(request, page)) is not None:
        return response
    pairing = access_pairing(request.user, pk)
    forms = forms or {}
    context = {
        "pairing": pairing,
        "visit": pairing.visit_occurrence(),
        "checkins": pairing.checkins.select_related("author"),
        "can_act": pairing.is_active and is_party(request.user, pairing),
        "can_close": pairing.is_active and can_close_pairing(request.user, pairing),
        "is_newcomer": request.user.pk == pairing.request.applicant_id,
        "checkin_form": forms.get("checkin") or CheckInForm(),
        "visit_form": forms.get("visit")
        or VisitForm(initial={"visit_at": pairing.visit_at, "visit_notes": pairing.visit_notes}),
        "close_form": forms.get("close") or ClosePairingForm(),
    }
    return _render(request, page, "mentoring/pairing_detail.html", context, status=400 if forms else 200)


_PAIRING_ACTIONS = {
    "checkin": (
        CheckInForm,
        lambda p, data, by: services.log_checkin(p, data, by=by),
        gettext_lazy("Le point d'étape est noté."),
    ),
    "visit": (
        VisitForm,
        lambda p, data, by: services.plan_visit(p, data, by=by),
        gettext_lazy("La visite est prévue."),
    ),
    "close": (
        ClosePairingForm,
        lambda p, data, by: services.close_pairing(
            p, by=by, feedback=data["feedback"], project_opened=data["project_opened"]
        ),
        gettext_lazy("Le compagnonnage est terminé. Merci pour votre bilan !"),
    ),
}


def pairing_action(request, page, pk, action):
    """POST of one of the pairing page's forms; an invalid form re-renders the page with its errors."""
    if (response := _gate(request, page)) is not None:
        return response
    pairing = access_pairing(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form_class, service, done = _PAIRING_ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rien n'a été enregistré : corrigez les erreurs indiquées."))
        return pairing_detail(request, page, pk, forms={action: form})
    try:
        service(pairing, form.cleaned_data, request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(_url(page, "pairing_detail", pairing.pk))


def pairing_visit_ics(request, page, pk):
    """The planned visit as an .ics file, for the pair and staff only (404 for anyone else)."""
    from events.feeds import ics_response
    from events.models import Occurrence
    from mentoring.ical import visit_file, visit_filename

    if not request.user.is_authenticated:
        raise Http404
    pairing = access_pairing(request.user, pk)
    occurrence = pairing.visit_occurrence()
    if occurrence is None:
        raise Http404
    url = absolute_url(_url(page, "pairing_detail", pairing.pk))
    return ics_response(
        request,
        Occurrence.objects.filter(pk=occurrence.pk),
        lambda: visit_file(occurrence, url=url),
        filename=visit_filename(occurrence),
        key=(url,),
        private=True,
        disposition="attachment",
    )
