"""A page of a listing in one query: its ids, and the listing's count beside each.

Django's ``Paginator`` counts with a query of its own, which repeats every
join of the listing (PostgreSQL plans it twice: a page of 50 events spent
more time planning than reading). Here the page is read as ids only, with
``COUNT(*) OVER ()`` (counted before ``LIMIT``); the rows are then read by
id, in a query with no filter to plan. The numbering is ``Paginator``'s: a
page past the last is an error, an empty listing has one (empty) page.
"""

from math import ceil

from django.db.models import Count, Window
from django.utils.translation import gettext as _

from api.errors import BadParameters
from network.site_url import absolute_url


def page_of(request, items, filters, *fields):
    """``(rows, meta)``: the page ``filters.page`` of ``items`` (an ordered queryset) as
    ``(pk, *fields)`` tuples, and the pagination of the answer (with absolute links).

    A page past the last is a 400 naming ``page``. One query, or two when the page
    is empty (the count is then read apart).
    """
    size, number = filters.page_size, filters.page
    offset = (number - 1) * size
    counted = items.annotate(listing_count=Window(Count("*"))).values_list("pk", *fields, "listing_count")
    rows = list(counted[offset : offset + size])
    count = rows[0][-1] if rows else items.count()
    pages = max(1, ceil(count / size))
    if not rows and number > 1:
        message = _("Cette page n'existe pas : il y en a %(pages)s.") % {"pages": pages}
        raise BadParameters([("page", message)])

    def link(page):
        params = request.GET.copy()
        params["page"] = str(page)
        return absolute_url(f"{request.path}?{params.urlencode()}")

    meta = {
        "count": count,
        "page": number,
        "pages": pages,
        "page_size": size,
        "next": link(number + 1) if number < pages else None,
        "previous": link(number - 1) if number > 1 else None,
    }
    return [row[:-1] for row in rows], meta


def in_order(items, ids, key="id"):
    """``items`` (dicts) in the order of ``ids``; an id with no item is skipped."""
    by_id = {item[key]: item for item in items}
    return [by_id[pk] for pk in ids if pk in by_id]
