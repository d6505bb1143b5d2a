from django.core.management.base import BaseCommand

from network.discussion.services import send_digests


class Command(BaseCommand):
    help = "Email each member who has unread mentions their daily digest (at most once a day, opt-out)."

    def handle(self, *args, **options):
        queued = send_digests()
        self.stdout.write(f"{len(queued)} digest(s) queued.")
