from django.core.management.base import BaseCommand

from mentoring import adapters, explanations, services


class Command(BaseCommand):
    help = (
        "Print the batch assignment of every open mentoring request (request, mentor, score, "
        "explanation) and the unmatched requests. With --commit, write the proposals, pending "
        "staff review: nobody is told before staff approve them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="Write the proposals (pending review).")

    def handle(self, *args, commit=False, **options):
        assignment, requests, mentors = adapters.batch_assignment()
        self.stdout.write(f"{len(assignment.pairs)} pairing(s) proposed for {len(requests)} open request(s):")
        for pair in assignment.pairs:
            request, mentor = requests[pair.request_id], mentors[pair.mentor_id][0]
            self.stdout.write(
                f"  #{request.pk} {request.project_name} -> {mentor.venue.title} "
                f"[{pair.score:.2f}] {explanations.explain_to(pair, explanations.STAFF)}"
            )
        self.stdout.write(f"{len(assignment.unmatched)} unmatched request(s):")
        for pk in assignment.unmatched:
            request = requests[pk]
            self.stdout.write(f"  #{request.pk} {request.project_name} ({request.commune})")
        if not commit:
            self.stdout.write("Dry run: nothing written (pass --commit to write the proposals).")
            return
        pairs = [(requests[p.request_id], mentors[p.mentor_id][0]) for p in assignment.pairs]
        created, skipped = services.propose_batch(pairs, by=None)
        for request, mentor, reason in skipped:
            self.stdout.write(
                self.style.WARNING(f"  skipped #{request.pk} -> {mentor.venue.title}: {reason}")
            )
        self.stdout.write(self.style.SUCCESS(f"{len(created)} proposal(s) written, pending staff review."))
