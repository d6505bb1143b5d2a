"""The embeddable agenda and map (``/integrer/agenda/``, ``/integrer/carte/``) and their builder.

The embeds are the only pages any site may frame (``frame-ancestors *``,
given by their path in ``network.csp``; no ``X-Frame-Options``); every other
page, the builder included, keeps the site's policy. They are the same for
every visitor, so the page cache (``members.page_cache``) stores them for
everyone, keyed by the language they choose. They set no cookie and read
none: no session, no CSRF token, no user, their language from ``?lang=`` or Accept-Language
(``embeds.language``). Their filters are the calendar's and the directory's
(``events.calendar``, ``members.directory``): invalid values are ignored.
Every link in them opens a new tab on the site's public address.
"""

import functools

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from embeds.forms import (
    AGENDA,
    DEFAULT_HEIGHT,
    MAP,
    AgendaEmbedForm,
    EmbedOptionsForm,
    MapEmbedForm,
    builder_menus,
)
from embeds.language import embed_language
from events.calendar import FILTER_PARAMS as CALENDAR_PARAMS
from members.directory import FILTER_PARAMS as DIRECTORY_FILTER_PARAMS
from members.page_cache import cache_for_everyone
from network.site_url import absolute_url

AGENDA_LIMIT = 20  # dates shown; the embed links to the full calendar for more
MAP_LIST_LIMIT = 300  # venues listed under the map (its text alternative)


def embeddable(params):
    """Any site may frame the view; it answers GET only, in the language the request asks for,
    from the page cache when its query parameters are among ``params`` (and ``lang``)."""
    return functools.partial(_embeddable, params=params)


def _embeddable(view, *, params):
    @require_GET
    @xframe_options_exempt
    @cache_for_everyone((*params, "lang"))
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        language = embed_language(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)  # rendered here, in that language
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response

    return wrapped


def _with_query(url, query_string):
    return f"{url}?{query_string}" if query_string else url


@embeddable(CALENDAR_PARAMS)
def agenda(request):
    from events import calendar as cal
    from events.models import EventIndexPage

    query = cal.filter_occurrences(request.GET)
    occurrences = query.occurrences
    if not query.data.get("start"):
        occurrences = occurrences.upcoming()
    occurrences = list(occurrences.for_listing().order_by("start", "pk")[:AGENDA_LIMIT])
    for occurrence in occurrences:
        occurrence.event_url = occurrence.event.get_full_url(request)
    index = EventIndexPage.objects.live().first()
    calendar_url = index.get_full_url(request) if index else absolute_url("/")
    context = {
        "days": cal.group_by_day(occurrences),
        "venue": query.data.get("venue"),
        "more_url": _with_query(calendar_url, query.query_string),
        "site_url": absolute_url("/"),
    }
    return render(request, "embeds/agenda.html", context)


@embeddable(DIRECTORY_FILTER_PARAMS)
def venue_map(request):
    from members.directory import descendant_urls, filter_venues, filters_query_string
    from members.models import VenueIndexPage

    query = filter_venues(request.GET)
    query_string = filters_query_string(query.form)
    index = VenueIndexPage.objects.live().first()
    venues = []
    directory_url = absolute_url("/")
    if index is not None:
        directory_url = index.get_full_url(request)
        url_of = descendant_urls(index, directory_url)
        rows = query.venues.values("title", "url_path", "commune__name")[:MAP_LIST_LIMIT]
        venues = [
            {"title": row["title"], "url": url_of(row["url_path"]), "commune": row["commune__name"]}
            for row in rows
        ]
    context = {
        "venues": venues,
        "geojson_url": _with_query(reverse("venues_geojson"), query_string),
        "more_url": _with_query(directory_url, query_string),
        "site_url": absolute_url("/"),
    }
    return render(request, "embeds/map.html", context)


# -- the builder ------------------------------------------------------------------

EMBED_PATHS = {AGENDA: "embed_agenda", MAP: "embed_map"}


def _snippet(url, title, height):
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="{}" style="border:0" loading="lazy"></iframe>',
        url,
        title,
        height,
    )


def builder(request):
    """``/integrer/``: choose an embed and its filters; the page shows the snippet and a preview.

    A plain GET form: without JavaScript each submission shows the new
    snippet; ``embed-builder.js`` updates both as the visitor chooses.
    """
    menus = builder_menus()
    params = request.GET if request.GET else None
    options = EmbedOptionsForm(params)
    filters = {
        AGENDA: AgendaEmbedForm(params, menus=menus),
        MAP: MapEmbedForm(params, menus=menus),
    }
    options.is_valid()
    for form in filters.values():
        form.is_valid()
    data = getattr(options, "cleaned_data", {})
    target = data.get("target") or AGENDA
    height = data.get("height") or DEFAULT_HEIGHT
    query = QueryDict(mutable=True)
    for name, value in filters[target].query_params():
        query[name] = value
    if data.get("lang"):
        query["lang"] = data["lang"]
    path = _with_query(reverse(EMBED_PATHS[target]), query.urlencode())
    titles = {
        AGENDA: _("Agenda de la Compagnie des Tiers-lieux"),
        MAP: _("Carte des tiers-lieux de la métropole lilloise"),
    }
    context = {
        "options": options,
        "agenda_form": filters[AGENDA],
        "map_form": filters[MAP],
        "target": target,
        "preview_url": path,
        "snippet": _snippet(absolute_url(path), titles[target], height),
        "site_url": absolute_url("/").rstrip("/"),
        "embed_paths": {key: reverse(name) for key, name in EMBED_PATHS.items()},
        "titles": titles,
        "title": titles[target],
        "height": height,
    }
    return render(request, "embeds/builder.html", context)
