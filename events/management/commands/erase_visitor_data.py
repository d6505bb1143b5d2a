from django.core.management.base import BaseCommand

from events.services import erase_visitor_data


class Command(BaseCommand):
    help = (
        "Erase the name, e-mail address and answers of registrations made without an account, "
        "30 days (EVENTS_GUEST_DATA_DAYS) after their date."
    )

    def handle(self, *args, **options):
        erased = erase_visitor_data()
        self.stdout.write(f"{erased} registration(s) erased.")
