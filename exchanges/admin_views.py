"""Staff moderation of needs and offers in the Wagtail admin: the posts (reported
first), hide and unhide with a reason, dismiss reports.

Who may open them is the routes of ``ExchangeModerationViewSet`` (below), over
``exchanges.permissions.post_policy``; moderating needs its "change"."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchanges import services
from exchanges.errors import ServiceError
from exchanges.forms import HideForm
from exchanges.models import Post
from exchanges.permissions import post_policy
from network.admin_viewsets import PolicyViewSet, Route, require_action

FILTERS = {
    "signalees": Q(open_reports__gt=0),
    "masquees": Q(hidden=True),
    "toutes": Q(),
}


def post_index(request):
    shown = request.GET.get("filtre")
    if shown not in FILTERS:
        shown = "signalees" if Post.objects.filter(reports__resolved=False).exists() else "toutes"
    posts = (
        Post.objects.with_open_reports()
        .filter(FILTERS[shown])
        .select_related("author", "commune")
        .order_by("-open_reports", "-created", "-pk")
    )
    page = Paginator(posts, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "exchanges/admin/post_index.html",
        {"page_title": _("Besoins et ressources"), "page_obj": page, "shown": shown},
    )


def post_detail(request, pk):
    post = get_object_or_404(Post.objects.select_related("author", "commune", "venue", "hidden_by"), pk=pk)
    form = HideForm(request.POST or None)
    if request.method == "POST":
        require_action(request, post_policy, "change")
        action = request.POST.get("action")
        if action not in ("hide", "unhide", "dismiss") or not form.is_valid():
            messages.error(request, _("Action inconnue."))
        else:
            try:
                if action == "dismiss":
                    services.dismiss_reports(post, by=request.user)
                else:
                    services.hide_post(
                        post, by=request.user, reason=form.cleaned_data["reason"], hidden=action == "hide"
                    )
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("C'est fait."))
        return redirect("exchanges_moderation:detail", pk=post.pk)
    return TemplateResponse(
        request,
        "exchanges/admin/post_detail.html",
        {
            "page_title": _("Annonce"),
            "post": post,
            "reports": post.reports.select_related("reporter"),
            "form": form,
            "can_moderate": post_policy.user_has_permission(request.user, "change"),
        },
    )


class ExchangeModerationViewSet(PolicyViewSet):
    name = "exchanges_moderation"
    url_prefix = "besoins-et-ressources"
    icon = "list-ul"
    menu_label = gettext_lazy("Besoins et ressources")
    menu_order = 630
    permission_policy = post_policy
    menu_actions = ("view", "change")
    routes = (
        Route("", post_index, "index", ("view", "change")),
        Route("<int:pk>/", post_detail, "detail", ("view", "change")),
    )
