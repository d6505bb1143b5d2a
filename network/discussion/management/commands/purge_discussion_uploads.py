from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from network.discussion.services import purge_unattached


class Command(BaseCommand):
    help = (
        "Delete the files uploaded to the discussions but never sent with a message "
        "(older than --hours, 24 by default), with their stored files. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=24, help="Keep the uploads younger than this (24 by default)."
        )

    def handle(self, *args, **options):
        hours = options["hours"]
        if hours < 1:
            raise CommandError("--hours must be at least 1.")
        purged = purge_unattached(older_than=timedelta(hours=hours))
        self.stdout.write(f"{purged} upload(s) never sent deleted.")
