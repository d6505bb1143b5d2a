"""The directory's search text: case and accents folded, in both languages.

Visitors type "mediation", "Mediation" or "médiation", "oeuvre" for
"œuvre", words in any order and in any field. Each venue keeps one folded
document (``VenuePage.search_document``, rebuilt on every full save, as
on publication) and every word of the query must occur in it: the same
answers on SQLite and PostgreSQL, one ``LIKE`` per word (no index needed
for a network of a few hundred venues).
"""

import unicodedata

from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags

from members.vocabulary import activity_codes, activity_label

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def fold(text):
    """``"Médiation NUMÉRIQUE, Annœullin"`` → ``"mediation numerique, annoeullin"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def query_words(text):
    """The folded words of a search box's text."""
    return fold(text).split()


def search_document(*, title, summary, description, commune, tags, main_activity, secondary_activities):
    """One folded text of what a visitor may search a venue by; activities in every site language."""
    labels = []
    for code in activity_codes(main_activity, secondary_activities):
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                labels.append(str(activity_label(code)))
    parts = [title, summary, strip_tags(description or ""), commune or "", *tags, *labels]
    return fold(" ".join(part for part in parts if part))
