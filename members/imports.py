"""The plan of a venue file as rows a person reads: the admin preview, the report, its CSV.

``plan_file`` reads a file and compares it with the venues of the site (no
write); ``preview_rows`` turns the plan into one row per line of the file;
``report_csv`` writes the report of a finished import.
"""

import csv
import io
import tempfile
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from members.importer import plan_import, read_file
from network.spreadsheet import spreadsheet_safe

ACTIONS = {
    "create": _("créer"),
    "update": _("mettre à jour"),
    "merge": _("fusion proposée"),
    "unchanged": _("inchangé"),
    "skip": _("ignorée"),
}
OUTCOMES = {
    "created": _("créé (brouillon)"),
    "published": _("publié"),
    "draft": _("brouillon à relire : le lieu a des modifications non publiées"),
    "merged": _("fusionné"),
    "failed": _("échec"),
    "not_selected": _("non retenue"),
    "unchanged": _("inchangé"),
    "skipped": _("ignorée"),
}
MAX_VALUE = 80


def plan_file(path):
    """``(source, plan)`` of the file at ``path`` against the site's venues; raises ImportFileError."""
    from members.models import Commune, VenuePage

    source, rows = read_file(path)
    communes = {commune.insee_code: commune for commune in Commune.objects.all()}
    venues = list(VenuePage.objects.all().for_listing())
    return source, plan_import(rows, venues, communes)


def _with_file(data, filename, function):
    suffix = Path(filename).suffix.lower()[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(bytes(data))
        handle.flush()
        return function(handle.name)


def plan_data(data, filename):
    """``plan_file`` for a file held in memory (an upload, a ``VenueImport``)."""
    return _with_file(data, filename, plan_file)


def read_data(data, filename):
    """``read_file`` for a file held in memory: raises ImportFileError when unreadable."""
    return _with_file(data, filename, read_file)


def _value(value):
    if hasattr(value, "name"):  # a commune
        value = value.name
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    text = str(value)
    return text if len(text) <= MAX_VALUE else f"{text[: MAX_VALUE - 1]}…"


def _fields(changes):
    return "; ".join(f"{name} : {_value(value)}" for name, value in sorted(changes.items()))


def preview_rows(plan):
    """One dict per line of the file, in file order: what the import would do with it.

    ``selectable`` rows can be ticked; ``ticked`` says whether they are by
    default (a merge proposal waits for a person's yes).
    """
    rows = []
    for row, fields in plan.creates:
        commune = fields["commune"].name
        rows.append(_row(row, "create", fields["title"], commune, "", ticked=True))
    for row, venue, changes in plan.updates:
        rows.append(_row(row, "update", venue.title, "", _fields(changes), ticked=True))
    for row, target, gaps, reason in plan.merges:
        where = _("même adresse") if reason == "address" else _("à moins de 50 m")
        if isinstance(target, int):
            other = _("la ligne %(line)s") % {"line": target}
        else:
            other = f"« {target.title} »"
        detail = _("même lieu que %(other)s (%(where)s)") % {"other": other, "where": where}
        if gaps:
            detail = f"{detail} ; {_('complète')} {_fields(gaps)}"
        rows.append(_row(row, "merge", row.record["title"], "", detail, ticked=False))
    for row, venue in plan.unchanged:
        rows.append(_row(row, "unchanged", venue.title, "", "", selectable=False))
    for row, reason in plan.skips:
        title = (row.record or {}).get("title", "")
        rows.append(_row(row, "skip", title, "", reason, selectable=False))
    return sorted(rows, key=lambda item: item["line"])


def _row(row, action, title, commune, detail, *, ticked=False, selectable=True):
    return {
        "line": row.line,
        "where": str(row.where),
        "action": action,
        "action_label": str(ACTIONS[action]),
        "title": title,
        "commune": commune,
        "detail": str(detail),
        "warnings": list(row.warnings),
        "selectable": selectable,
        "ticked": ticked and selectable,
    }


def build_report(plan, lines, outcomes):
    """The report of an import: every line of the file, with what was done to it."""
    done = {outcome.line: outcome for outcome in outcomes}
    report = []
    for item in preview_rows(plan):
        outcome = done.get(item["line"])
        if outcome is not None:
            result = outcome.outcome
            detail = outcome.detail if result == "failed" else item["detail"]
        elif not item["selectable"]:
            result, detail = ("unchanged" if item["action"] == "unchanged" else "skipped"), item["detail"]
        else:
            result, detail = "not_selected", item["detail"]
        report.append(
            {
                "line": item["line"],
                "where": item["where"],
                "action": item["action"],
                "title": item["title"],
                "outcome": result,
                "detail": detail,
                "warnings": item["warnings"],
            }
        )
    return report


def report_csv(report):
    """The report as CSV text (cells guarded against formulas)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("ligne"),
            _("action"),
            _("lieu"),
            _("résultat"),
            _("détail"),
            _("avertissements"),
            _("emplacement"),
        ]
    )
    for item in report:
        writer.writerow(
            [
                item["line"],
                spreadsheet_safe(str(ACTIONS.get(item["action"], item["action"]))),
                spreadsheet_safe(item["title"]),
                spreadsheet_safe(str(OUTCOMES.get(item["outcome"], item["outcome"]))),
                spreadsheet_safe(item["detail"]),
                spreadsheet_safe(" | ".join(item["warnings"])),
                spreadsheet_safe(str(item.get("where", item["line"]))),
            ]
        )
    return out.getvalue()
