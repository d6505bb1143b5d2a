"""Planning a venue import for ``manage.py import_venues``.

Files are read by ``members.import_formats`` (re-exported here); nothing here
writes to the database: ``plan_import`` compares records with the existing
venues and ``members.services.import_venues`` applies the plan.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from members.import_formats import (  # noqa: F401 (the importer's public API)
    CENSUS_SOURCE,
    OWN_SOURCE,
    ImportFileError,
    Row,
    RowError,
    pretty_name,
    read_csv,
    read_file,
    read_geojson,
)
from members.import_geography import commune_names, locator, resolve_commune
from members.import_matching import DuplicateIndex

# Fields an import may set; a record only carries those its source knows.
IMPORTED_FIELDS = (
    "title",
    "summary",
    "description",
    "main_activity",
    "secondary_activities",
    "street_address",
    "commune",
    "latitude",
    "longitude",
    "surface_m2",
    "capacity",
    "website",
    "email",
    "phone",
    "social_links",
    "in_qpv",
    "step_free_access",
    "is_free",
    "solidarity_pricing",
    "last_checked",
)


# -- planning ---------------------------------------------------------------------------


@dataclass
class Plan:
    creates: list = field(default_factory=list)  # (row, fields)
    updates: list = field(default_factory=list)  # (row, venue, changed fields)
    unchanged: list = field(default_factory=list)  # (row, venue)
    skips: list = field(default_factory=list)  # (row, reason)
    # (row, venue or line of an earlier row, fields it would fill in, why they match)
    merges: list = field(default_factory=list)


# Values a source only knows coarsely: the census has two typologies, so its
# "main activity" never replaces one a person chose (anything but "autre").
COARSE_FIELDS = {CENSUS_SOURCE: {"main_activity": "autre"}}
# Fields the importer never writes: other apps own them (mentoring sets offers_mentoring).
RECORD_KEYS = {*IMPORTED_FIELDS, "source", "source_id", "tags"}


def plan_import(rows, venues, communes):
    """Compare ``rows`` with existing ``venues``: what to create, update, merge, leave, or skip and why.

    A row is the venue of the same source id, or of the same name in the same
    commune; failing that, a venue (existing, or created by an earlier row) of
    a similar name at the same address or within 50 m makes it a merge
    proposal rather than a second venue.
    """
    by_name = commune_names(communes)
    locate = locator(row.record for row in rows if not row.error)
    by_source = {(v.source, v.source_id): v for v in venues if v.source and v.source_id}
    by_title = {(v.title.lower(), v.commune_id): v for v in venues}
    duplicates = DuplicateIndex()
    for venue in venues:
        duplicates.add(
            venue,
            title=venue.title,
            street_address=venue.street_address,
            commune_id=venue.commune_id,
            latitude=venue.latitude,
            longitude=venue.longitude,
        )
    plan = Plan()
    seen = {}
    created = {}  # line -> record of the rows to create, for merges within the file
    for row in rows:
        if row.error:
            plan.skips.append((row, row.error))
            continue
        record = dict(row.record)
        try:
            commune = resolve_commune(record, communes, by_name, row.warnings, locate)
        except RowError as error:
            plan.skips.append((row, str(error)))
            continue
        record = {key: value for key, value in record.items() if key in RECORD_KEYS}
        record.setdefault("source_id", "")
        record["commune"] = commune
        source_key = (record["source"], record["source_id"]) if record["source_id"] else None
        title_key = (record["title"].lower(), commune.pk)
        duplicate_of = seen.get(source_key) or seen.get(title_key)
        if duplicate_of:
            plan.skips.append((row, _duplicate_message(duplicate_of)))
            continue
        for key in (source_key, title_key):
            if key:
                seen[key] = row
        venue = by_source.get(source_key) or by_title.get(title_key)
        if venue is not None:
            changes = _changes(venue, record)
            if changes:
                plan.updates.append((row, venue, changes))
            else:
                plan.unchanged.append((row, venue))
            continue
        place = {
            "title": record["title"],
            "street_address": record.get("street_address", ""),
            "commune_id": commune.pk,
            "latitude": record.get("latitude"),
            "longitude": record.get("longitude"),
        }
        target, reason = duplicates.find(**place)
        if target is None:
            plan.creates.append((row, record))
            created[row.line] = record
            duplicates.add(row.line, **place)
        elif isinstance(target, int):
            earlier = created[target]
            gaps = {
                name: value
                for name, value in record.items()
                if name in IMPORTED_FIELDS
                and name not in ("title", "commune")
                and value not in ("", None, [])
                and earlier.get(name) in ("", None, [])
            }
            plan.merges.append((row, target, gaps, reason))
        else:
            plan.merges.append((row, target, _gaps(target, record), reason))
    return plan


def _duplicate_message(first):
    if first.feature:
        return _("doublon de l'objet n° %(index)s") % {"index": first.line}
    return _("doublon de la ligne %(line)s") % {"line": first.line}


def _gaps(venue, record):
    """What a row merged into ``venue`` adds: only the fields the venue leaves empty."""
    return {
        name: value
        for name, value in _changes(venue, record).items()
        if name not in ("title", "commune")
        and (not venue.tag_names if name == "tags" else getattr(venue, name, None) in ("", None, []))
    }


def _changes(venue, record):
    changes = {}
    coarse = COARSE_FIELDS.get(record.get("source"), {})
    for name in IMPORTED_FIELDS:
        if name not in record:
            continue
        value = record[name]
        current = getattr(venue, name)
        if name in coarse and current not in ("", coarse[name]):
            continue  # a person chose a finer value than the source knows
        if name == "commune":
            if venue.commune_id != value.pk:
                changes[name] = value
        elif name in ("latitude", "longitude"):
            if current is None or abs(current - value) > 1e-6:
                changes[name] = value
        elif value in ("", None, []):
            continue  # an empty cell never erases what the venue already says
        elif current != value:
            changes[name] = value
    if "tags" in record and sorted(record["tags"]) != sorted(venue.tag_names):
        changes["tags"] = record["tags"]
    return changes
