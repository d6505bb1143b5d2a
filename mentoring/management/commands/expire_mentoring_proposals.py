from django.core.management.base import BaseCommand

from mentoring import services


class Command(BaseCommand):
    help = (
        "Expire the proposals a mentor venue left unanswered past their deadline; each request "
        "returns to the pool with its next suggestion queued for staff review. Run it daily."
    )

    def handle(self, *args, **options):
        expired = services.expire_proposals()
        for proposal in expired:
            self.stdout.write(
                f"  expired #{proposal.pk}: request #{proposal.request_id} -> mentor #{proposal.mentor_id}"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(expired)} proposal(s) expired."))
