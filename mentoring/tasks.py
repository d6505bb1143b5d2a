"""Emails of the compagnonnage (django-tasks), each in its recipient's language.

``send_mentoring_email(event, pk)`` is enqueued after the commit by the services;
``pk`` is a request, a proposal or a pairing depending on ``event``.
"""

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from network.emails import render_email
from network.permissions import holders_of
from network.site_url import absolute_url

REQUEST_EVENTS = {"submitted", "withdrawn"}
PROPOSAL_EVENTS = {"approved", "accepted", "declined", "expired", "cancelled"}
PAIRING_EVENTS = {"visit_planned", "closed"}

# Who hears of each event: "applicant", "managers" (of the mentor venue), "staff".
AUDIENCES = {
    "submitted": ("applicant", "staff"),
    "withdrawn": ("staff",),
    "approved": ("managers", "applicant"),
    "accepted": ("applicant", "managers", "staff"),
    "declined": ("applicant", "staff"),
    "expired": ("managers", "applicant", "staff"),
    "cancelled": ("managers",),
    "visit_planned": ("applicant", "managers"),
    "closed": ("applicant", "managers", "staff"),
}


def _context(event, pk):
    from mentoring.models import MentoringRequest, Pairing, Proposal

    if event in REQUEST_EVENTS:
        request = MentoringRequest.objects.for_listing().filter(pk=pk).first()
        return request and {"request": request, "venue": None}
    if event in PROPOSAL_EVENTS:
        proposal = Proposal.objects.for_listing().filter(pk=pk).first()
        if proposal is None:
            return None
        pairing = Pairing.objects.filter(proposal=proposal).select_related("room").first()
        return {
            "request": proposal.request,
            "proposal": proposal,
            "pairing": pairing,
            "venue": proposal.mentor.venue,
        }
    if event in PAIRING_EVENTS:
        pairing = Pairing.objects.for_listing().filter(pk=pk).first()
        return pairing and {"request": pairing.request, "pairing": pairing, "venue": pairing.mentor.venue}
    raise ValueError(f"unknown mentoring event {event!r}")


def recipients(event, context):
    """Active users to write to, without repeats, in a stable order."""
    from members.models import User

    found = {}
    for audience in AUDIENCES[event]:
        if audience == "applicant":
            users = [context["request"].applicant]
        elif audience == "managers":
            venue = context.get("venue")
            users = (
                User.objects.filter(groups=venue.manager_group_id)
                if venue is not None and venue.manager_group_id
                else []
            )
        else:
            # Whoever reviews proposals (``proposal_policy``'s "change"), not a group's name.
            users = holders_of("mentoring.change_proposal")
        for user in users:
            if user.is_active and user.email:
                found.setdefault(user.pk, (user, audience))
    return list(found.values())


def _links(context):
    from mentoring.models import MentoringPage

    page = MentoringPage.objects.live().first()
    links = {"admin": absolute_url(reverse("mentoring_admin:dashboard"))}
    if page is not None:
        root = page.get_full_url()
        links["mine"] = root + page.reverse_subpage("my_requests")
        if context.get("proposal") is not None:
            links["answer"] = root + page.reverse_subpage("answer_proposal", args=[context["proposal"].pk])
        if context.get("pairing") is not None:
            links["pairing"] = root + page.reverse_subpage("pairing_detail", args=[context["pairing"].pk])
    return links


@task()
def send_mentoring_email(event, pk):
    """Write to everyone concerned by ``event``; returns the number of emails sent."""
    context = _context(event, pk)
    if context is None:
        return 0
    context.update(event=event, links=_links(context))
    sent = 0
    for user, audience in recipients(event, context):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            values = {**context, "recipient": user, "audience": audience}
            subject, body = render_email("mentoring/emails/notification", values)
            attachment = _visit_attachment(event, context)
        if attachment is None:
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        else:
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            message.attach(*attachment)
            sent += message.send()
    return sent


def _visit_attachment(event, context):
    """The visit's .ics (filename, bytes, mimetype) for a "visit_planned" email, else ``None``."""
    from mentoring.ical import visit_calendar

    if event != "visit_planned":
        return None
    built = visit_calendar(context["pairing"], url=context["links"].get("pairing", ""))
    if built is None:
        return None
    content, filename = built
    return filename, content, "text/calendar"
