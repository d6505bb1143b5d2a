from django.core.management.base import BaseCommand

from events.services import send_due_reminders


class Command(BaseCommand):
    help = "Email a reminder to each member registered for a date starting within a day (once each)."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"{len(sent)} reminder(s) queued.")
