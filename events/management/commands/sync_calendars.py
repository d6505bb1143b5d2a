from django.core.management.base import BaseCommand

from events.calendar_sync.services import sync_due_calendars


class Command(BaseCommand):
    help = "Sync the venues' subscribed ICS calendars that are due (or every one with --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Sync every active subscription, due or not.")

    def handle(self, *args, **options):
        results = sync_due_calendars(everything=options["all"])
        failed = 0
        for subscription, report in results:
            subscription.refresh_from_db()
            if subscription.last_error:
                failed += 1
                self.stdout.write(f"{subscription.url}: {subscription.last_error}")
            elif report is not None:
                self.stdout.write(f"{subscription.url}: {report.as_text()}")
        self.stdout.write(f"{len(results)} calendar(s) synced, {failed} failed.")
