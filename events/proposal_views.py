"""Views of ``/agenda/proposer/`` (routes of the calendar page); thin: ``events.proposals`` acts."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from events import proposals
from events.errors import ServiceError
from events.proposal_forms import ProposalForm
from network.permissions import has_verified_email
from network.public_forms import RateLimited, check_rate_limit


def rate_limit():
    """``(proposals, seconds)`` one client may post."""
    return getattr(settings, "EVENT_PROPOSAL_RATE_LIMIT", (5, 3600))


def propose(request, index):
    member = has_verified_email(request.user)
    unverified = request.user.is_authenticated and not member
    form = ProposalForm(request.POST or None, request.FILES or None, visitor=not member)
    status = 200
    if request.method == "POST" and not unverified:
        limit, window = rate_limit()
        valid = form.is_valid()  # first: the errors below are added to a cleaned form
        try:
            check_rate_limit(request, "propose", limit=limit, window=window)  # every post counts
            if valid:
                data = form.cleaned_data
                proposals.propose_event(
                    data, by=request.user, email=data.get("email", ""), name=data.get("name", "")
                )
                return redirect(f"{index.url}proposer/merci/")
        except RateLimited as error:
            form.add_error(None, error.message)
            status = 429
        except ServiceError as error:
            form.add_error(None, error.message)
    context = {"form": form, "member": member, "unverified": unverified}
    response = index.render(request, context_overrides=context, template="events/event_proposal.html")
    response.status_code = status
    return response


def proposal_sent(request, index):
    context = {"member": has_verified_email(request.user)}
    return index.render(request, context_overrides=context, template="events/event_proposal_sent.html")


def confirm(request, index, token):
    try:
        proposals.confirm_proposal(token)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Merci : votre proposition est transmise à l'équipe de modération."))
    return redirect(index.url)
