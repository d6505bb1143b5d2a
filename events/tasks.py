"""Emails of the events app, sent through django-tasks in the member's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django_tasks import task

from network.emails import render_email

KINDS = ("pending", "confirmed", "waitlisted", "promoted", "reminder", "changed", "cancelled")
WITH_ICS = frozenset({"confirmed", "promoted", "changed", "cancelled"})


@task()
def send_event_email(registration_id, kind):
    """One email about one registration; ``kind`` is one of ``KINDS``. Returns the number sent."""
    from events import conf, ical
    from events.models import Registration
    from events.services import registration_token, waitlist_position

    if kind not in KINDS:
        raise ValueError(f"unknown event email {kind!r}")
    registration = (
        Registration.objects.select_related(
            "user",
            "occurrence",
            "occurrence__event",
            "occurrence__event__venue",
            "occurrence__event__venue__commune",
        )
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or (registration.user_id and not registration.user.is_active):
        return 0
    if not registration.email or (kind != "pending" and registration.is_unconfirmed):
        return 0  # an unconfirmed address gets the confirmation link only
    occurrence, user = registration.occurrence, registration.user
    event = occurrence.event
    url = event.get_full_url()
    language = (user.language if user else registration.language) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "kind": kind,
            "registration": registration,
            "occurrence": occurrence,
            "event": event,
            "name": registration.name,
            "url": url,
            "location": ical.location_text(event),
            "position": waitlist_position(registration),
            "cancel_url": f"{url}inscription/annuler/{registration_token(registration, 'cancel')}/",
            "confirm_url": f"{url}inscription/confirmer/{registration_token(registration, 'confirm')}/",
            "hold_minutes": conf.hold_minutes(),
            "guest_data_days": conf.guest_data_days(),
        }
        subject, body = render_email("events/emails/notice", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
    if kind in WITH_ICS:
        content = ical.build_calendar([occurrence], name=event.title, url_for=lambda _event: url)
        message.attach(
            ical.filename_for(event.title), content, "text/calendar; charset=utf-8; method=PUBLISH"
        )
    return message.send()


@task()
def send_calendar_sync_email(subscription_id, kind):
    """Tell a venue's managers that its calendar feed fails (``failed``) or works again (``recovered``)."""
    from django.contrib.auth import get_user_model

    from events.models import CalendarSubscription

    subscription = CalendarSubscription.objects.select_related("venue").filter(pk=subscription_id).first()
    if subscription is None or subscription.venue.manager_group_id is None:
        return 0
    managers = (
        get_user_model()
        .objects.filter(groups=subscription.venue.manager_group_id, is_active=True)
        .exclude(email="")
    )
    sent = 0
    for user in managers:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {"kind": kind, "subscription": subscription, "venue": subscription.venue, "user": user}
            subject, body = render_email("events/emails/calendar_sync", context)
        sent += EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    return sent


PROPOSAL_KINDS = ("confirm", "submitted", "approved", "rejected")


@task()
def send_proposal_email(proposal_id, kind):
    """Tell a proposer where their proposal stands; ``kind`` is one of ``PROPOSAL_KINDS``."""
    from events.models import EventProposal
    from events.proposals import confirmation_token
    from network.site_url import absolute_url

    if kind not in PROPOSAL_KINDS:
        raise ValueError(f"unknown proposal email {kind!r}")
    proposal = EventProposal.objects.select_related("page").filter(pk=proposal_id).first()
    if proposal is None or not proposal.email:
        return 0
    context = {"kind": kind, "proposal": proposal, "event": proposal.page, "reason": proposal.reason}
    if kind == "confirm":
        from events.models import EventIndexPage

        calendar = EventIndexPage.objects.first()
        context["url"] = absolute_url(f"{calendar.url}proposer/confirmer/{confirmation_token(proposal)}/")
    elif kind == "approved":
        context["url"] = proposal.page.get_full_url()
    with translation.override(proposal.language or settings.LANGUAGE_CODE):
        subject, body = render_email("events/emails/proposal", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [proposal.email]).send()


@task()
def index_event_pages(page_ids):
    """Search-index entries of pages a calendar sync wrote in bulk (Wagtail's own index updates
    go to the task worker too: a 2,000-event feed is not indexed inside the sync)."""
    from wagtail.search.backends import get_search_backends

    from events.models import EventPage

    pages = list(
        EventPage.objects.filter(pk__in=page_ids).select_related("venue", "venue__commune", "commune")
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(EventPage, pages)
    return len(pages)


@task()
def send_follow_digest_email(user_id, since, until):
    """The weekly digest of ``user_id``: the events first published in ``(since, until]``
    (ISO dates) matching what they follow, with a one-click unsubscribe (RFC 8058).
    Nothing to say, no e-mail."""
    from datetime import datetime

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from events import follows
    from network.site_url import absolute_url

    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return 0
    unsubscribe = follows.unsubscribe_url(user)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        sections = follows.digest_sections(
            user, since=datetime.fromisoformat(since), until=datetime.fromisoformat(until)
        )
        if not sections:
            return 0
        context = {
            "user": user,
            "sections": sections,
            "count": sum(len(section.events) for section in sections),
            "profile_url": absolute_url(reverse("profile") + "#suivis"),
            "unsubscribe_url": unsubscribe,
        }
        subject, body = render_email("events/emails/follow_digest", context)
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], headers=headers).send()
