"""Finding the venue a row of an import already describes (pure functions, no model).

Two venues are the same place when their names are similar (rapidfuzz) and
they stand at the same address of the same commune or within
``DUPLICATE_RADIUS_M`` of each other. Candidates come from a grid of rounded
positions and an address key, so a file of 15,000 rows is compared with its
few neighbours, never with every venue.
"""

import functools
import math
import re
import unicodedata

from rapidfuzz import fuzz

from network.geo import distance_km

DUPLICATE_RADIUS_M = 50
NAME_SIMILARITY = 85  # rapidfuzz score, 0-100
# A grid cell of 0.001° is about 111 m north-south and 72 m east-west at Lille's
# latitude: the 3×3 cells around a point hold every point within 50 m.
GRID = 0.001
LATITUDE_RADIUS = DUPLICATE_RADIUS_M / 111_000 * 1.01  # degrees of latitude, with a margin

# French words written in lower case inside a name (not as its first word).
SMALL_WORDS = {
    "à", "au", "aux", "de", "des", "du", "en", "et", "la", "le", "les", "ou", "par", "pour", "sur", "sous",
}  # fmt: skip
ELIDED = {"c", "d", "j", "l", "m", "n", "qu", "s", "t"}
APOSTROPHES = "'’"
_WORDS = re.compile(r"[a-z0-9]+")


def _capitalize(word):
    return word[:1].upper() + word[1:]


def _title_word(word, first):
    for apostrophe in APOSTROPHES:
        if apostrophe in word:
            head, _sep, tail = word.partition(apostrophe)
            if head in ELIDED:  # "l'atelier" -> "L'Atelier" first, "l'Atelier" inside
                head = _capitalize(head) if first else head
                return f"{head}{apostrophe}{_title_word(tail, first=True)}"
            return f"{_title_word(head, first)}{apostrophe}{tail}"
    if "-" in word:  # "saint-andré" -> "Saint-André"
        return "-".join(_title_word(part, first=True) for part in word.split("-"))
    if not first and word in SMALL_WORDS:
        return word
    return _capitalize(word)


def french_title(name):
    """A name written in capitals, title-cased the French way; other names are only tidied.

    ``"LA COROUTINE DE LILLE"`` -> ``"La Coroutine de Lille"``,
    ``"L'ATELIER"`` -> ``"L'Atelier"``, ``"Cowork'in Lille"`` stays.
    """
    name = " ".join(name.split())
    if not name.isupper():
        return name
    return " ".join(_title_word(word, index == 0) for index, word in enumerate(name.lower().split(" ")))


def _ascii_words(text):
    # Accents dropped with whatever is not ASCII: only [a-z0-9] words are kept anyway.
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return _WORDS.findall(text)


def name_key(name):
    """The words of a name that tell venues apart: no case, accent, punctuation or article."""
    words = [word for word in _ascii_words(name) if word not in SMALL_WORDS and word not in ELIDED]
    return " ".join(words)


@functools.lru_cache(maxsize=4096)  # a file repeats its streets
def address_key(address):
    return " ".join(_ascii_words(address or ""))


def names_similar(key_a, key_b):
    """``"coworkin lille"`` and ``"cowork in lille"`` are one name; ``"hangar"`` and ``"coroutine"`` not."""
    if not key_a or not key_b:
        return False
    if re.findall(r"\d+", key_a) != re.findall(r"\d+", key_b):
        return False  # "Coworking 2" is not "Coworking 3"
    compact = fuzz.ratio(key_a.replace(" ", ""), key_b.replace(" ", ""))
    return max(compact, fuzz.token_sort_ratio(key_a, key_b)) >= NAME_SIMILARITY


def _cell(latitude, longitude):
    return (math.floor(latitude / GRID), math.floor(longitude / GRID))


class DuplicateIndex:
    """Venues (existing or earlier rows) indexed by grid cell and by address."""

    def __init__(self):
        self._cells = {}
        self._addresses = {}

    def add(self, target, *, title, street_address="", commune_id=None, latitude=None, longitude=None):
        entry = (target, name_key(title), latitude, longitude)
        if latitude is not None and longitude is not None:
            self._cells.setdefault(_cell(latitude, longitude), []).append(entry)
        key = address_key(street_address)
        if key and commune_id is not None:
            self._addresses.setdefault((commune_id, key), []).append(entry)

    def find(self, *, title, street_address="", commune_id=None, latitude=None, longitude=None):
        """``(target, reason)`` of the first similar venue at the same address or within 50 m."""
        key = name_key(title)
        address = address_key(street_address)
        if address and commune_id is not None:
            for target, other_key, _lat, _lng in self._addresses.get((commune_id, address), ()):
                if names_similar(key, other_key):
                    return target, "address"
        if latitude is None or longitude is None:
            return None, ""
        row, column = _cell(latitude, longitude)
        for cell in ((row + i, column + j) for i in (-1, 0, 1) for j in (-1, 0, 1)):
            for target, other_key, lat, lng in self._cells.get(cell, ()):
                if abs(lat - latitude) > LATITUDE_RADIUS:
                    continue  # surely farther than 50 m: no need for the exact distance
                close = distance_km((latitude, longitude), (lat, lng)) * 1000 <= DUPLICATE_RADIUS_M
                if close and names_similar(key, other_key):
                    return target, "position"
        return None, ""
