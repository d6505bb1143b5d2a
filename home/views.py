from urllib.parse import urlencode

from django.shortcuts import render

from home.search import SearchForm, search_site


def search(request):
    """``/recherche/``: venues, events and content pages matching ``q``, grouped by kind.

    An unknown ``kind`` is ignored, a ``page`` that is no number gives the first page."""
    form = SearchForm(request.GET)
    form.is_valid()
    query, kind = form.cleaned_data.get("q", ""), form.cleaned_data.get("kind", "")
    groups = search_site(query, kind=kind, page=request.GET.get("page")) if query else []
    context = {
        "query": query,
        "kind": kind,
        "groups": groups,
        "total": sum(group.count for group in groups),
        "truncated": form.truncated,
        "query_string": urlencode({"q": query, "kind": kind}),
        "all_query_string": urlencode({"q": query}),
    }
    return render(request, "home/search.html", context)
