"""Reading venue files: formats in, plain records out (no database access).

Three sources are recognised: the ANCT 2019 census CSV (``NOM_TL`` column),
our own exports (``/lieux/lieux.csv`` and ``/lieux/lieux.geojson``) and any
GeoJSON FeatureCollection of points (a uMap export: ``name``/``description``).
``members.importer`` plans an import from these rows.
"""

import csv
import html
import io
import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.html import strip_tags

from members.opendata import TAG_SEPARATOR
from members.vocabulary import ACTIVITY_CODES
from network.geo import is_valid_position, parse_coordinate
from network.sanitize import sanitize_html
from network.spreadsheet import spreadsheet_unsafe
from network.validation import is_storable_text

CENSUS_SOURCE = "anct-2019"
OWN_SOURCE = "compagnie"
CENSUS_TYPOLOGY = {
    "tiers lieux à dominante coworking": "coworking",
    "tiers lieux à dominante fablab": "fablab",
}
SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "et", "à", "au", "aux", "en", "sur"}


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing is imported."""


class RowError(Exception):
    """One row is unusable; it is skipped with this reason."""


@dataclass
class Row:
    line: int
    record: dict | None = None
    error: str = ""
    warnings: list = field(default_factory=list)


# -- reading ------------------------------------------------------------------------


def read_file(path):
    """``(source, rows)`` for the file at ``path``; raises ImportFileError when unreadable."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path} is not UTF-8 text") from error
    if path.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{"):
        return read_geojson(text, default_source=f"geojson:{path.stem}"[:40])
    return read_csv(text)


def read_geojson(text, default_source="geojson"):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"invalid JSON (line {error.lineno}): {error.msg}") from error
    except RecursionError as error:
        raise ImportFileError("JSON nested too deep") from error
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        raise ImportFileError(f"invalid JSON: {error}") from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFileError("not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportFileError("a FeatureCollection needs a list of features")
    own = (
        isinstance(data.get("licence"), dict)
        and data["licence"].get("attribution") == "Compagnie des Tiers-lieux"
    )
    source = OWN_SOURCE if own else default_source
    rows = []
    for number, feature in enumerate(features, start=1):
        row = Row(line=number)
        try:
            row.record = geojson_record(feature, source, row.warnings)
        except RowError as error:
            row.error = str(error)
        rows.append(row)
    return source, rows


CSV_DELIMITERS = (",", ";", "\t")


def csv_delimiter(text):
    """The separator of the header line: ``,`` (ours, the census), ``;`` (Excel in French) or a tab.

    Read from the header alone, whose names hold no separator: guessing from
    the data as ``csv.Sniffer`` does goes wrong on a cell with quotes in it.
    """
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in CSV_DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(text):
    # RFC 4180 quoting (a quote inside a cell is doubled), as every spreadsheet writes it.
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    header = reader.fieldnames or []
    if "NOM_TL" in header and "INSEECOM" in header:
        source, convert = CENSUS_SOURCE, census_record
    elif "name" in header and "insee_code" in header:
        source, convert = OWN_SOURCE, export_record
    else:
        raise ImportFileError(
            "unknown CSV columns: expected the ANCT census (NOM_TL, INSEECOM…) or our export"
        )
    rows = []
    try:
        for row_dict in reader:
            row = Row(line=reader.line_num)
            try:
                if None in row_dict:
                    raise RowError("more cells than columns")
                if source == OWN_SOURCE:  # undo the guard of our exports (network/spreadsheet.py)
                    row_dict = {
                        key: spreadsheet_unsafe(value) if isinstance(value, str) else value
                        for key, value in row_dict.items()
                    }
                row.record = convert(row_dict, source, row.warnings)
            except RowError as error:
                row.error = str(error)
            rows.append(row)
    except csv.Error as error:
        raise ImportFileError(f"malformed CSV near line {reader.line_num}: {error}") from error
    return source, rows


# -- converting ----------------------------------------------------------------------


def pretty_name(name):
    """``"LE WELCOME BAR"`` -> ``"Le Welcome Bar"``; names in mixed case are kept."""
    name = " ".join(name.split())
    if not name.isupper():
        return name
    words = name.lower().split(" ")
    return " ".join(
        word if index and word in SMALL_WORDS else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def clean_url(value, warnings, label="site web"):
    value = (value or "").strip()
    if not value:
        return ""
    if not re.match(r"^https?://", value, re.I):
        value = f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        warnings.append(f"{label} ignoré (adresse invalide) : {value}")
        return ""
    return value[:200]


def clean_email(value, warnings):
    value = (value or "").strip()
    if not value:
        return ""
    try:
        EmailValidator()(value)
    except ValidationError:
        warnings.append(f"e-mail ignoré (invalide) : {value}")
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
        raise RowError(f"{label} : une valeur simple est attendue, pas {type(value).__name__}")
    if not is_storable_text(value):
        raise RowError(f"{label} contient un caractère interdit")
    return value


def _cells(row):
    return {key: _cell(value, key) for key, value in row.items() if isinstance(key, str)}


# Upper bounds of the numbers a venue states (its columns are 32-bit integers).
MAX_NUMBERS = {"surface_m2": 1_000_000, "capacity": 100_000}


def _int(value, label):
    if value in (None, ""):
        return None
    try:
        number = float(_cell(value, label).strip().replace(",", "."))
    except ValueError as error:
        raise RowError(f"{label} n'est pas un nombre : {value!r}") from error
    if not math.isfinite(number):
        raise RowError(f"{label} n'est pas un nombre fini : {value!r}")
    if number < 0:
        raise RowError(f"{label} est négatif : {value!r}")
    maximum = MAX_NUMBERS.get(label, 2**31 - 1)
    if number > maximum:
        raise RowError(f"{label} dépasse {maximum} : {value!r}")
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
    warnings.append(f"{label} ignoré (date invalide) : {text}")
    return None


def _bool(value):
    return str(value).strip().lower() in ("1", "true", "oui", "yes", "vrai")


def _position(record, lat, lng, warnings):
    lat, lng = parse_coordinate(lat), parse_coordinate(lng)
    if lat is None and lng is None:
        return
    if lat is None or lng is None or not is_valid_position(lat, lng):
        warnings.append("position invalide ignorée")
        return
    record["latitude"], record["longitude"] = lat, lng


def census_record(row, source, warnings):
    row = _cells(row)
    name = pretty_name(row.get("NOM_TL") or "")
    if not name:
        raise RowError("nom manquant")
    typology = (row.get("TYPO") or "").strip().lower()
    activity = CENSUS_TYPOLOGY.get(typology)
    if activity is None:
        warnings.append(f"typologie inconnue « {row.get('TYPO')} » : activité « autre »")
        activity = "autre"
    record = {
        "source": source,
        "source_id": (row.get("ID") or "").strip(),
        "title": name[:255],
        "insee_code": (row.get("INSEECOM") or "").strip(),
        "postcode": (row.get("CP") or "").strip(),
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
    if record["postcode"] in ("", "0"):
        warnings.append("code postal inconnu (0) : la commune vient du code INSEE")
    _position(record, row.get("LAT"), row.get("LONG"), warnings)
    precision = parse_coordinate(row.get("PRECISION"))
    if precision is not None and precision < 0.5 and "latitude" in record:
        warnings.append(f"géocodage imprécis ({precision}) : position à vérifier")
    return record


def export_record(row, source, warnings):
    row = _cells(row)
    name = " ".join((row.get("name") or "").split())
    if not name:
        raise RowError("nom manquant")
    activities = [code for code in (row.get("activities") or "").split() if code in ACTIVITY_CODES]
    main = row.get("main_activity") or (activities[0] if activities else "autre")
    if main not in ACTIVITY_CODES:
        raise RowError(f"activité inconnue : {main!r}")
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


def geojson_record(feature, source, warnings):
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise RowError("pas un objet Feature")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise RowError("propriétés invalides")
    geometry = feature.get("geometry")
    row = {key: props.get(key) for key in props}
    row["name"] = _cell(props.get("name") or props.get("nom"), "name")
    if isinstance(props.get("activities"), list):
        row["activities"] = " ".join(_cell(code, "activities") for code in props["activities"])
    if isinstance(props.get("tags"), list):
        row["tags"] = TAG_SEPARATOR.join(_cell(tag, "tags") for tag in props["tags"])
    row["id"] = _cell(props.get("id") or feature.get("id"), "id")
    row.setdefault("insee_code", "")
    row["insee_code"] = _cell(row.get("insee_code"), "insee_code")
    for key in ("summary", "address", "website", "email"):
        row[key] = _cell(row.get(key), key)
    if geometry is not None:
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if not (isinstance(geometry, dict) and geometry.get("type") == "Point" and isinstance(coords, list)):
            raise RowError("géométrie non ponctuelle")
        if len(coords) < 2:
            raise RowError("coordonnées incomplètes")
        row["longitude"], row["latitude"] = coords[0], coords[1]
    record = export_record(row, source, warnings)
    description = props.get("description")
    if description and not record.get("summary"):
        # The summary is plain text (templates escape it): no entity stays encoded.
        text = " ".join(html.unescape(strip_tags(sanitize_html(str(description)))).split())
        record["summary"] = text[:300]
        if len(text) > 300:
            record["description"] = "".join(
                f"<p>{sanitize_html(part)}</p>" for part in str(description).split("\n\n") if part.strip()
            )
    record["commune_name"] = _cell(props.get("commune"), "commune")
    return record
