from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.scale import seed_scale


class Command(BaseCommand):
    help = (
        "Fill the database with realistic data at a national network's scale, in bulk "
        "(for benches; never under production settings)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--venues", type=int, default=5000)
        parser.add_argument("--occurrences", type=int, default=50_000)
        parser.add_argument("--members", type=int, default=20_000)
        parser.add_argument("--messages", type=int, default=500_000)

    def handle(self, *args, venues, occurrences, members, messages, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_scale refuses to run under production settings.")
        if min(venues, occurrences, members, messages) < 0:
            raise CommandError("Every count must be zero or more.")
        counts = seed_scale(
            venues=venues,
            occurrences=occurrences,
            members=members,
            messages=messages,
            report=self.stdout.write,
        )
        self.stdout.write(self.style.SUCCESS(f"Scale data is ready: {counts}"))
