"""The directory's filters: query string in, venues out (used by the page and the feeds).

The page reads its listing lazily (``DirectoryListing``) inside a template
fragment keyed by the content generation (``members.freshness``): cached
until the next committed change, with nothing cached inside it.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from members.forms import VenueFilterForm
from members.models import Commune, VenuePage, VenueTag
from members.pictures import card_pictures, photo_annotations
from members.vocabulary import activity_label
from network.languages import is_english

PER_PAGE = 24
FILTER_PARAMS = ("q", "commune", "activity", "tag", "qpv", "mentoring", "accessible")
DIRECTORY_PARAMS = (*FILTER_PARAMS, "page")
CARD_FIELDS = (
    "id",
    "title",
    "url_path",
    "summary",
    "summary_en",
    "main_activity",
    "commune__name",
    "last_published_at",
)
PHOTO_FIELDS = ("photo_id", "photo_alt", "photo_caption")  # members.pictures.photo_annotations
CARD_TEMPLATE = "members/includes/venue_card.html"


@dataclass
class VenueCard:
    """A directory card: read with ``values()`` (a page instance per card
    would cost more than all the page's queries), rendered in ``html``."""

    pk: int
    title: str
    url: str
    summary: str
    main_activity: str
    commune_name: str | None
    summary_is_french: bool = False  # English page, no English summary: marked lang="fr"
    picture: object = None  # network.illustrations.Picture
    html: str = ""

    @property
    def main_activity_label(self):
        return activity_label(self.main_activity)


@dataclass
class DirectoryQuery:
    form: VenueFilterForm
    venues: object  # VenuePageQuerySet
    errors: list = field(default_factory=list)

    @property
    def query_string(self):
        """The valid filters, to carry over to the pagination links, the map and the exports."""
        return filters_query_string(self.form)


def filters_query_string(form):
    from django.http import QueryDict

    params = QueryDict(mutable=True)
    for name in FILTER_PARAMS:
        value = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if name in form.errors or value in (None, "", False):
            continue
        if name == "commune":
            value = value.insee_code
        elif value is True:
            value = "1"
        params[name] = value
    return params.urlencode()


def filter_venues(params, *, queryset=None):
    """Apply the directory filters in ``params`` (a QueryDict) to published venues.

    Invalid values are dropped and explained in ``errors``; the valid ones
    still apply.
    """
    form = VenueFilterForm(params)
    form.is_valid()
    return DirectoryQuery(form=form, venues=apply_filters(form, queryset), errors=filter_errors(form))


def filter_errors(form):
    return [f"{form.fields[name].label} : {' '.join(messages)}" for name, messages in form.errors.items()]


def apply_filters(form, queryset=None):
    """The venues that the valid filters of ``form`` (validated) select, by title."""
    data = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    venues = queryset if queryset is not None else VenuePage.objects.published()
    if data.get("q"):
        venues = venues.matching(data["q"])
    if data.get("commune"):
        venues = venues.filter(commune=data["commune"])
    if data.get("activity"):
        venues = venues.with_activity(data["activity"])
    if data.get("tag"):
        venues = venues.with_tag(data["tag"])
    if data.get("qpv"):
        venues = venues.filter(in_qpv=True)
    if data.get("mentoring"):
        venues = venues.filter(offers_mentoring=True)
    if data.get("accessible"):
        venues = venues.filter(step_free_access=True)
    return venues.order_by("title", "pk")


def tags_in_use():
    """Tags of published venues, for the filter menu (one query)."""
    from taggit.models import Tag

    published = VenuePage.objects.published().values("pk")
    tag_ids = VenueTag.objects.filter(content_object__in=published).values("tag_id")
    return Tag.objects.filter(pk__in=tag_ids).order_by("name")


def filter_menus():
    """Choices of the commune and tag menus, as ``(code, name)`` and ``(slug, name)`` pairs (two queries)."""
    return {
        "communes": list(Commune.objects.values_list("insee_code", "name")),
        "tags": list(tags_in_use().values_list("slug", "name")),
    }


def descendant_urls(page, url):
    """A function from the ``url_path`` of a descendant of ``page`` (which is at ``url``) to its URL.

    Wagtail derives a page's URL from its ``url_path`` (the slugs from the
    site's root); below a page whose URL is known, that is ``url`` plus the
    rest of the path, escaped as ``reverse()`` does: no site lookup per venue.
    """
    start = len(page.url_path)
    return lambda url_path: url + escape_uri_path(url_path[start:])


def venue_cards(rows, url_of):
    """Rendered cards of ``rows`` (``values()`` of ``CARD_FIELDS``, with ``photo_annotations``
    when they show pictures), with one query for their tags and two for their photos.

    Not cached one by one: the directory's fragment that shows them is.
    """
    english = is_english()
    cards = [
        VenueCard(
            pk=row["id"],
            title=row["title"],
            url=url_of(row["url_path"]),
            summary=(row["summary_en"] if english else "") or row["summary"],
            summary_is_french=english and not row["summary_en"],
            main_activity=row["main_activity"],
            commune_name=row["commune__name"],
        )
        for row in rows
    ]
    tags = VenueTag.objects.by_venue([card.pk for card in cards]) if cards else {}
    pictures = card_pictures(rows)
    for card in cards:
        card.picture = pictures[card.pk]
        card.html = render_to_string(
            CARD_TEMPLATE, {"venue": card, "tags": tags[card.pk], "picture": card.picture}
        )
    return cards


class DirectoryListing:
    """One page of the directory's cards, with the menus: read on first use.

    The page's template caches the part that shows them, so a view of the
    same filters in the same language, until the next committed change,
    reads none of it.
    """

    def __init__(self, form, page_number, url_of):
        self.form, self.page_number, self.url_of = form, page_number, url_of

    @cached_property
    def page_obj(self):
        venues = apply_filters(self.form).annotate(**photo_annotations()).values(*CARD_FIELDS, *PHOTO_FIELDS)
        return Paginator(venues, PER_PAGE).get_page(self.page_number)

    @cached_property
    def venues(self):
        return venue_cards(list(self.page_obj.object_list), self.url_of)

    @property
    def result_count(self):
        return self.page_obj.paginator.count

    @cached_property
    def menus(self):
        return filter_menus()


def directory_context(index_page, request):
    """Context of ``/lieux/``: filter form, one page of cards, map and export links.

    Reads only the form; ``listing`` reads the rest where the template needs it.
    """
    form = VenueFilterForm(request.GET)
    form.is_valid()
    query_string = filters_query_string(form)
    suffix = f"?{query_string}" if query_string else ""
    base = index_page.get_url(request)
    listing = DirectoryListing(form, request.GET.get("page"), descendant_urls(index_page, base))
    params = [(name, value) for name in DIRECTORY_PARAMS for value in request.GET.getlist(name)]
    return {
        "filter_form": form,
        "filter_errors": filter_errors(form),
        "listing": listing,
        "venues": SimpleLazyObject(lambda: listing.venues),
        # The cached fragment: one per generation (context processor), language and filters.
        "fragment_params": urlencode(params),
        "query_string": query_string,
        "is_filtered": bool(query_string),
        "geojson_url": f"{base}lieux.geojson{suffix}",
        "csv_url": f"{base}lieux.csv{suffix}",
        "excel_csv_url": f"{base}lieux.csv?{query_string + '&' if query_string else ''}format=excel",
        "no_result_message": _("Aucun lieu ne correspond à ces critères."),
    }
