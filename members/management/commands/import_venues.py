from django.core.management.base import BaseCommand, CommandError

from members.importer import ImportFileError, plan_import, read_file
from members.models import Commune, VenueIndexPage, VenuePage
from members.services import import_venues


class Command(BaseCommand):
    help = (
        "Import venues from a CSV (ANCT 2019 census, our /lieux/lieux.csv, any with a nom/name column) "
        "or a GeoJSON (our export, uMap export or backup, OpenStreetMap). Dry run unless --commit."
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

    def handle(self, *args, file, commit=False, publish=False, merge=False, quiet_rows=False, **options):
        try:
            source, rows = read_file(file)
        except ImportFileError as error:
            raise CommandError(f"Nothing imported: {error}") from error
        communes = {commune.insee_code: commune for commune in Commune.objects.all()}
        venues = list(VenuePage.objects.all().for_listing())
        plan = plan_import(rows, venues, communes)
        outcomes = []
        if commit and plan.creates and not VenueIndexPage.objects.exists():
            raise CommandError(
                "Nothing imported: there is no venue directory page to hold new venues. Create the "
                "page « Les lieux » (Venue index page) under the home page in the admin, or run "
                "`manage.py seed_demo` on a demonstration site."
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
        mode = "IMPORT" if commit else "DRY RUN (nothing written; add --commit)"
        out.write(f"{mode} - source: {source}")
        if not quiet_rows:
            for row, record in plan.creates:
                if row.line not in failed_lines:
                    out.write(f"  {row.where}: create {record['title']!r} ({record['commune'].name})")
                    self._warnings(row)
            for row, venue, changes in plan.updates:
                if row.line not in failed_lines:
                    out.write(f"  {row.where}: update {venue.title!r}: {', '.join(sorted(changes))}")
                    self._warnings(row)
            for row, target, gaps, reason in plan.merges:
                other = f"line {target}" if isinstance(target, int) else repr(target.title)
                where = "same address" if reason == "address" else "within 50 m"
                filled = f"; would fill in: {', '.join(sorted(gaps))}" if gaps else ""
                out.write(
                    f"  {row.where}: merge proposal: {row.record['title']!r} is {other} ({where}){filled}"
                )
            for outcome in drafts:
                out.write(
                    f"  line {outcome.line}: {outcome.title!r} has unpublished changes: "
                    "the import is saved as a draft for review, not published"
                )
            for row, venue in plan.unchanged:
                out.write(f"  {row.where}: unchanged {venue.title!r}")
            for row, reason in plan.skips:
                out.write(f"  {row.where}: skipped: {reason}")
            for line, reason in failures:
                out.write(f"  line {line}: skipped: {reason}")
        created = len(plan.creates) - sum(1 for row, _ in plan.creates if row.line in failed_lines)
        updated = len(plan.updates) - sum(1 for row, *_ in plan.updates if row.line in failed_lines)
        skipped = len(plan.skips) + len(failures)
        out.write(
            f"created: {created}, updated: {updated}, unchanged: {len(plan.unchanged)}, skipped: {skipped}, "
            f"merge proposals: {len(plan.merges)}"
        )

    def _warnings(self, row):
        for warning in row.warnings:
            self.stdout.write(f"      warning: {warning}")
