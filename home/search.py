"""The site search (``/recherche/``): venues, events and content pages, grouped by kind.

Every kind keeps a normalised search document (``members.search``) and is
matched the same way, so the answers are the same on SQLite and PostgreSQL:
"fablab", "fab lab" and "Fab-Lab" find the same fab labs, "Roubaix" every
venue of Roubaix, "ateliers" a page saying "atelier".
"""

import re
from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from members.querysets import outside_private_sections
from members.search import document, html_text, matching_q

MAX_QUERY_LENGTH = 200
PER_GROUP = 5
PER_PAGE = 10
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def page_document(title, search_description, intro, *body):
    """A content page's document: title, description, introduction, the text of its blocks."""
    return document(title, search_description, html_text(intro), *(html_text(text) for text in body))


class SearchForm(forms.Form):
    """``q``: control characters (a NUL...) become spaces and a query past
    ``MAX_QUERY_LENGTH`` characters is cut there (``truncated`` says so);
    ``kind`` narrows the answer to one group, paginated."""

    q = forms.CharField(required=False, strip=True)
    kind = forms.ChoiceField(required=False, choices=[("", "")])

    def __init__(self, data, **kwargs):
        data = data.copy()
        text = _CONTROL.sub(" ", str(data.get("q", "")))
        self.truncated = len(text.strip()) > MAX_QUERY_LENGTH
        data["q"] = text.strip()[:MAX_QUERY_LENGTH]
        super().__init__(data, **kwargs)
        self.fields["kind"].choices = [("", ""), *((group.kind, group.label) for group in GROUPS)]


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    more_label: str

    def matching(self, query):
        """The live, public pages of this kind whose document holds every word of ``query``."""
        from events.models import EventPage
        from home.models import HomePage, StandardPage
        from members.models import VenuePage

        condition = matching_q("search_document", query)
        if self.kind == "venues":
            venues = VenuePage.objects.published().filter(condition)
            return venues.select_related("commune").order_by("title", "pk")
        if self.kind == "events":
            return EventPage.objects.published().filter(condition).for_listing().order_by("-start", "pk")
        pages = Q(pk__in=StandardPage.objects.filter(condition).values("pk")) | Q(
            pk__in=HomePage.objects.filter(condition).values("pk")
        )
        found = Page.objects.live().filter(outside_private_sections(), pages, in_language())
        return found.order_by("title", "pk")


def in_language():
    """Content pages in the active language: its translations, and the French pages it lacks."""
    from network.languages import DEFAULT, active_language

    language = active_language()
    if language == DEFAULT:
        return Q(locale__language_code=DEFAULT)
    translated = Page.objects.live().filter(locale__language_code=language).values("translation_key")
    return Q(locale__language_code=language) | (
        Q(locale__language_code=DEFAULT) & ~Q(translation_key__in=translated)
    )


GROUPS = (
    Group("venues", _("Lieux"), _("Voir les %(count)s lieux")),
    Group("events", _("Événements"), _("Voir les %(count)s événements")),
    Group("pages", _("Pages"), _("Voir les %(count)s pages")),
)


@dataclass
class Results:
    group: Group
    count: int
    items: list
    page_obj: object = None

    @property
    def more(self):
        """The link to every result of the group: "Voir les 12 lieux"."""
        return self.group.more_label % {"count": self.count}


def search_site(query, *, kind="", page=None):
    """The groups that match ``query``: every group's first ``PER_GROUP`` results
    and count, or, with ``kind``, that group alone, ``PER_PAGE`` a page.

    A query with no word (punctuation only) matches nothing."""
    if matching_q("search_document", query) is None:
        return []
    found = []
    for group in GROUPS:
        if kind and group.kind != kind:
            continue
        results = group.matching(query)
        if kind:
            page_obj = Paginator(results, PER_PAGE).get_page(page)
            found.append(Results(group, page_obj.paginator.count, list(page_obj), page_obj))
        else:
            count = results.count()
            found.append(Results(group, count, list(results[:PER_GROUP]) if count else []))
    return found
