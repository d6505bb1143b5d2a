"""One row or feature of an import file -> one plain venue record (no database access).

``members.import_formats`` reads the files and calls these converters: the
ANCT census (``census_record``), our own exports (``export_record``) and any
GeoJSON or other CSV, whose property names are matched in English or in
French, any case (``normalise_properties``). uMap markup and OpenStreetMap
tags are read here too. Messages are French msgids, translated on the spot.
"""

import functools
import html
import math
import re
import unicodedata
from datetime import datetime

import shapely
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from shapely.geometry import shape

from members.import_matching import french_title
from members.opendata import TAG_SEPARATOR
from members.vocabulary import ACTIVITY_CODES
from network.geo import is_valid_position, parse_coordinate
from network.sanitize import sanitize_html
from network.spreadsheet import spreadsheet_unsafe
from network.validation import is_storable_text

CENSUS_SOURCE = "anct-2019"
OWN_SOURCE = "compagnie"
OSM_SOURCE = "openstreetmap"
CENSUS_TYPOLOGY = {
    "tiers lieux à dominante coworking": "coworking",
    "tiers lieux à dominante fablab": "fablab",
}
# Our export's names (left) and what other files call them, normalised by ``_key``:
# lower case, no accent, spaces and hyphens as ``_``. The first one present wins.
PROPERTY_ALIASES = {
    "name": ("name", "nom", "nom_du_lieu", "nom_tl", "titre", "title"),
    "summary": ("summary", "resume", "accroche"),
    "description": ("description", "descriptif", "presentation"),
    "address": ("address", "adresse", "adresse_postale", "street_address", "rue"),
    "insee_code": ("insee_code", "code_insee", "insee", "codeinsee", "inseecom", "code_commune", "ref:insee"),
    "postcode": ("postcode", "code_postal", "codepostal", "cp", "postal_code", "zip", "addr:postcode"),
    "commune": ("commune", "ville", "city", "nom_commune", "nomcom", "addr:city"),
    "website": ("website", "site_web", "site_internet", "site", "web", "contact:website"),
    "email": ("email", "courriel", "mail", "e_mail", "contact:email"),
    "phone": ("phone", "telephone", "tel", "contact:phone", "contact:mobile"),
    "main_activity": ("main_activity", "activite_principale", "activite"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "x"),
    "surface_m2": ("surface_m2", "surface"),
    "capacity": ("capacity", "capacite", "jauge"),
}
SOCIAL_KEYS = (
    "contact:facebook",
    "contact:twitter",
    "contact:instagram",
    "contact:linkedin",
    "contact:mastodon",
)
# OpenStreetMap tags that say what a venue is.
OSM_ACTIVITIES = {
    ("amenity", "coworking_space"): "coworking",
    ("office", "coworking"): "coworking",
    ("leisure", "hackerspace"): "fablab",
    ("club", "hackerspace"): "fablab",
    ("craft", "makerspace"): "atelier_partage",
    ("amenity", "community_centre"): "autre",
}
# The names ``export_record`` reads.
RECORD_KEYS = {
    *PROPERTY_ALIASES,
    "id",
    "activities",
    "tags",
    "position_approximate",
    "last_checked",
    "in_qpv",
    "step_free_access",
    "offers_mentoring",
    "is_free",
    "solidarity_pricing",
}
# Upper bounds of the numbers a venue states (its columns are 32-bit integers).
MAX_NUMBERS = {"surface_m2": 1_000_000, "capacity": 100_000}


class RowError(Exception):
    """One row is unusable; it is skipped with this reason."""


# -- cells ---------------------------------------------------------------------------


def pretty_name(name):
    """``"LE WELCOME BAR"`` -> ``"Le Welcome Bar"``; names in mixed case are kept."""
    return french_title(name)


def clean_url(value, warnings, label=None):
    value = (value or "").strip()
    if not value:
        return ""
    if not re.match(r"^https?://", value, re.I):
        value = f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        warnings.append(
            _("%(label)s ignoré (adresse invalide) : %(value)s")
            % {"label": label or _("site web"), "value": value}
        )
        return ""
    return value[:200]


def clean_email(value, warnings):
    value = (value or "").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if not value:
        return ""
    try:
        EmailValidator()(value)
    except ValidationError:
        warnings.append(_("e-mail ignoré (invalide) : %(value)s") % {"value": value})
        return ""
    return value


def _cell(value, label):
    """One value of a row as text: a CSV cell already is; a GeoJSON property may be
    a number or a boolean, never a list or an object. NUL and lone surrogates
    (which no database column stores) refuse the row."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    if not isinstance(value, str):
        raise RowError(
            _("%(label)s : une valeur simple est attendue, pas %(type)s")
            % {"label": label, "type": type(value).__name__}
        )
    if not is_storable_text(value):
        raise RowError(_("%(label)s contient un caractère interdit") % {"label": label})
    return value


def _cells(row):
    return {key: _cell(value, key) for key, value in row.items() if isinstance(key, str)}


def _int(value, label):
    if value in (None, ""):
        return None
    try:
        number = float(_cell(value, label).strip().replace(",", "."))
    except ValueError as error:
        raise RowError(
            _("%(label)s n'est pas un nombre : %(value)r") % {"label": label, "value": value}
        ) from error
    if not math.isfinite(number):
        raise RowError(_("%(label)s n'est pas un nombre fini : %(value)r") % {"label": label, "value": value})
    if number < 0:
        raise RowError(_("%(label)s est négatif : %(value)r") % {"label": label, "value": value})
    maximum = MAX_NUMBERS.get(label, 2**31 - 1)
    if number > maximum:
        raise RowError(
            _("%(label)s dépasse %(maximum)s : %(value)r")
            % {"label": label, "maximum": maximum, "value": value}
        )
    return int(number)


def _date(value, label, warnings):
    """A date written ``2025-03-14`` (our exports) or ``14/03/2025`` (a file saved by French Excel)."""
    text = str(value or "").strip()
    if not text:
        return None
    for date_format in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    warnings.append(_("%(label)s ignoré (date invalide) : %(value)s") % {"label": label, "value": text})
    return None


def _bool(value):
    return str(value).strip().lower() in ("1", "true", "oui", "yes", "vrai")


def _position(record, lat, lng, warnings):
    lat, lng = parse_coordinate(lat), parse_coordinate(lng)
    if lat is None and lng is None:
        return
    if lat is None or lng is None or not is_valid_position(lat, lng):
        warnings.append(_("position invalide ignorée"))
        return
    record["latitude"], record["longitude"] = lat, lng


# -- uMap markup -----------------------------------------------------------------------

_UMAP_IFRAME = re.compile(r"\{\{\{.*?\}\}\}", re.S)
_UMAP_IMAGE = re.compile(r"\{\{.*?\}\}", re.S)
_UMAP_LINK = re.compile(r"\[\[([^|\]]+)(?:\|([^\]]*))?\]\]")
_UMAP_EMPHASIS = re.compile(r"(\*\*|\*|__)(.+?)\1", re.S)
_UMAP_HEADING = re.compile(r"^\s*(#{1,6}\s+|-{3,}\s*$)", re.M)


def umap_text(text):
    """uMap's markup as clean text: ``**bold**`` -> bold, ``[[url|text]]`` -> text,
    ``[[url]]`` -> url, images ``{{…}}`` and frames ``{{{…}}}`` removed."""
    text = _UMAP_IFRAME.sub("", text)
    text = _UMAP_IMAGE.sub("", text)
    text = _UMAP_LINK.sub(lambda match: (match.group(2) or match.group(1)).strip(), text)
    text = _UMAP_EMPHASIS.sub(r"\2", text)
    return _UMAP_HEADING.sub("", text)


def umap_first_link(text):
    match = _UMAP_LINK.search(text or "")
    return match.group(1).strip() if match and match.group(1).lower().startswith("http") else ""


# -- records ---------------------------------------------------------------------------


def census_record(row, source, warnings):
    row = _cells(row)
    name = pretty_name(row.get("NOM_TL") or "")
    if not name:
        raise RowError(_("nom manquant"))
    typology = (row.get("TYPO") or "").strip().lower()
    activity = CENSUS_TYPOLOGY.get(typology)
    if activity is None:
        warnings.append(
            _("typologie inconnue « %(value)s » : activité « autre »") % {"value": row.get("TYPO")}
        )
        activity = "autre"
    record = {
        "source": source,
        "source_id": (row.get("ID") or "").strip(),
        "title": name[:255],
        "insee_code": (row.get("INSEECOM") or "").strip(),
        "postcode": (row.get("CP") or "").strip(),
        "commune_name": (row.get("COMINIT") or "").strip(),
        "street_address": " ".join((row.get("ADRESSE") or "").split())[:255],
        "main_activity": activity,
        "website": clean_url(row.get("WEB"), warnings),
        "email": clean_email(row.get("MAIL"), warnings),
        "social_links": "\n".join(
            url
            for url in (clean_url(row.get(key), warnings, key.lower()) for key in ("TWITTER", "FACEBOOK"))
            if url.startswith("https://")
        ),
    }
    if record["insee_code"] == "0":
        record["insee_code"] = ""
    if record["postcode"] in ("", "0"):
        warnings.append(_("code postal inconnu (0) : la commune vient du code INSEE"))
    _position(record, row.get("LAT"), row.get("LONG"), warnings)
    precision = parse_coordinate(row.get("PRECISION"))
    if precision is not None and precision < 0.5 and "latitude" in record:
        warnings.append(
            _("géocodage imprécis (%(precision)s) : position à vérifier") % {"precision": precision}
        )
    return record


def export_record(row, source, warnings):
    row = _cells(row)
    name = " ".join((row.get("name") or "").split())
    if not name:
        raise RowError(_("nom manquant"))
    activities = [code for code in (row.get("activities") or "").split() if code in ACTIVITY_CODES]
    main = row.get("main_activity") or (activities[0] if activities else "autre")
    if main not in ACTIVITY_CODES:
        raise RowError(_("activité inconnue : %(value)r") % {"value": main})
    record = {
        "source": source,
        "source_id": (row.get("id") or "").strip(),
        "title": name[:255],
        "summary": strip_tags(row.get("summary") or "")[:300],
        "insee_code": (row.get("insee_code") or "").strip(),
        "street_address": (row.get("address") or "")[:255],
        "main_activity": main,
        "secondary_activities": [code for code in activities if code != main],
        "tags": [
            tag.strip()[:100] for tag in (row.get("tags") or "").split(TAG_SEPARATOR.strip()) if tag.strip()
        ],
        "surface_m2": _int(row.get("surface_m2"), "surface_m2"),
        "capacity": _int(row.get("capacity"), "capacity"),
        "website": clean_url(row.get("website"), warnings),
        "email": clean_email(row.get("email"), warnings),
        "phone": str(row.get("phone") or "").strip()[:30],
    }
    if row.get("postcode"):
        record["postcode"] = row["postcode"].strip()
    last_checked = _date(row.get("last_checked"), "last_checked", warnings)
    if last_checked:
        record["last_checked"] = last_checked
    for flag in ("in_qpv", "step_free_access", "offers_mentoring", "is_free", "solidarity_pricing"):
        if flag in row:
            record[flag] = _bool(row[flag])
    # Our exports fill a missing position with the commune's: do not store it as the venue's.
    if not _bool(row.get("position_approximate")):
        _position(record, row.get("latitude"), row.get("longitude"), warnings)
    return record


@functools.lru_cache(maxsize=1024)  # the same few property names on every feature
def _key(name):
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def normalise_properties(props):
    """Properties named in English, in French or as OpenStreetMap tags -> our export's names.

    Keys of our own vocabulary are kept as they are; ``addr:housenumber`` and
    ``addr:street`` make the address; ``contact:*`` networks the social links.
    """
    by_key = {}
    for key, value in props.items():
        if isinstance(key, str):
            by_key.setdefault(_key(key), value)
    row = dict(by_key)
    for ours, aliases in PROPERTY_ALIASES.items():
        for alias in aliases:
            if alias in by_key:
                row[ours] = by_key[alias]
                break
    street = by_key.get("addr:street")
    if street and not row.get("address"):
        number = _cell(by_key.get("addr:housenumber"), "addr:housenumber")
        row["address"] = " ".join(part for part in (number, _cell(street, "addr:street")) if part)
    if not row.get("main_activity") and not row.get("activities"):
        for (tag, value), activity in OSM_ACTIVITIES.items():
            if by_key.get(tag) == value:
                row["main_activity"] = activity
                break
    return row


def social_links(props, warnings):
    urls = (clean_url(_cell(props.get(key), key), warnings, key) for key in SOCIAL_KEYS if props.get(key))
    return "\n".join(url for url in urls if url)


def _point(geometry, warnings):
    """``(longitude, latitude)`` of a Point; a polygon (an OSM building) gives a point inside it."""
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind in ("Polygon", "MultiPolygon") and isinstance(coords, list):
        try:
            inside = shape(geometry).representative_point()
            x, y = (None, None) if inside.is_empty else (inside.x, inside.y)
        except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.ShapelyError) as error:
            raise RowError(_("contour illisible")) from error
        if x is None:
            raise RowError(_("contour illisible"))
        warnings.append(_("position prise à l'intérieur du contour"))
        return x, y
    if not (kind == "Point" and isinstance(coords, list)):
        raise RowError(_("géométrie non ponctuelle"))
    if len(coords) < 2:
        raise RowError(_("coordonnées incomplètes"))
    return coords[0], coords[1]


def geojson_record(feature, source, warnings, umap=False):
    """A Feature of any GeoJSON: ours, uMap's (``umap``: description in uMap markup), OSM's, others."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise RowError(_("pas un objet Feature"))
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise RowError(_("propriétés invalides"))
    row = normalise_properties(props)
    row["name"] = _cell(row.get("name"), "name")
    if isinstance(row.get("activities"), list):
        row["activities"] = " ".join(_cell(code, "activities") for code in row["activities"])
    if isinstance(row.get("tags"), list):
        row["tags"] = TAG_SEPARATOR.join(_cell(tag, "tags") for tag in row["tags"])
    row["id"] = _cell(row.get("@id") or row.get("id") or feature.get("id"), "id")
    row.setdefault("insee_code", "")
    for key in ("insee_code", "summary", "address", "website", "email", "description"):
        row[key] = _cell(row.get(key), key)
    description = row.pop("description")
    if umap:
        if not row["website"]:
            row["website"] = umap_first_link(description)
        description = umap_text(description)
    geometry = feature.get("geometry")
    if geometry is not None:
        row["longitude"], row["latitude"] = _point(geometry, warnings)
    # Other properties (uMap's ``_umap_options``, OSM's tags…) are not ours to read.
    row = {key: value for key, value in row.items() if key in RECORD_KEYS}
    record = export_record(row, source, warnings)
    links = social_links({_key(key): value for key, value in props.items() if isinstance(key, str)}, warnings)
    if links:
        record["social_links"] = links
    if description and not record.get("summary"):
        # The summary is plain text (templates escape it): no entity stays encoded.
        # (bleach is slow: a description with no tag, as uMap's are, skips it)
        plain = sanitize_html(description) if "<" in description else description
        text = " ".join(html.unescape(strip_tags(plain)).split())
        record["summary"] = text[:300]
        if len(text) > 300:
            record["description"] = "".join(
                f"<p>{sanitize_html(part)}</p>" for part in description.split("\n\n") if part.strip()
            )
    record["commune_name"] = _cell(row.get("commune"), "commune")
    return record


def csv_record(row, source, warnings):
    """A row of a CSV that is neither the census nor ours: columns named as GeoJSON properties."""
    return geojson_record({"type": "Feature", "properties": row, "geometry": None}, source, warnings)


def own_csv_record(row, source, warnings):
    # Undo the guard of our exports against formulas (network/spreadsheet.py).
    row = {key: spreadsheet_unsafe(value) if isinstance(value, str) else value for key, value in row.items()}
    return export_record(row, source, warnings)
