"""The outlines of the 95 MEL communes: which commune holds a point, and maps.

Read once from ``members/data/mel_communes_contours.geojson`` (IGN Admin
Express COG 2018 via france-geojson, Licence Ouverte). Plain functions on
INSEE codes and ``(latitude, longitude)`` pairs; no model is imported, so the
importer, the venue page, the directory map and the figures all ask the same
outlines.
"""

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import shapely
from shapely.geometry import Point, mapping, shape
from shapely.ops import nearest_points

from network.geo import distance_km

DATA = Path(__file__).parent / "data"
CONTOURS = DATA / "mel_communes_contours.geojson"
# Official names with their article (« La Madeleine »); the outlines' IGN names drop it.
NAMES = DATA / "mel_communes.csv"
LILLE = "59350"
# Associated communes of Lille (INSEE codes of the former communes, names people write).
ASSOCIATED_CODES = {"59355": LILLE, "59298": LILLE}  # Lomme, Hellemmes-Lille
ASSOCIATED_NAMES = {"lomme": LILLE, "hellemmes": LILLE, "hellemmes-lille": LILLE, "hellemmes lille": LILLE}
# The outlines are simplified to about a metre; a point this close (in degrees,
# about 40 m) to a commune's border may belong to it.
BORDER_TOLERANCE = 0.0005
# Simplification of the outlines drawn on maps (degrees, about 100 m).
MAP_TOLERANCE = 0.001


@dataclass(frozen=True)
class Outline:
    insee_code: str
    name: str
    geometry: object


@cache
def outlines():
    """``{insee_code: Outline}`` for the 95 communes."""
    data = json.loads(CONTOURS.read_text(encoding="utf-8"))
    with NAMES.open(encoding="utf-8", newline="") as names_file:
        names = {row["insee_code"]: row["name"] for row in csv.DictReader(names_file)}
    result = {}
    for feature in data["features"]:
        geometry = shape(feature["geometry"])
        shapely.prepare(geometry)
        props = feature["properties"]
        code = props["insee_code"]
        result[code] = Outline(code, names.get(code, props["name"]), geometry)
    return result


@cache
def _tree():
    codes = list(outlines())
    return codes, shapely.STRtree([outlines()[code].geometry for code in codes])


@cache
def metropole():
    """The outline of the whole Métropole (the union of its communes)."""
    geometry = shapely.union_all([outline.geometry for outline in outlines().values()])
    shapely.prepare(geometry)
    return geometry


def canonical_code(insee_code):
    """The INSEE code of the commune a code stands for: Lomme and Hellemmes are Lille."""
    code = (insee_code or "").strip()
    return ASSOCIATED_CODES.get(code, code)


def commune_at(latitude, longitude):
    """The INSEE code of the commune whose outline holds the point, or ``None`` outside the MEL.

    A point on no outline but within ``BORDER_TOLERANCE`` of one (the
    simplified borders leave slivers between communes) takes the nearest.
    """
    point = Point(longitude, latitude)
    codes, tree = _tree()
    inside = tree.query(point, predicate="within")
    if len(inside):
        return codes[inside[0]]
    nearest = tree.query_nearest(point, max_distance=BORDER_TOLERANCE)
    return codes[nearest[0]] if len(nearest) else None


def communes_at(points):
    """``{(latitude, longitude): insee_code or None}`` for many points at once, as ``commune_at``.

    One vectorised query of the outlines' tree for the whole list (an import
    of 15,000 rows), instead of one query per point.
    """
    points = list(dict.fromkeys(points))
    if not points:
        return {}
    codes, tree = _tree()
    geometries = shapely.points([(lng, lat) for lat, lng in points])
    found = {}
    point_index, outline_index = tree.query(geometries, predicate="within")
    for index, outline in zip(point_index.tolist(), outline_index.tolist(), strict=True):
        found.setdefault(index, codes[outline])
    rest = [index for index in range(len(points)) if index not in found]
    if rest:
        near_point, near_outline = tree.query_nearest(geometries[rest], max_distance=BORDER_TOLERANCE)
        for index, outline in zip(near_point.tolist(), near_outline.tolist(), strict=True):
            found.setdefault(rest[index], codes[outline])
    return {point: found.get(index) for index, point in enumerate(points)}


def is_near(insee_code, latitude, longitude, tolerance=BORDER_TOLERANCE):
    """True when the point lies in the commune's outline or within ``tolerance`` of it."""
    outline = outlines().get(insee_code)
    return outline is not None and outline.geometry.distance(Point(longitude, latitude)) <= tolerance


def nearest_commune(latitude, longitude):
    """``(insee_code, distance in km)`` of the commune nearest to a point outside them all."""
    point = Point(longitude, latitude)
    codes, tree = _tree()
    code = codes[tree.query_nearest(point)[0]]
    border, _point = nearest_points(outlines()[code].geometry, point)
    return code, distance_km((latitude, longitude), (border.y, border.x))


@cache
def outlines_geojson():
    """A FeatureCollection for maps: the Métropole (``kind: metropole``) then each commune, simplified."""
    features = [
        {
            "type": "Feature",
            "properties": {"kind": "metropole", "name": "Métropole Européenne de Lille"},
            "geometry": mapping(shapely.set_precision(metropole().simplify(MAP_TOLERANCE), 1e-5)),
        }
    ]
    for outline in outlines().values():
        features.append(
            {
                "type": "Feature",
                "id": outline.insee_code,
                "properties": {"kind": "commune", "insee_code": outline.insee_code, "name": outline.name},
                "geometry": mapping(shapely.set_precision(outline.geometry.simplify(MAP_TOLERANCE), 1e-5)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


@cache
def outlines_json():
    """``outlines_geojson()`` serialised once (about 60 KB)."""
    return json.dumps(outlines_geojson(), ensure_ascii=False, separators=(",", ":"))
