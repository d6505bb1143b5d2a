"""Views of following (``/agenda/suivis/...``); thin: ``events.follows`` does the work."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from events import feeds, follows, ical
from events.errors import ServiceError


def _profile_url():
    return reverse("profile") + "#suivis"


def _next_url(request):
    """Back where the button was (a path of this site only), else the profile's list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return _profile_url()


@require_POST
def follow(request):
    """``action=follow|unfollow``, ``target=venue|commune|kind``, ``value``: the buttons' form."""
    if not request.user.is_authenticated:
        return redirect_to_login(_next_url(request))
    action = request.POST.get("action")
    try:
        if action == "follow":
            target = follows.target_from(request.POST)
            followed = follows.start_following(by=request.user, **target)
            messages.success(
                request,
                _("Vous suivez « %(name)s ». Ses nouveaux événements vous seront envoyés chaque semaine.")
                % {"name": follows.target_label(followed)},
            )
        elif action == "unfollow":
            target = follows.target_from(request.POST, published_only=False)
            follows.stop_following(by=request.user, **target)
            messages.success(request, _("Vous ne suivez plus cela."))
        else:
            messages.error(request, _("Action inconnue."))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(_next_url(request))


@require_POST
def follow_settings(request):
    """The profile's settings: the weekly e-mail on or off, the personal feed's address."""
    if not request.user.is_authenticated:
        return redirect_to_login(_profile_url())
    action = request.POST.get("action")
    if action == "digest":
        enabled = request.POST.get("digest") == "on"
        follows.set_follow_digest(by=request.user, enabled=enabled)
        if enabled:
            messages.success(
                request, _("Vous recevrez chaque semaine les nouveaux événements de vos suivis.")
            )
        else:
            messages.success(request, _("Plus de résumé hebdomadaire par e-mail."))
    elif action == "regenerate":
        follows.regenerate_follow_feed_token(by=request.user)
        messages.success(
            request, _("Votre agenda des suivis a une nouvelle adresse ; l'ancienne ne fonctionne plus.")
        )
    elif action == "revoke":
        follows.revoke_follow_feed_token(by=request.user)
        messages.success(request, _("Votre agenda des suivis est désactivé."))
    else:
        messages.error(request, _("Action inconnue."))
    return redirect(_profile_url())


@csrf_exempt  # the signed token is the credential; mail clients POST without a session (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The link of every weekly digest: GET asks to confirm, POST (the button, or the
    mail client's one-click ``List-Unsubscribe-Post``) unsubscribes."""
    if follows.user_id_from_token(token) is None:
        raise Http404
    done = request.method == "POST" and follows.unsubscribe_follow_digest(token) is not None
    return render(request, "events/follow_unsubscribe.html", {"done": done})


def feed(request, token):
    """The personal feed of what a member follows, at its secret address."""
    owner = follows.feed_owner(token)
    if owner is None:
        raise Http404(_("Ce flux n'existe pas ou a été révoqué."))
    occurrences = follows.followed_occurrences(owner)
    return feeds.ics_response(
        request,
        occurrences,
        lambda: ical.build_calendar(
            occurrences, name=_("Mes suivis — Compagnie des Tiers-lieux"), request=request
        ),
        filename="mes-suivis.ics",
        private=True,
    )
