from django.core.management.base import BaseCommand

from events.follows import send_follow_digests


class Command(BaseCommand):
    help = (
        "Email each member the events published this week in the venues, communes and kinds "
        "they follow (at most once a week, nothing when nothing is new, opt-out)."
    )

    def handle(self, *args, **options):
        queued = send_follow_digests()
        self.stdout.write(f"{len(queued)} digest(s) queued.")
