"""Open-data formats of the directory: GeoJSON and CSV exports.

Both list the published venues matching the directory's query string, under
the Licence Ouverte 2.0 (docs/data.md).
"""

import csv
import io

from network.geo import point_feature

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


def venue_record(venue, request=None):
    """The flat, public description of one venue (from a ``for_listing()`` queryset)."""
    position = venue.position
    commune = venue.commune
    return {
        "id": venue.pk,
        "name": venue.title,
        "url": venue.get_full_url(request),
        "summary": venue.summary,
        "main_activity": venue.main_activity,
        "activities": venue.activities,
        "tags": [tag.name for tag in venue.tags.all()],
        "address": venue.street_address,
        "commune": commune.name if commune else "",
        "insee_code": commune.insee_code if commune else "",
        "latitude": position[0] if position else None,
        "longitude": position[1] if position else None,
        "position_approximate": venue.position_is_approximate,
        "surface_m2": venue.surface_m2,
        "capacity": venue.capacity,
        "in_qpv": venue.in_qpv,
        "step_free_access": venue.step_free_access,
        "offers_mentoring": venue.offers_mentoring,
        "is_free": venue.is_free,
        "solidarity_pricing": venue.solidarity_pricing,
        "website": venue.website,
        "email": venue.email,
        "phone": venue.phone,
        "last_checked": venue.last_checked.isoformat() if venue.last_checked else None,
    }


def venues_geojson(venues, request=None):
    """A FeatureCollection; a venue with no known position gets a ``null`` geometry (RFC 7946 §3.2)."""
    features = []
    for venue in venues:
        record = venue_record(venue, request)
        lat, lng = record.pop("latitude"), record.pop("longitude")
        if lat is None or lng is None:
            features.append({"type": "Feature", "geometry": None, "properties": record})
        else:
            features.append(point_feature(lng, lat, record))
    return {
        "type": "FeatureCollection",
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL, "attribution": ATTRIBUTION},
        "features": features,
    }


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return TAG_SEPARATOR.join(str(item) for item in value)
    return value


def venues_csv(venues, request=None):
    """UTF-8 CSV text with a header row (``CSV_COLUMNS``); lists joined by ``"; "``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for venue in venues:
        record = venue_record(venue, request)
        record["activities"] = " ".join(record["activities"])
        writer.writerow({key: _csv_value(value) for key, value in record.items()})
    return out.getvalue()


def licence_link_header():
    return f'<{LICENCE_URL}>; rel="license"'
