from django.core.management.base import BaseCommand

from events.proposals import delete_unconfirmed_proposals
from events.services import erase_visitor_data


class Command(BaseCommand):
    help = (
        "Erase the name, e-mail address and answers of registrations made without an account, "
        "30 days (EVENTS_GUEST_DATA_DAYS) after their date; delete the event proposals of "
        "visitors who never confirmed their address, with their draft page, "
        "7 days (EVENTS_UNCONFIRMED_PROPOSAL_DAYS) after they were made."
    )

    def handle(self, *args, **options):
        erased = erase_visitor_data()
        self.stdout.write(f"{erased} registration(s) erased.")
        deleted = delete_unconfirmed_proposals()
        self.stdout.write(f"{deleted} unconfirmed proposal(s) deleted.")
