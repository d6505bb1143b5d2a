from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from members.importer import ImportFileError, plan_import, read_file
from members.models import Commune, VenueIndexPage, VenuePage
from members.services import import_venues


class Command(BaseCommand):
    help = (
        "Import venues from a CSV (ANCT 2019 census, our /lieux/lieux.csv, any with a nom/name column) "
        "or a GeoJSON (our export, uMap export or backup, OpenStreetMap). Dry run unless --commit. "
        "Messages in French (LANGUAGE_CODE) unless --language says otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="Write the changes (default: dry run).")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the new venues (default: drafts for review)."
        )
        parser.add_argument(
            "--merge",
            action="store_true",
            help="Apply the merge proposals: fill in the empty fields of the similar venue nearby.",
        )
        parser.add_argument("--quiet-rows", action="store_true", help="Only print the totals.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help=f"Language of the messages (default: the active one, {settings.LANGUAGE_CODE}).",
        )

    def handle(self, *args, language=None, **options):
        with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
            self._import(**options)

    def _import(self, *, file, commit=False, publish=False, merge=False, quiet_rows=False, **options):
        try:
            source, rows = read_file(file)
        except ImportFileError as error:
            raise CommandError(_("Rien n'est importé : %(error)s") % {"error": error}) from error
        communes = {commune.insee_code: commune for commune in Commune.objects.all()}
        venues = list(VenuePage.objects.all().for_listing())
        plan = plan_import(rows, venues, communes)
        outcomes = []
        if commit and plan.creates and not VenueIndexPage.objects.exists():
            raise CommandError(
                _(
                    "Rien n'est importé : il n'y a pas de page d'annuaire des lieux pour recevoir les "
                    "nouveaux lieux. Créez la page « Les lieux » (page d'index des lieux) sous la page "
                    "d'accueil dans l'administration, ou lancez `manage.py seed_demo` sur un site de "
                    "démonstration."
                )
            )
        if commit:
            outcomes = import_venues(plan, by=None, publish=publish, merge=merge, progress=self._progress)
        failures = [(outcome.line, outcome.detail) for outcome in outcomes if outcome.outcome == "failed"]
        drafts = [
            outcome for outcome in outcomes if outcome.action != "create" and outcome.outcome == "draft"
        ]
        self._report(source, plan, failures, drafts, commit, quiet_rows)

    def _progress(self, done, total):
        if total < 10:
            return
        width = 30
        filled = width * done // total
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if done == total:
            self.stderr.write("")
        if hasattr(self.stderr, "flush"):
            self.stderr.flush()

    def _report(self, source, plan, failures, drafts, commit, quiet_rows):
        failed_lines = {line for line, _reason in failures}
        out = self.stdout
        mode = _("IMPORT") if commit else _("SIMULATION (rien n'est écrit ; ajoutez --commit)")
        out.write(_("%(mode)s - source : %(source)s") % {"mode": mode, "source": source})
        if not quiet_rows:
            self._rows(plan, failures, drafts, failed_lines)
        created = len(plan.creates) - sum(1 for row, _fields in plan.creates if row.line in failed_lines)
        updated = len(plan.updates) - sum(1 for row, *_rest in plan.updates if row.line in failed_lines)
        out.write(
            _(
                "créés : %(created)s, mis à jour : %(updated)s, inchangés : %(unchanged)s, "
                "ignorés : %(skipped)s, fusions proposées : %(merges)s"
            )
            % {
                "created": created,
                "updated": updated,
                "unchanged": len(plan.unchanged),
                "skipped": len(plan.skips) + len(failures),
                "merges": len(plan.merges),
            }
        )

    def _rows(self, plan, failures, drafts, failed_lines):
        write = self._row_writer
        where = _places(plan)
        for row, record in plan.creates:
            if row.line not in failed_lines:
                write(
                    _("%(where)s : créer « %(title)s » (%(commune)s)")
                    % {"where": row.where, "title": record["title"], "commune": record["commune"].name}
                )
                self._warnings(row)
        for row, venue, changes in plan.updates:
            if row.line not in failed_lines:
                write(
                    _("%(where)s : mettre à jour « %(title)s » : %(fields)s")
                    % {"where": row.where, "title": venue.title, "fields": ", ".join(sorted(changes))}
                )
                self._warnings(row)
        for row, target, gaps, reason in plan.merges:
            other = where(target) if isinstance(target, int) else f"« {target.title} »"
            message = _("%(where)s : fusion proposée : « %(title)s » est %(other)s (%(reason)s)") % {
                "where": row.where,
                "title": row.record["title"],
                "other": other,
                "reason": _("même adresse") if reason == "address" else _("à moins de 50 m"),
            }
            if gaps:
                message += _(" ; compléterait : %(fields)s") % {"fields": ", ".join(sorted(gaps))}
            write(message)
        for outcome in drafts:
            write(
                _(
                    "%(where)s : « %(title)s » a des modifications non publiées : l'import est "
                    "enregistré comme brouillon à relire, sans être publié"
                )
                % {"where": where(outcome.line), "title": outcome.title}
            )
        for row, venue in plan.unchanged:
            write(_("%(where)s : inchangé « %(title)s »") % {"where": row.where, "title": venue.title})
        for row, reason in plan.skips:
            write(_("%(where)s : ignorée : %(reason)s") % {"where": row.where, "reason": reason})
        for line, reason in failures:
            write(_("%(where)s : échec : %(reason)s") % {"where": where(line), "reason": reason})

    def _row_writer(self, text):
        self.stdout.write(f"  {text}")

    def _warnings(self, row):
        for warning in row.warnings:
            self.stdout.write("      " + _("avertissement : %(warning)s") % {"warning": warning})


def _places(plan):
    """``where(line)``: how the report names the row at ``line`` (« ligne 3 », « objet n° 3 « Café » »)."""
    steps = [*plan.creates, *plan.updates, *plan.merges, *plan.unchanged, *plan.skips]
    rows = {row.line: row for row, *_rest in steps}

    def where(line):
        row = rows.get(line)
        return row.where if row else _("ligne %(line)s") % {"line": line}

    return where
