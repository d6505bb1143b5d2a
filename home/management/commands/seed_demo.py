from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home.demo import seed_pages
from members.demo import seed_accounts


class Command(BaseCommand):
    help = "Create the demo page tree and accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even under production settings.",
        )

    def handle(self, *args, force=False, **options):
        if settings.SETTINGS_MODULE.endswith(".production") and not force:
            raise CommandError(
                "seed_demo refuses to run under production settings; pass --force if you mean it."
            )
        with transaction.atomic():
            self.stdout.write("Demo content:")
            seed_pages(self.stdout)
            seed_accounts(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
