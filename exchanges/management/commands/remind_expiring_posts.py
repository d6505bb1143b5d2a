from django.core.management.base import BaseCommand

from exchanges.services import send_expiry_reminders


class Command(BaseCommand):
    help = "Email the author of each need or offer that expires within a week (once per expiry date)."

    def handle(self, *args, **options):
        reminded = send_expiry_reminders()
        self.stdout.write(f"{len(reminded)} reminder(s) queued.")
