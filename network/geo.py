"""Network-wide geographic helpers (plain functions; import no app)."""

import math

EARTH_RADIUS_KM = 6371.0088

# A generous box around the Métropole Européenne de Lille: positions outside
# it are almost certainly a geocoding mistake.
MEL_BOUNDS = {"south": 50.45, "north": 50.85, "west": 2.75, "east": 3.35}
MEL_CENTRE = (50.6292, 3.0573)


def is_valid_position(latitude, longitude):
    """True when both values are finite WGS84 coordinates."""
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return False
    return math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180


def in_bounds(latitude, longitude, bounds=None):
    bounds = bounds or MEL_BOUNDS
    if not is_valid_position(latitude, longitude):
        return False
    return bounds["south"] <= latitude <= bounds["north"] and bounds["west"] <= longitude <= bounds["east"]


def distance_km(a, b):
    """Great-circle (haversine) distance between two ``(lat, lng)`` points, in km."""
    lat1, lng1 = map(math.radians, a)
    lat2, lng2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def parse_coordinate(value):
    """A float from ``value`` (accepts a decimal comma); ``None`` when empty or invalid."""
    if value is None:
        return None
    if isinstance(value, int | float):
        result = float(value)
    else:
        text = str(value).strip().replace(",", ".")
        if not text:
            return None
        try:
            result = float(text)
        except ValueError:
            return None
    return result if math.isfinite(result) else None


def point_feature(longitude, latitude, properties, feature_id=None):
    """A GeoJSON Point feature (RFC 7946: longitude first), with its ``id`` when given (§3.2)."""
    feature = {"type": "Feature"}
    if feature_id is not None:
        feature["id"] = feature_id
    feature["geometry"] = {"type": "Point", "coordinates": [round(longitude, 6), round(latitude, 6)]}
    feature["properties"] = properties
    return feature
