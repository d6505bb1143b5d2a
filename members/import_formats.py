"""Reading venue files: formats in, plain rows out (no database access).

Recognised: the ANCT 2019 census CSV (``NOM_TL`` column), our own exports
(``/lieux/lieux.csv`` and ``/lieux/lieux.geojson``), any other CSV or GeoJSON
whose columns or properties are named in English or French, a single GeoJSON
Feature, uMap's GeoJSON export and full map backup (``"type": "umap"``), and
OpenStreetMap exports (overpass turbo). A CSV saved by Excel (Windows-1252,
``;``) is read. Each row knows where it was in the file (``Row.where``).
``members.importer`` plans an import from these rows.
"""

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.import_records import (  # noqa: F401 (public API of the readers)
    CENSUS_SOURCE,
    CENSUS_TYPOLOGY,
    OSM_SOURCE,
    OWN_SOURCE,
    PROPERTY_ALIASES,
    RowError,
    _key,
    census_record,
    clean_email,
    clean_url,
    csv_record,
    export_record,
    geojson_record,
    own_csv_record,
    pretty_name,
    umap_text,
)

OSM_ID = re.compile(r"^(node|way|relation)/\d+$")
EXCEL_FIX = gettext_lazy(
    "dans Excel, choisissez Fichier > Enregistrer sous > « CSV UTF-8 (délimité par des virgules) (*.csv) »"
)


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass
class Row:
    """One row of a CSV (``line``: its line in the file) or one feature of a GeoJSON
    (``line``: its index from 1, ``feature`` true, ``name`` as read)."""

    line: int
    record: dict | None = None
    error: str = ""
    warnings: list = field(default_factory=list)
    feature: bool = False
    name: str = ""

    @property
    def where(self):
        """Where the row is, for a person reading the report: « ligne 12 », « objet n° 3 « Café » »."""
        if not self.feature:
            return _("ligne %(line)s") % {"line": self.line}
        if self.name:
            return _("objet n° %(index)s « %(name)s »") % {"index": self.line, "name": self.name}
        return _("objet n° %(index)s") % {"index": self.line}


# -- files ------------------------------------------------------------------------------


def decode(data, name=None):
    """The text of a file: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's « Texte
    Unicode »), else Windows-1252 (a CSV saved by Excel in French); refused otherwise."""
    name = name or _("le fichier")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ImportFileError(
            _("%(name)s n'est pas un fichier texte lisible ; %(fix)s") % {"name": name, "fix": EXCEL_FIX}
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("%(name)s n'est pas un fichier texte lisible ; %(fix)s") % {"name": name, "fix": EXCEL_FIX}
            ) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("%(name)s n'est ni en UTF-8 ni en Windows-1252 ; %(fix)s") % {"name": name, "fix": EXCEL_FIX}
        ) from error


def read_file(path):
    """``(source, rows)`` for the file at ``path``; raises ImportFileError when unreadable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(
            _("impossible de lire %(path)s : %(error)s") % {"path": path, "error": error.strerror or error}
        ) from error
    text = decode(data, path.name)
    if path.suffix.lower() in (".geojson", ".json", ".umap") or text.lstrip().startswith("{"):
        return read_geojson(text, default_source=f"geojson:{path.stem}"[:40])
    return read_csv(text)


# -- GeoJSON, uMap, OpenStreetMap ---------------------------------------------------------


def _load_json(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            _("JSON invalide (ligne %(line)s) : %(error)s") % {"line": error.lineno, "error": error.msg}
        ) from error
    except RecursionError as error:
        raise ImportFileError(_("JSON trop imbriqué")) from error
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        raise ImportFileError(_("JSON invalide : %(error)s") % {"error": error}) from error


def _features(data):
    """``(features, umap)`` of a FeatureCollection, a single Feature or a uMap backup."""
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "Feature":
        return [data], False
    if kind == "umap":  # uMap's full backup: one FeatureCollection per layer
        layers = data.get("layers")
        if not isinstance(layers, list):
            raise ImportFileError(_("une sauvegarde uMap doit avoir une liste « layers »"))
        features = []
        for layer in layers:
            if not (isinstance(layer, dict) and isinstance(layer.get("features"), list)):
                raise ImportFileError(_("un calque uMap doit être une FeatureCollection"))
            features.extend(layer["features"])
        return features, True
    if kind != "FeatureCollection":
        raise ImportFileError(_("ni une FeatureCollection GeoJSON, ni un Feature, ni une carte uMap"))
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportFileError(_("une FeatureCollection doit avoir une liste « features »"))
    umap = "_umap_options" in data or any(
        isinstance(feature, dict)
        and isinstance(feature.get("properties"), dict)
        and "_umap_options" in feature["properties"]
        for feature in features
    )
    return features, umap


def _is_osm(features):
    """True for an OpenStreetMap export: its features are named ``node/123``, ``way/45``…"""
    for feature in features:
        if isinstance(feature, dict):
            props = feature.get("properties")
            osm_id = feature.get("id") or (props.get("@id") if isinstance(props, dict) else None)
            if OSM_ID.match(str(osm_id or "")):
                return True
    return False


def _feature_name(feature):
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        return ""
    names = {_key(key): value for key, value in props.items() if isinstance(key, str)}
    for alias in PROPERTY_ALIASES["name"]:
        if isinstance(names.get(alias), str):
            return " ".join(names[alias].split())[:80]
    return ""


def read_geojson(text, default_source="geojson"):
    data = _load_json(text)
    features, umap = _features(data)
    own = (
        isinstance(data.get("licence"), dict)
        and data["licence"].get("attribution") == "Compagnie des Tiers-lieux"
    )
    source = OWN_SOURCE if own else OSM_SOURCE if _is_osm(features) else default_source
    rows = []
    for number, feature in enumerate(features, start=1):
        row = Row(line=number, feature=True, name=_feature_name(feature))
        try:
            row.record = geojson_record(feature, source, row.warnings, umap=umap)
        except RowError as error:
            row.error = str(error)
        rows.append(row)
    return source, rows


# -- CSV ---------------------------------------------------------------------------------

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


def _csv_kind(header):
    keys = {_key(name) for name in header if name}
    if "NOM_TL" in header and "INSEECOM" in header:
        return CENSUS_SOURCE, census_record
    if "name" in header and "insee_code" in header:
        return OWN_SOURCE, own_csv_record
    if keys & set(PROPERTY_ALIASES["name"]):
        return "csv", csv_record
    raise ImportFileError(
        _(
            "colonnes CSV inconnues (%(columns)s) : il faut le recensement ANCT (NOM_TL, INSEECOM…), "
            "notre export ou au moins une colonne « nom » ou « name »"
        )
        % {"columns": ", ".join(name for name in header[:8] if name) or "—"}
    )


def read_csv(text):
    # RFC 4180 quoting (a quote inside a cell is doubled), as every spreadsheet writes it.
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise ImportFileError(_("CSV mal formé à la ligne 1 : %(error)s") % {"error": error}) from error
    source, convert = _csv_kind(header)
    rows = []
    try:
        for row_dict in reader:
            row = Row(line=reader.line_num)
            try:
                if None in row_dict:
                    raise RowError(_("plus de cellules que de colonnes"))
                row.record = convert(row_dict, source, row.warnings)
            except RowError as error:
                row.error = str(error)
            rows.append(row)
    except csv.Error as error:
        raise ImportFileError(
            _("CSV mal formé vers la ligne %(line)s : %(error)s") % {"line": reader.line_num, "error": error}
        ) from error
    return source, rows
