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
from members.import_geography import commune_names, resolve_commune

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
    "offers_mentoring",
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


def _find_commune(record, communes, by_name, warnings):
    return resolve_commune(record, communes, by_name, warnings)


def plan_import(rows, venues, communes):
    """Compare ``rows`` with existing ``venues``: what to create, update, leave, or skip and why."""
    by_name = commune_names(communes)
    by_source = {(v.source, v.source_id): v for v in venues if v.source and v.source_id}
    by_title = {(v.title.lower(), v.commune_id): v for v in venues}
    plan = Plan()
    seen = {}
    for row in rows:
        if row.error:
            plan.skips.append((row, row.error))
            continue
        record = dict(row.record)
        try:
            commune = _find_commune(record, communes, by_name, row.warnings)
        except RowError as error:
            plan.skips.append((row, str(error)))
            continue
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
        if venue is None:
            plan.creates.append((row, record))
            continue
        changes = _changes(venue, record)
        if changes:
            plan.updates.append((row, venue, changes))
        else:
            plan.unchanged.append((row, venue))
    return plan


def _duplicate_message(first):
    if first.feature:
        return _("doublon de l'objet n° %(index)s") % {"index": first.line}
    return _("doublon de la ligne %(line)s") % {"line": first.line}


def _changes(venue, record):
    changes = {}
    for name in IMPORTED_FIELDS:
        if name not in record:
            continue
        value = record[name]
        current = getattr(venue, name)
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
