"""Open-data formats of the directory: GeoJSON and CSV exports.

Both list the published venues matching the directory's query string, under
the Licence Ouverte 2.0 (docs/data.md). The CSV comes in two formats
(``CSV_FORMATS``: plain RFC 4180, or for Excel in French), its text cells
guarded against formulas (``network.spreadsheet``); ``members.importer``
reads both back exactly.
"""

import csv
import functools
import io
from dataclasses import dataclass

from members.vocabulary import activity_codes
from network.geo import point_feature
from network.spreadsheet import spreadsheet_safe

LICENCE_NAME = "Licence Ouverte / Open Licence 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
ATTRIBUTION = "Compagnie des Tiers-lieux"

CSV_COLUMNS = [
    "id",
    "name",
    "url",
    "summary",
    "main_activity",
    "activities",
    "tags",
    "address",
    "commune",
    "insee_code",
    "latitude",
    "longitude",
    "position_approximate",
    "surface_m2",
    "capacity",
    "in_qpv",
    "step_free_access",
    "offers_mentoring",
    "is_free",
    "solidarity_pricing",
    "website",
    "email",
    "phone",
    "last_checked",
]
TAG_SEPARATOR = "; "


# What the exports read, as ``values()``: no model instance per venue.
_FIELDS = (
    "id",
    "title",
    "url_path",
    "summary",
    "main_activity",
    "secondary_activities",
    "street_address",
    "latitude",
    "longitude",
    "surface_m2",
    "capacity",
    "in_qpv",
    "step_free_access",
    "offers_mentoring",
    "is_free",
    "solidarity_pricing",
    "website",
    "email",
    "phone",
    "last_checked",
    "commune__name",
    "commune__insee_code",
    "commune__latitude",
    "commune__longitude",
)


def venue_records(venues, url_of):
    """The flat, public description of each venue of ``venues`` (a VenuePage queryset).

    Two queries whatever the number of venues: the rows, then their tags.
    ``url_of`` gives a venue's absolute URL from its ``url_path``.
    """
    return _records(list(venues.values(*_FIELDS)), url_of)


def venue_records_by_id(ids, url_of):
    """``venue_records`` of the venues ``ids`` (published or not: the caller has checked), in
    no particular order; their ``values()`` queryset is built once per process (resolving
    its columns cost a third of the query) and filtered by id."""
    return _records(list(_rows().filter(pk__in=ids)), url_of)


@functools.cache
def _rows():
    from members.models import VenuePage

    return VenuePage.objects.order_by().values(*_FIELDS)


def _records(rows, url_of):
    from members.models import VenueTag

    tags = VenueTag.objects.by_venue([row["id"] for row in rows])
    records = []
    for row in rows:
        # As VenuePage.position: the venue's own position, else its commune's, else none.
        own = row["latitude"] is not None and row["longitude"] is not None
        prefix = "" if own else "commune__"
        lat, lng = row[f"{prefix}latitude"], row[f"{prefix}longitude"]
        if lat is None or lng is None:
            lat = lng = None
        last_checked = row["last_checked"]
        records.append(
            {
                "id": row["id"],
                "name": row["title"],
                "url": url_of(row["url_path"]),
                "summary": row["summary"],
                "main_activity": row["main_activity"],
                "activities": activity_codes(row["main_activity"], row["secondary_activities"]),
                "tags": [name for _slug, name in tags[row["id"]]],
                "address": row["street_address"],
                "commune": row["commune__name"] or "",
                "insee_code": row["commune__insee_code"] or "",
                "latitude": lat,
                "longitude": lng,
                "position_approximate": not own,
                "surface_m2": row["surface_m2"],
                "capacity": row["capacity"],
                "in_qpv": row["in_qpv"],
                "step_free_access": row["step_free_access"],
                "offers_mentoring": row["offers_mentoring"],
                "is_free": row["is_free"],
                "solidarity_pricing": row["solidarity_pricing"],
                "website": row["website"],
                "email": row["email"],
                "phone": row["phone"],
                "last_checked": last_checked.isoformat() if last_checked else None,
            }
        )
    return records


def venues_geojson(venues, url_of):
    """A FeatureCollection; each feature's ``id`` is the venue's (the page id, as in its properties).

    A venue with no known position gets a ``null`` geometry (RFC 7946 §3.2).
    """
    return geojson_of(venue_records(venues, url_of))


def geojson_of(records):
    """``venue_records`` as a FeatureCollection (``venues_geojson``)."""
    features = []
    for record in records:
        lat, lng = record.pop("latitude"), record.pop("longitude")
        if lat is None:
            features.append({"type": "Feature", "id": record["id"], "geometry": None, "properties": record})
        else:
            features.append(point_feature(lng, lat, record, feature_id=record["id"]))
    return {
        "type": "FeatureCollection",
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL, "attribution": ATTRIBUTION},
        "features": features,
    }


@dataclass(frozen=True)
class CsvFormat:
    """How a CSV export is written: plain RFC 4180 UTF-8, or what French Excel opens as is."""

    delimiter: str
    decimal_comma: bool
    byte_order_mark: bool
    disposition: str


CSV_FORMATS = {
    # RFC 4180, which every CSV reader (pandas, csvkit, LibreOffice) takes as is.
    "csv": CsvFormat(",", decimal_comma=False, byte_order_mark=False, disposition="inline"),
    # Excel in French takes ";" for the separator and "," for the decimal point
    # (it reads "3.06" as a date), and UTF-8 only after a byte-order mark.
    "excel": CsvFormat(";", decimal_comma=True, byte_order_mark=True, disposition="attachment"),
}
# RFC 4180's CRLF. Not "\n" alone: the csv module quotes a cell only for the characters of
# the line ending, and a cell holding a bare CR, left unquoted, would split its row.
CSV_LINE_END = "\r\n"
DEFAULT_CSV_FORMAT = "csv"


def _csv_value(value, csv_format):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        value = TAG_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, float) and csv_format.decimal_comma:
        return repr(value).replace(".", ",")
    return spreadsheet_safe(value)  # no cell starts a formula (network/spreadsheet.py)


def venues_csv(venues, url_of, csv_format=CSV_FORMATS[DEFAULT_CSV_FORMAT]):
    """CSV text with a header row (``CSV_COLUMNS``); lists joined by ``"; "``.

    ``csv_format``: one of ``CSV_FORMATS``. Text cells that a spreadsheet
    would run as a formula are prefixed with ``'`` (``spreadsheet_safe``);
    ``members.importer`` removes that prefix when it reads the file back.
    """
    out = io.StringIO()
    if csv_format.byte_order_mark:
        out.write("\ufeff")
    writer = csv.DictWriter(
        out,
        fieldnames=CSV_COLUMNS,
        extrasaction="ignore",
        delimiter=csv_format.delimiter,
        lineterminator=CSV_LINE_END,
    )
    writer.writeheader()
    for record in venue_records(venues, url_of):
        record["activities"] = " ".join(record["activities"])
        writer.writerow({key: _csv_value(value, csv_format) for key, value in record.items()})
    return out.getvalue()


def licence_link_header():
    return f'<{LICENCE_URL}>; rel="license"'
