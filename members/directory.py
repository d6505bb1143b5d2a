"""The directory's filters: query string in, venues out (used by the page and the feeds)."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from members.forms import VenueFilterForm
from members.models import Commune, VenuePage, VenueTag

PER_PAGE = 24
FILTER_PARAMS = ("q", "commune", "activity", "tag", "qpv", "mentoring", "accessible")


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
    form = VenueFilterForm(params, communes=list(Commune.objects.only("insee_code", "name")))
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    errors = [f"{form.fields[name].label} : {' '.join(messages)}" for name, messages in form.errors.items()]
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
    return DirectoryQuery(form=form, venues=venues.order_by("title", "pk"), errors=errors)


def tags_in_use():
    """Tags of published venues, for the filter menu (one query)."""
    from taggit.models import Tag

    published = VenuePage.objects.published().values("pk")
    tag_ids = VenueTag.objects.filter(content_object__in=published).values("tag_id")
    return Tag.objects.filter(pk__in=tag_ids).order_by("name")


def directory_context(index_page, request):
    """Context of ``/lieux/``: filter form, one page of cards, map and export links."""
    query = filter_venues(request.GET)
    paginator = Paginator(query.venues.for_listing(), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query_string = query.query_string
    suffix = f"?{query_string}" if query_string else ""
    base = index_page.get_url(request)
    return {
        "filter_form": query.form,
        "filter_errors": query.errors,
        "tags": tags_in_use(),
        "venues": page_obj.object_list,
        "page_obj": page_obj,
        "paginator": paginator,
        "query_string": query_string,
        "is_filtered": bool(query_string),
        "geojson_url": f"{base}lieux.geojson{suffix}",
        "csv_url": f"{base}lieux.csv{suffix}",
        "result_count": paginator.count,
        "no_result_message": _("Aucun lieu ne correspond à ces critères."),
    }
