"""Template tags other apps' templates use to show events (members never imports events)."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from events import conf
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
    from events.structured_data import event_items
    from network.site_url import absolute_url

    image_url = None
    picture = context.get("picture")  # events.pictures: the event's own image, renditions prefetched
    if event.image_id and picture is not None and picture.image is not None:
        image_url = picture.open_graph()["url"]
    elif event.image_id and event.image is not None:
        image_url = absolute_url(event.image.get_rendition("fill-1200x630").url)
    items = event_items(event, occurrences, request=context.get("request"), image_url=image_url)
    if not items:
        return ""
    data = items[0] if len(items) == 1 else items
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
