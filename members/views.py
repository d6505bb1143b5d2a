from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.directory import DIRECTORY_PARAMS, FILTER_PARAMS
from members.forms import AVATAR_MAX_BYTES, ProfileForm
from members.page_cache import cache_for_anonymous, cache_for_everyone
from members.services import update_profile
from network.uploads import limit_uploads


@login_required
@limit_uploads(AVATAR_MAX_BYTES)
def profile(request):
    """A member edits their display name, bio, commune, avatar and language."""
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=request.user)
        if form.is_valid():
            update_profile(request.user, form.cleaned_data, by=request.user)
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("profile")
        messages.error(request, _("Le profil n'a pas été enregistré : corrigez les erreurs indiquées."))
    else:
        form = ProfileForm(instance=request.user)
    return render(request, "members/profile.html", {"form": form})


# -- venues --------------------------------------------------------------------


@cache_for_anonymous(DIRECTORY_PARAMS)
def venue_index(request):
    """``/lieux/``: Wagtail serves the VenueIndexPage; anonymous visitors get the cached copy."""
    from wagtail.views import serve

    return serve(request, "lieux/")


@cache_for_anonymous()
def venue_page(request, slug):
    """``/lieux/<slug>/``: a VenuePage, served by Wagtail, cached for anonymous visitors."""
    from wagtail.views import serve

    return serve(request, f"lieux/{slug}/")


def _venue_urls(request):
    """Absolute URLs of the venues, from the directory's own: one query in all."""
    from members.directory import descendant_urls
    from members.models import VenueIndexPage

    index = VenueIndexPage.objects.only("url_path").first()
    if index is None:  # no directory, hence no venue
        return None
    return descendant_urls(index, index.get_full_url(request))


EXPORT_PARAMS = (*FILTER_PARAMS, "format")
GEOJSON_FORMATS = ("geojson",)


def _unknown_format(value, choices):
    """400 for ``?format=`` with a value the export does not know, saying which ones it does."""
    from django.http import HttpResponseBadRequest

    message = _("Format inconnu : « %(value)s ». Formats possibles : %(choices)s.") % {
        "value": value[:40],
        "choices": ", ".join(choices),
    }
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def commune_outlines(request):
    """``/lieux/communes.geojson``: the Métropole's outline and its communes', simplified for maps.

    The same outlines (``members.geography``) place imported venues in their commune.
    """
    from django.http import HttpResponse
    from django.utils.cache import patch_cache_control

    from members.geography import outlines_json

    response = HttpResponse(outlines_json(), content_type="application/geo+json")
    patch_cache_control(response, public=True, max_age=24 * 3600)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_for_everyone(EXPORT_PARAMS)
def venues_geojson(request):
    """``/lieux/lieux.geojson``: published venues matching the directory's query string."""
    from django.http import JsonResponse

    from members.directory import filter_venues
    from members.opendata import licence_link_header
    from members.opendata import venues_geojson as to_geojson

    requested = request.GET.get("format") or GEOJSON_FORMATS[0]
    if requested not in GEOJSON_FORMATS:
        return _unknown_format(requested, GEOJSON_FORMATS)
    query = filter_venues(request.GET)
    response = JsonResponse(
        to_geojson(query.venues, _venue_urls(request)),
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    if query.errors:
        response["X-Filter-Errors"] = str(len(query.errors))
    response["Link"] = licence_link_header()
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_for_everyone(EXPORT_PARAMS)
def venues_csv(request):
    """``/lieux/lieux.csv``: the same venues as CSV; the licence travels in a ``Link`` header.

    ``?format=excel``: the file French Excel opens as is (``members.opendata.CSV_FORMATS``).
    """
    from django.http import HttpResponse

    from members.directory import filter_venues
    from members.opendata import CSV_FORMATS, DEFAULT_CSV_FORMAT, licence_link_header
    from members.opendata import venues_csv as to_csv

    requested = request.GET.get("format") or DEFAULT_CSV_FORMAT
    if requested not in CSV_FORMATS:
        return _unknown_format(requested, tuple(CSV_FORMATS))
    csv_format = CSV_FORMATS[requested]
    query = filter_venues(request.GET)
    response = HttpResponse(
        to_csv(query.venues, _venue_urls(request), csv_format),
        content_type="text/csv; charset=utf-8; header=present",
    )
    response["Content-Disposition"] = f'{csv_format.disposition}; filename="lieux.csv"'
    if query.errors:
        response["X-Filter-Errors"] = str(len(query.errors))
    response["Link"] = licence_link_header()
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def claim_venue(request):
    """ "Référencer mon lieu": a verified member lists a new venue or claims an existing one."""
    from members.forms import VenueClaimForm
    from members.services import ServiceError, has_verified_email, request_venue_claim

    verified = has_verified_email(request.user)
    form = VenueClaimForm(request.POST or None, initial={"venue": request.GET.get("lieu")})
    if request.method == "POST" and verified and form.is_valid():
        try:
            request_venue_claim(form.cleaned_data, by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Votre demande est envoyée : l'équipe du réseau vous répondra par e-mail.")
            )
            return redirect("venue_claim")
    return render(
        request,
        "members/venue_claim.html",
        {"form": form, "verified": verified, "claims": request.user.venue_claims.select_related("venue")},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def write_to_venue(request, slug):
    """``/lieux/<slug>/ecrire/``: "Écrire au lieu", a direct conversation with
    the venue's team (found again when it exists)."""
    from members.contact import venue_context, venue_description, venue_team
    from members.models import VenuePage
    from network.discussion.direct_views import write_view

    venue = VenuePage.objects.live().filter(slug=slug).select_related("manager_group").first()
    if venue is None:
        raise Http404
    team = venue_team(venue, by=request.user)
    if not team:
        messages.error(request, _("Personne ne répond encore pour ce lieu sur le site."))
        return redirect(venue.get_url(request))
    return write_view(
        request,
        recipients=team,
        context=venue_context(venue),
        description=venue_description(venue),
        heading=_("Écrire à %(venue)s") % {"venue": venue.title},
        cancel_url=venue.get_url(request),
    )
