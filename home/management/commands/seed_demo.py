from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from network.demo_data import DemoDataError, display_path, read

# Each app contributes its demo content: data files in <app>/demo/, loaded by
# <app>/demo/__init__.py through the app's services. Order matters (venues need
# pages and accounts, events need venues...). Every step is idempotent.
DEMO_STEPS = [
    "home.demo.seed_pages",
    "home.demo.seed_translations",
    "members.demo.seed_accounts",
    "members.demo.seed_venues",
    "network.discussion.demo.seed_rooms",
    "mentoring.demo.seed_mentoring",
    "events.demo.seed_events",
]


def demo_files():
    """``{path: tables}`` of every demo data file, from the modules of ``DEMO_STEPS``."""
    files = {}
    for step in DEMO_STEPS:
        files.update(import_string(step.rpartition(".")[0] + ".FILES"))
    return files


class Command(BaseCommand):
    help = "Create the demo page tree, accounts and content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even under production settings.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the demo data files (<app>/demo/*.toml); write nothing.",
        )

    def handle(self, *args, force=False, check=False, **options):
        if check:
            return self._check()
        if settings.IS_PRODUCTION and not force:
            raise CommandError(
                "seed_demo refuses to run under production settings; pass --force if you mean it."
            )
        self.stdout.write("Demo content:")
        try:
            with transaction.atomic():
                for step in DEMO_STEPS:
                    import_string(step)(self.stdout)
        except DemoDataError as error:
            raise CommandError(f"Demo data: {error}") from None
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))

    def _check(self):
        for path, tables in demo_files().items():
            try:
                rows = read(path, *tables)
            except DemoDataError as error:
                raise CommandError(str(error)) from None
            counts = [f"{len(value)} {name}" for name, value in rows.items() if isinstance(value, list)]
            self.stdout.write(f"{display_path(path)}: {', '.join(counts)}")
        self.stdout.write(self.style.SUCCESS("The demo data files are valid."))
