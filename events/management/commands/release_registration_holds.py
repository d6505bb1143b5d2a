from django.core.management.base import BaseCommand

from events.services import release_expired_holds


class Command(BaseCommand):
    help = (
        "Cancel the visitors' registrations whose confirmation link was not followed in time "
        "and give their seats to the waiting list."
    )

    def handle(self, *args, **options):
        released = release_expired_holds()
        self.stdout.write(f"{len(released)} hold(s) released.")
