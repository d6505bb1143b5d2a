"""Views of ``/besoins-et-ressources/``; thin: ``exchanges.services`` acts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from exchanges import services
from exchanges.errors import ServiceError
from exchanges.forms import ContactForm, PostForm, ReportForm
from exchanges.listing import PER_PAGE, filter_posts, posts_geojson
from exchanges.models import Post, PostState
from exchanges.permissions import access_own_post, can_post, can_see_withdrawn, is_author
from members.models import Commune
from network.public_forms import RateLimited, check_rate_limit

RATE_LIMIT = (10, 3600)  # posts of one form one client may send per hour; settings may change it


def _submit(request, form, *, scope, act):
    """Validate ``form``, count the post against ``scope``'s rate limit (every post
    counts, valid or not), then ``act(cleaned_data)``, which returns the response.

    ``(response, status)``: no response when the form is shown again with its errors."""
    valid = form.is_valid()  # first: the errors below are added to a cleaned form
    limit, window = getattr(settings, f"{scope.upper()}_RATE_LIMIT", RATE_LIMIT)
    try:
        check_rate_limit(request, scope, limit=limit, window=window)
        if valid:
            return act(form.cleaned_data), 200
    except RateLimited as error:
        form.add_error(None, error.message)
        return None, 429
    except ServiceError as error:
        form.add_error(None, error.message)
    return None, 200


def post_list(request):
    query = filter_posts(request.GET)
    page_obj = Paginator(query.posts.for_listing(), PER_PAGE).get_page(request.GET.get("page"))
    suffix = f"?{query.query_string}" if query.query_string else ""
    context = {
        "filter_form": query.form,
        "filter_errors": query.errors,
        "page_obj": page_obj,
        "posts": page_obj.object_list,
        "query_string": query.query_string,
        "is_filtered": bool(query.query_string),
        "communes": Commune.objects.values_list("insee_code", "name"),
        "geojson_url": reverse("exchanges:geojson") + suffix,
        "can_post": can_post(request.user),
    }
    return render(request, "exchanges/post_list.html", context)


def post_geojson(request):
    """The listed posts of the list's filters, for its map (every page of them)."""
    query = filter_posts(request.GET)
    posts = query.posts.select_related("commune", "venue")
    data = posts_geojson(posts, lambda post: post.get_absolute_url())
    return JsonResponse(data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})


def post_detail(request, pk):
    post = Post.objects.for_listing().filter(pk=pk).first()
    if post is None:
        raise Http404
    state = post.state
    visible = state == PostState.OPEN or can_see_withdrawn(request.user, post)
    context = {
        "post": post,
        "state": state,
        "show_content": visible,
        "is_author": is_author(request.user, post),
        "can_contact": state == PostState.OPEN
        and can_post(request.user)
        and not is_author(request.user, post),
    }
    response = render(request, "exchanges/post_detail.html", context)
    if not visible:
        response.status_code = 410  # gone from the list: expired, closed or hidden
    return response


@login_required
def post_create(request):
    verified = can_post(request.user)
    form = PostForm(
        request.POST or None, user=request.user, initial={"expires_on": services.default_expiry()}
    )
    status = 200
    if request.method == "POST" and verified:

        def act(data):
            post = services.publish_post(data, by=request.user)
            messages.success(request, _("Votre annonce est en ligne."))
            return redirect(post.get_absolute_url())

        response, status = _submit(request, form, scope="exchange_post", act=act)
        if response is not None:
            return response
    context = {"form": form, "verified": verified, "editing": None}
    return render(request, "exchanges/post_form.html", context, status=status)


@login_required
def post_edit(request, pk):
    post = access_own_post(request.user, pk)
    initial = {name: getattr(post, name) for name in services.POST_FIELDS}
    form = PostForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_post(post, form.cleaned_data, by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Votre annonce est enregistrée."))
            return redirect(post.get_absolute_url())
    return render(request, "exchanges/post_form.html", {"form": form, "verified": True, "editing": post})


@login_required
@require_POST
def post_renew(request, pk):
    post = access_own_post(request.user, pk)
    try:
        post = services.renew_post(post, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Votre annonce est prolongée jusqu'au %(date)s.")
            % {"date": date_format(post.expires_on, "DATE_FORMAT")},
        )
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def post_close(request, pk):
    post = access_own_post(request.user, pk)
    services.close_post(post, by=request.user)
    messages.success(request, _("Votre annonce est clôturée : elle ne figure plus dans la liste."))
    return redirect("exchanges:mine")


@login_required
def my_posts(request):
    posts = Post.objects.by_author(request.user).select_related("commune")
    return render(request, "exchanges/my_posts.html", {"posts": posts})


def _open_post_or_404(pk):
    post = Post.objects.for_listing().filter(pk=pk).first()
    if post is None or not post.is_open:
        raise Http404
    return post


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_contact(request, pk):
    """ "Contacter": a direct conversation with the author about this post (found
    again when it exists); the e-mail relay when none is possible."""
    from exchanges.contact import Channel, contact_channel, first_message, post_context, post_description

    post = _open_post_or_404(pk)
    verified = can_post(request.user)
    own = is_author(request.user, post)
    channel = contact_channel(post, by=request.user) if verified and not own else None
    if channel == Channel.DIRECT:
        from network.discussion.direct_views import write_view
        from network.site_url import absolute_url

        return write_view(
            request,
            recipients=[post.author],
            context=post_context(post),
            description=post_description(post),
            heading=_("Écrire à %(name)s") % {"name": post.author.display_name},
            cancel_url=post.get_absolute_url(),
            body=first_message(post, absolute_url(post.get_absolute_url())),
        )
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST" and channel == Channel.RELAY:

        def act(data):
            services.contact_author(
                post, by=request.user, message=data["message"], share_email=data["share_email"]
            )
            messages.success(request, _("Votre message est envoyé à l'auteur·rice de l'annonce."))
            return redirect(post.get_absolute_url())

        response, status = _submit(request, form, scope="exchange_contact", act=act)
        if response is not None:
            return response
    context = {"post": post, "form": form, "verified": verified, "own": own, "channel": channel}
    return render(request, "exchanges/post_contact.html", context, status=status)


@login_required
def post_report(request, pk):
    post = Post.objects.filter(pk=pk, hidden=False).first()
    if post is None:
        raise Http404
    verified = can_post(request.user)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and verified:

        def act(data):
            services.report_post(post, by=request.user, reason=data["reason"])
            messages.success(request, _("Merci : l'équipe du réseau va examiner cette annonce."))
            return redirect(post.get_absolute_url())

        response, status = _submit(request, form, scope="exchange_report", act=act)
        if response is not None:
            return response
    return render(
        request,
        "exchanges/post_report.html",
        {"post": post, "form": form, "verified": verified},
        status=status,
    )
