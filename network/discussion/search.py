"""Full-text search of the messages a member can read (``/discussions/recherche/``).

On PostgreSQL a query is a ``websearch_to_tsquery`` in the ``french_unaccent``
configuration matched against ``Message.search_vector`` (generated from the
body, GIN-indexed): accents and case do not matter, French words are
stemmed ("reunion" finds "Réunions"), and the snippet comes from
``ts_headline``. On other databases (SQLite, the embedded default) every word
must appear in the body (``icontains``) and the snippet is cut in Python.

The name of a message's file is searched too: a message is found when its
body matches, or when its file's name does ("plan atelier" finds
"plan-atelier.pdf": hyphens, underscores and dots part the words). On
PostgreSQL that is a second query, the name's vector computed on the fly
over the files of the rooms searched (no column, no index: the files are
few beside the messages), its page merged with the body's by id.

Searched: the rooms ``Room.objects.visible_to(user)`` lists (so any kind of
room that queryset lets a member read is searched, and no other), or the one
room chosen in the form if ``access_room`` lets the member read it. Deleted
and hidden messages never match. Newest first, ``conf.search_page_size()``
results a page, the next page from the last id shown (``avant``): the
rooms, then the page (one query on SQLite, two on PostgreSQL: the bodies,
the file names) whatever the history.
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.db import connection
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.discussion import conf
from network.discussion.models import Message, Room
from network.discussion.permissions import RoomNotFound, access_room
from network.discussion.search_vector import CONFIG
from network.validation import MAX_ID

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8  # the SQLite fallback: one LIKE per word
SNIPPET_CHARS = 160
START, STOP = "\ue000", "\ue001"  # private-use marks around ts_headline's hits
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ue000\ue001]+")
_NAME_SEPARATORS = r"[-_.+]+"  # between the words of a file name, for PostgreSQL's parser
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=MAX_QUERY_LENGTH)
    salon = forms.SlugField(label=_("Salon"), required=False, max_length=80)
    auteur = forms.CharField(label=_("Auteur ou autrice"), required=False, max_length=80)
    du = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    au = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    avant = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user, rooms, **kwargs):
        if data is not None:
            data = data.copy()
            for name in ("q", "auteur"):
                data[name] = _CONTROL.sub(" ", str(data.get(name, ""))).strip()
        super().__init__(data, **kwargs)
        self.user, self.rooms = user, rooms
        self.fields["salon"].widget = forms.Select(
            choices=[("", _("Tous mes salons")), *((room.slug, room.title) for room in rooms)]
        )

    def clean_du(self):
        return self._check_year(self.cleaned_data["du"])

    def clean_au(self):
        return self._check_year(self.cleaned_data["au"])

    @staticmethod
    def _check_year(value):
        if value is not None and not _FIRST_YEAR <= value.year <= _LAST_YEAR:
            raise forms.ValidationError(
                _("Choisissez une date entre %(first)s et %(last)s."),
                params={"first": _FIRST_YEAR, "last": _LAST_YEAR},
            )
        return value

    def clean_salon(self):
        """The chosen room (one the member may read), or ``None`` for all of them."""
        slug = self.cleaned_data["salon"]
        if not slug:
            return None
        for room in self.rooms:
            if room.slug == slug:
                return room
        try:  # a room the member may read without it being listed (a venue room not joined yet)
            return access_room(self.user, slug)
        except RoomNotFound:
            raise forms.ValidationError(_("Ce salon n'existe pas.")) from None

    def clean(self):
        data = super().clean()
        since, until = data.get("du"), data.get("au")
        if since and until and since > until:
            self.add_error("au", _("La date de fin précède la date de début."))
        if not data.get("q") and any(data.get(name) for name in ("salon", "auteur", "du", "au")):
            self.add_error("q", _("Saisissez les mots à chercher."))
        return data

    def has_query(self):
        return self.is_bound and bool(self.data.get("q"))


@dataclass
class Result:
    message: Message
    parts: list  # [(text, highlighted)], escaped by the template
    file_parts: list | None = None  # the same for the file's name, when the message has one

    @property
    def room(self):
        return self.message.room


def readable_rooms(user):
    """The rooms searched by default, as listed for ``user``; their titles fill the room filter."""
    return list(
        Room.objects.visible_to(user).only("pk", "slug", "title", "kind", "visibility").order_by("title")
    )


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search_messages(user, *, query, rooms, room=None, author="", since=None, until=None, before=None):
    """``(results, next_before)``: the newest readable messages of ``rooms``
    (or of ``room``) matching ``query``, filtered by author name and dates
    (``since`` and ``until`` are days, both included); ``next_before`` is the
    ``avant`` of the next page, ``None`` on the last one."""
    size = conf.search_page_size()
    room_ids = [room.pk] if room is not None else [r.pk for r in rooms]
    if not room_ids or not query:
        return [], None
    messages = Message.objects.filter(room_id__in=room_ids, deleted=False, hidden=False)
    postgres = connection.vendor == "postgresql"
    if author:
        lookup = (
            "author__display_name__unaccent__icontains" if postgres else "author__display_name__icontains"
        )
        messages = messages.filter(**{lookup: author})
    if since:
        messages = messages.filter(created__gte=_day_start(since))
    if until:
        messages = messages.filter(created__lt=_day_start(until + datetime.timedelta(days=1)))
    if before:
        messages = messages.filter(id__lt=before)
    messages = messages.select_related("author", "room", "attachment").defer("search_vector").order_by("-id")
    page = (_postgres_page if postgres else _fallback_page)(messages, query, size)
    more = len(page) > size
    page = page[:size]
    words = _words(query)
    for result in page:
        attachment = getattr(result.message, "attachment", None)
        if attachment is not None:
            result.file_parts = _highlighted(attachment.name, words)
    return page, (page[-1].message.pk if more and page else None)


def _postgres_page(messages, query, size):
    """The newest ``size + 1`` messages whose body or file name matches: the
    body through its indexed vector, the name in a second query."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector

    tsquery = SearchQuery(query, config=CONFIG, search_type="websearch")
    headline = SearchHeadline(
        "body",
        tsquery,
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    by_body = messages.filter(search_vector=tsquery).annotate(snippet=headline)[: size + 1]
    name = Func(
        F("attachment__name"), Value(_NAME_SEPARATORS), Value(" "), Value("g"), function="regexp_replace"
    )
    by_name = (
        messages.filter(attachment__isnull=False)
        .annotate(name_vector=SearchVector(name, config=CONFIG))
        .filter(name_vector=tsquery)
        .annotate(snippet=headline)[: size + 1]
    )
    found = {message.pk: message for message in [*by_body, *by_name]}
    newest = sorted(found.values(), key=lambda message: message.pk, reverse=True)[: size + 1]
    return [Result(message, _marked_parts(message.snippet)) for message in newest]


def _marked_parts(snippet):
    """``[(text, highlighted)]`` from a headline with START/STOP marks, balanced whatever the text."""
    parts, current, open_ = [], [], False
    for char in snippet or "":
        if char in (START, STOP):
            if (char == START) != open_:
                if current:
                    parts.append(("".join(current), open_))
                current, open_ = [], not open_
            continue
        current.append(char)
    if current:
        parts.append(("".join(current), open_))
    return parts


def _words(query):
    return [word for word in re.split(r"\s+", query.replace('"', " ")) if word][:MAX_WORDS]


def _fallback_page(messages, query, size):
    """Every word in the body, or every word in the file's name."""
    words = _words(query)
    if not words:
        return []
    in_body, in_name = Q(), Q()
    for word in words:
        in_body &= Q(body__icontains=word)
        in_name &= Q(attachment__name__icontains=word)
    found = messages.filter(in_body | in_name)
    return [Result(message, _cut_parts(message.body, words)) for message in found[: size + 1]]


def _pattern(words):
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def _marked(text, pattern):
    """``[(text, highlighted)]``: ``text`` cut around the matches of ``pattern``."""
    parts, cursor = [], 0
    for match in pattern.finditer(text):
        if match.start() > cursor:
            parts.append((text[cursor : match.start()], False))
        parts.append((match.group(0), True))
        cursor = match.end()
    if cursor < len(text):
        parts.append((text[cursor:], False))
    return parts


def _highlighted(name, words):
    """``[(text, highlighted)]`` of a file name, the query's words marked where they appear as typed."""
    words = [word for word in words if not word.startswith("-") and word.lower() != "or"]
    return _marked(name, _pattern(words)) if words else [(name, False)]


def _cut_parts(body, words):
    """``[(text, highlighted)]``: about ``SNIPPET_CHARS`` of ``body`` around its first hit."""
    pattern = _pattern(words)
    first = pattern.search(body)
    start = max((first.start() if first else 0) - SNIPPET_CHARS // 3, 0)
    parts = [("…", False)] if start else []
    parts += _marked(body[start : start + SNIPPET_CHARS], pattern)
    if start + SNIPPET_CHARS < len(body):
        parts.append(("…", False))
    return parts
