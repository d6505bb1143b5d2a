"""HTTP views of direct conversations and blocks: thin, every change through the services.

A conversation starts from a member's name (their card, a message's author)
or from an owning app's page (a venue's "Écrire au lieu", which calls
``write_view`` with the venue's team); once started it is a room, read and
written on the room page like any other.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network.discussion import services
from network.discussion.direct import find_direct_conversation
from network.discussion.errors import ServiceError
from network.discussion.forms import BlockForm, ConversationForm, first_error
from network.discussion.models import Block
from network.discussion.permissions import is_verified
from network.validation import parse_id


def _verified_or_404(request):
    if not is_verified(request.user):
        raise Http404


def _member_or_404(user_id):
    """A member others may see: active, e-mail verified (the same 404 otherwise)."""
    member = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if member is None or not is_verified(member):
        raise Http404
    return member


@login_required
@require_GET
def member_detail(request, user_id):
    """A member's card, for members: their name and presentation, "Écrire", "Bloquer"."""
    _verified_or_404(request)
    member = _member_or_404(user_id)
    is_me = member.pk == request.user.pk
    return render(
        request,
        "discussion/member_detail.html",
        {
            "member": member,
            "is_me": is_me,
            "blocked": not is_me and Block.objects.filter(blocker=request.user, blocked=member).exists(),
            "conversation": None if is_me else find_direct_conversation([request.user.pk, member.pk]),
        },
    )


def write_view(
    request,
    *,
    recipients=None,
    members=None,
    context="",
    description="",
    heading=None,
    cancel_url=None,
    body="",
):
    """The form that starts a conversation (or finds it again) with its first message.

    ``body``: the first message's initial text (an owning app's opening line).

    ``recipients`` given (a venue's team): the form asks only for the message;
    otherwise it takes members by id (``members`` chosen from a name, or
    ``?members=``) and ``@handles``. A conversation that already exists opens
    at once on GET.
    """
    _verified_or_404(request)
    fixed = recipients
    if request.method != "POST":
        if fixed is not None or members is not None:
            initial_ids = [user.pk for user in (fixed if fixed is not None else members)]
        else:
            initial_ids = [pk for pk in map(parse_id, request.GET.getlist("members")) if pk]
        existing = find_direct_conversation([request.user.pk, *initial_ids], context=context)
        if initial_ids and existing is not None:
            return redirect(existing.get_absolute_url())
        initial = {"members": initial_ids} if fixed is None else {}
        if body:
            initial["body"] = body
        form = ConversationForm(by=request.user, fixed=fixed, initial=initial)
    else:
        form = ConversationForm(request.POST, by=request.user, fixed=fixed)
        if form.is_valid():
            try:
                room, _created = services.start_direct_conversation(
                    form.cleaned_data["recipients"], by=request.user, context=context, description=description
                )
                message, _created = services.post_message(
                    room,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    client_id=form.cleaned_data["client_id"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                return redirect(f"{room.get_absolute_url()}#m{message.pk}")
    chosen = [parse_id(str(pk)) for pk in form["members"].value() or []] if "members" in form.fields else []
    named = get_user_model().objects.filter(pk__in=[pk for pk in chosen if pk], is_active=True)
    return render(
        request,
        "discussion/conversation_form.html",
        {
            "form": form,
            "named": named if fixed is None else fixed,
            "heading": heading or _("Nouvelle conversation"),
            "cancel_url": cancel_url or reverse("discussion:room_list"),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def conversation_start(request):
    return write_view(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def conversation_with(request, user_id):
    """ "Écrire" from a member's name: their conversation with me, or its first message."""
    member = _member_or_404(user_id)
    return write_view(
        request,
        members=[member],
        heading=_("Écrire à %(name)s") % {"name": member.display_name},
        cancel_url=reverse("discussion:member_detail", args=[member.pk]),
    )


@login_required
@require_POST
def member_block(request, user_id):
    """Block or unblock a member (the card's and the list's buttons)."""
    _verified_or_404(request)
    member = _member_or_404(user_id)
    form = BlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        try:
            if form.cleaned_data["action"] == "block":
                services.block_member(member, by=request.user)
                messages.success(
                    request,
                    _("%(name)s est bloqué·e : ce membre ne peut plus vous écrire.")
                    % {"name": member.display_name},
                )
            else:
                services.unblock_member(member, by=request.user)
                messages.success(request, _("%(name)s est débloqué·e.") % {"name": member.display_name})
        except ServiceError as error:
            messages.error(request, error.message)
    if form.is_valid() and form.cleaned_data["back"] == "list":
        return redirect("discussion:blocked_list")
    return redirect("discussion:member_detail", user_id=member.pk)


@login_required
@require_GET
def blocked_list(request):
    """The members I blocked, each with "Débloquer"."""
    _verified_or_404(request)
    blocks = (
        Block.objects.filter(blocker=request.user).select_related("blocked").order_by("blocked__display_name")
    )
    return render(request, "discussion/blocked_list.html", {"blocks": blocks})
