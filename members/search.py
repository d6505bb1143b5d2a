"""The site's search text: case, accents, hyphens and French plurals folded.

Visitors type "mediation", "Médiation" or "MÉDIATIONS", "oeuvre" for
"œuvre", "fablab", "fab lab" or "Fab-Lab", words in any order and in any
field. Each searchable page keeps one normalised *document* (rebuilt on every
full save, as on publication): the words of its text folded (``fold``), cut
at every non-letter (a hyphen or an apostrophe separates words), with a
trailing French plural mark dropped (``stem``), and the known compounds in
both spellings ("fab lab" adds "fablab", "fablab" adds "fab lab"). A query
goes through the same steps and every one of its words must be a word of the
document (the last one may be the start of a word, as people type).

The same answers on SQLite and PostgreSQL: on PostgreSQL a query is one
full-text match (``to_tsvector('simple', search_document) @@ tsquery``),
answered from a GIN index on that expression (migrations
``*_search_document_fts``); the ``simple`` configuration, because the French
folding and plurals are done here, the same for both databases. Elsewhere it
is one ``LIKE`` per word.
"""

import html
import itertools
import re
import unicodedata

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import translation
from django.utils.html import strip_tags

from members.vocabulary import activity_codes, activity_label

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_SEPARATORS = re.compile(r"[\W_]+")
# Compounds people write joined, split or hyphenated, as stemmed words.
COMPOUNDS = {
    ("fab", "lab"),
    ("living", "lab"),
    ("repair", "cafe"),
    ("co", "working"),
    ("tier", "lieu"),
    ("e", "sport"),
}
_JOINED = {"".join(parts): parts for parts in COMPOUNDS}
MAX_QUERY_WORDS = 12


def fold(text):
    """``"Médiation NUMÉRIQUE, Annœullin"`` → ``"mediation numerique, annoeullin"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word):
    """Drop a French plural mark: ``ateliers`` → ``atelier``, ``lieux`` → ``lieu``."""
    if len(word) > 3 and word[-1] in "sx" and word[-2] != "s":
        return word[:-1]
    return word


def words(text):
    """The folded, stemmed words of ``text``: ``"Fab-Labs d'Été"`` → ``["fab", "lab", "d", "ete"]``."""
    return [stem(word) for word in _SEPARATORS.split(fold(text)) if word]


def document(*texts):
    """One normalised document of ``texts``, with every known compound in both spellings.

    Space-delimited at both ends, so that ``" word "`` finds whole words."""
    found = words(" ".join(text for text in texts if text))
    extra = ["".join(pair) for pair in itertools.pairwise(found) if pair in COMPOUNDS]
    extra += [part for word in found if word in _JOINED for part in _JOINED[word]]
    return f" {' '.join(found + extra)} " if found else ""


def html_text(markup):
    """The text of an HTML fragment, entities decoded."""
    return html.unescape(strip_tags(markup or ""))


def query_words(text):
    """The normalised words of a search box's text, without repeats, at most
    ``MAX_QUERY_WORDS``; an elided letter ("l'", "d'") is no word to look for."""
    found = [word for word in words(text or "") if len(word) > 1 or word.isdigit()]
    return list(dict.fromkeys(found))[:MAX_QUERY_WORDS]


def matching_q(field, text):
    """A ``Q`` for the rows whose ``field`` document holds every word of ``text``,
    or ``None`` when ``text`` has no word at all.

    "fab lab" also finds a document saying "fablab": each word may be joined
    to its neighbour. The last word may be the start of a word."""
    terms = query_words(text)
    if not terms:
        return None
    alternatives = _alternatives(terms)
    if connection.vendor == "postgresql":
        return _full_text_q(field, alternatives)
    lookup = f"{field}__contains"
    condition = Q()
    for either in alternatives:
        found = Q()
        for word, prefix in either:  # a whole word, or the start of one for the last word typed
            found |= Q(**{lookup: f" {word}{'' if prefix else ' '}"})
        condition &= found
    return condition


def _alternatives(terms):
    """For each query word, the ``(word, is_prefix)`` any of which the document must hold."""
    last = len(terms) - 1
    alternatives = []
    for index, term in enumerate(terms):
        either = [(term, index == last)]
        if index > 0:
            either.append((terms[index - 1] + term, index == last))
        if index < last:
            either.append((term + terms[index + 1], index + 1 == last))
        alternatives.append(either)
    return alternatives


FULL_TEXT_CONFIG = "simple"


def full_text_vector(field):
    """The expression the GIN indexes of the search documents are built on."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(field, config=FULL_TEXT_CONFIG)


def _full_text_q(field, alternatives):
    """PostgreSQL: one ``@@`` against the indexed vector. The words are folded
    letters and digits (``words``), so they cannot carry tsquery syntax."""
    from django.contrib.postgres.search import SearchQuery

    raw = " & ".join(
        "(" + " | ".join(f"{word}:*" if prefix else word for word, prefix in either) + ")"
        for either in alternatives
    )
    query = SearchQuery(raw, search_type="raw", config=FULL_TEXT_CONFIG)
    return Q(**{f"{field}__search": query})


def activity_labels(codes):
    """The labels of activity ``codes`` in every site language."""
    labels = []
    for code in codes:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                labels.append(str(activity_label(code)))
    return labels


def search_document(
    *, title, summary, description, commune, tags, main_activity, secondary_activities, summary_en=""
):
    """A venue's document: what a visitor may search it by; activities and summary in every site language."""
    labels = activity_labels(activity_codes(main_activity, secondary_activities))
    return document(title, summary, summary_en, html_text(description), commune or "", *tags, *labels)
