"""Plan an import of a fixture file against the 95 communes, without writing anything."""

from pathlib import Path

from members.importer import plan_import, read_file
from members.models import Commune

DATA = Path(__file__).parent / "data"


def plan_of(path, venues=()):
    source, rows = read_file(path)
    communes = {commune.insee_code: commune for commune in Commune.objects.all()}
    return source, plan_import(rows, list(venues), communes)


def creates(plan):
    """``{title: (row, record)}`` of the rows the plan would create."""
    return {record["title"]: (row, record) for row, record in plan.creates}


def skips(plan):
    """``{row.where: reason}`` of the rows the plan skips."""
    return {row.where: reason for row, reason in plan.skips}
