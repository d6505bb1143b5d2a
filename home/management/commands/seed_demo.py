from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

# Each app contributes its demo content; order matters (venues need pages and
# accounts, events need venues...). Every step is idempotent.
DEMO_STEPS = [
    "home.demo.seed_pages",
    "members.demo.seed_accounts",
    "members.demo.seed_venues",
    "network.discussion.demo.seed_rooms",
    "mentoring.demo.seed_mentoring",
    "events.demo.seed_events",
    # English pages: translations of the content pages, English summaries of venues
    "home.demo_en.seed_english_pages",
    "members.demo_en.seed_english_summaries",
]


class Command(BaseCommand):
    help = "Create the demo page tree, accounts and content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even under production settings.",
        )

    def handle(self, *args, force=False, **options):
        if settings.IS_PRODUCTION and not force:
            raise CommandError(
                "seed_demo refuses to run under production settings; pass --force if you mean it."
            )
        self.stdout.write("Demo content:")
        with transaction.atomic():
            for step in DEMO_STEPS:
                import_string(step)(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
