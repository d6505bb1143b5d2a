"""A page of a listing in one query, and the listing's count beside each row.

Django's ``Paginator`` counts with a query of its own, which repeats every
join of the listing (PostgreSQL plans it twice: a page of 50 events spent
more time planning than reading). Here the page is read with
``COUNT(*) OVER ()`` (counted before ``LIMIT``): as ids only (``page_of``),
the rows then read by id in a query with no filter to plan; or as the rows
themselves (``page_of_rows``: the events, whose rows by a list of ids cost
more to build in Python than the one query to plan). The numbering is
``Paginator``'s: a page past the last is an error, an empty listing has one
(empty) page.
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
    counted = items.annotate(listing_count=Window(Count("*"))).values_list("pk", *fields, "listing_count")
    rows, meta = _page(request, counted, items, filters, lambda row: row[-1])
    return [row[:-1] for row in rows], meta


def page_of_rows(request, rows, filters):
    """``(rows, meta)`` as ``page_of``, for ``rows`` (an ordered ``values()`` queryset) read
    whole: the page's rows and the count in one query, with no list of ids to read them by
    afterwards."""
    counted = rows.annotate(listing_count=Window(Count("*")))
    return _page(request, counted, rows, filters, lambda row: row["listing_count"])


def _page(request, counted, items, filters, count_of):
    size, number = filters.page_size, filters.page
    offset = (number - 1) * size
    rows = list(counted[offset : offset + size])
    count = count_of(rows[0]) if rows else items.count()
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
    return rows, meta


def in_order(items, ids, key="id"):
    """``items`` (dicts) in the order of ``ids``; an id with no item is skipped."""
    by_id = {item[key]: item for item in items}
    return [by_id[pk] for pk in ids if pk in by_id]
