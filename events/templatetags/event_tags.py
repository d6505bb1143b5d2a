"""Template tags other apps' templates use to show events (members never imports events)."""

import json

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from events import conf
from events.vocabulary import SCHEMA_ATTENDANCE_MODE, SCHEMA_EVENT_STATUS
from network.site_url import absolute_url

register = template.Library()

# Same escapes as Django's json_script: the JSON can never close the <script>.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _calendar_page():
    from events.models import EventIndexPage

    return EventIndexPage.objects.live().first()


@register.inclusion_tag("events/includes/venue_events.html", takes_context=True)
def venue_events(context, venue):
    """The upcoming dates held at ``venue`` (its own events and network meetups there)."""
    from events.models import Occurrence

    occurrences = list(
        Occurrence.objects.published().at_venue(venue).upcoming().for_listing()[: conf.venue_events()]
    )
    return {"request": context.get("request"), "occurrences": occurrences, "venue": venue}


@register.inclusion_tag("events/includes/network_meetups.html", takes_context=True)
def network_meetups(context):
    """The next meetups of the network, for the home page."""
    from events.models import Occurrence

    occurrences = list(
        Occurrence.objects.published().network().upcoming().for_listing()[: conf.home_meetups()]
    )
    return {"request": context.get("request"), "occurrences": occurrences, "calendar_page": _calendar_page()}


@register.inclusion_tag("events/includes/profile_calendar.html", takes_context=True)
def profile_calendar(context):
    """ "Mon agenda" on the profile: the member's next dates and their private feed."""
    from events.models import CalendarToken, Occurrence

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"request": request, "user": None}
    occurrences = list(
        Occurrence.objects.published()
        .upcoming()
        .filter(registrations__user=user, registrations__status__in=["confirmed", "waitlisted"])
        .for_listing()
        .distinct()[:10]
    )
    token = CalendarToken.objects.filter(user=user).values_list("token", flat=True).first()
    calendar_page = _calendar_page()
    feed_url = None
    if token and calendar_page is not None:
        from events.views import feed_urls

        feed_url = absolute_url(feed_urls(calendar_page, token)[1])
    return {
        "request": request,
        "user": user,
        "occurrences": occurrences,
        "feed_url": feed_url,
        "calendar_page": calendar_page,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def event_jsonld(context, event, occurrences):
    """schema.org ``Event`` data of each listed date, as a JSON-LD data block (not a script)."""
    from events.ical import location_text

    request = context.get("request")
    url = event.get_full_url(request)
    if event.is_online:
        location = {"@type": "VirtualLocation", "url": event.online_url}
    else:
        commune = event.location_commune
        place_name = event.venue.title if event.venue_id and event.venue else event.street_address
        location = {
            "@type": "Place",
            "name": place_name or location_text(event),
            "address": {
                "@type": "PostalAddress",
                "streetAddress": (
                    event.venue.street_address if event.venue_id and event.venue else event.street_address
                )
                or None,
                "addressLocality": commune.name if commune else None,
                "postalCode": commune.postcode_list[0] if commune and commune.postcodes else None,
                "addressCountry": "FR",
            },
        }
        location["address"] = {key: value for key, value in location["address"].items() if value}
        if event.attendance_mode == "mixed":
            location = [location, {"@type": "VirtualLocation", "url": event.online_url}]
    organizer = {"@type": "Organization", "name": event.organizer_name or "Compagnie des Tiers-lieux"}
    if event.organizer_email:
        organizer["email"] = event.organizer_email
    items = []
    for occurrence in occurrences[:20]:
        status = "cancelled" if occurrence.is_cancelled else occurrence.effective_status
        item = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "url": url,
            "startDate": timezone.localtime(occurrence.start).isoformat(),
            "endDate": timezone.localtime(occurrence.end).isoformat(),
            "eventStatus": SCHEMA_EVENT_STATUS.get(status, SCHEMA_EVENT_STATUS["scheduled"]),
            "eventAttendanceMode": SCHEMA_ATTENDANCE_MODE[event.attendance_mode],
            "location": location,
            "organizer": organizer,
        }
        if event.summary:
            item["description"] = event.summary
        if event.is_free:
            item["isAccessibleForFree"] = True
        if occurrence.capacity is not None:
            item["maximumAttendeeCapacity"] = occurrence.capacity
        items.append(item)
    if not items:
        return ""
    data = items[0] if len(items) == 1 else items
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
