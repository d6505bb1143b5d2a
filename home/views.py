from urllib.parse import urlencode

from django.shortcuts import render
from wagtail.models import Page, Site

from home.models import StandardPage
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


def site_map(request):
    """``/plan-du-site/``: the site's sections for people (``sitemap.xml`` stays for search engines).

    The home page's live public children, each with its content pages (venues and
    events are listed by their own sections, not here)."""
    site = Site.find_for_request(request)
    root = site.root_page if site else None
    sections = []
    if root is not None:
        pages = Page.objects.descendant_of(root).live().public().filter(depth__lte=root.depth + 2)
        children = {}
        for page in pages.type(StandardPage).filter(depth=root.depth + 2).order_by("path"):
            children.setdefault(page.path[: -Page.steplen], []).append(page)
        for section in pages.filter(depth=root.depth + 1).order_by("path").specific():
            sections.append({"page": section, "children": children.get(section.path, [])})
        sections = _in_language(sections)
    return render(request, "home/site_map.html", {"root": root, "sections": sections})


def _in_language(sections):
    """The sections with each content page in the active language when it is translated (one query)."""
    from network.languages import DEFAULT, active_language

    language = active_language()
    if language == DEFAULT:
        return sections
    pages = [page for section in sections for page in (section["page"], *section["children"])]
    translated = {
        page.translation_key: page
        for page in Page.objects.live()
        .public()
        .filter(locale__language_code=language, translation_key__in=[page.translation_key for page in pages])
    }

    def localized(page):
        return translated.get(page.translation_key, page)

    return [
        {"page": localized(section["page"]), "children": [localized(child) for child in section["children"]]}
        for section in sections
    ]
