"""The public description of venues, events and dates, as plain dicts for the schemas.

Each function reads a fixed number of queries whatever the number of items:
the rows (events and dates with their venue and commune joined), then the
tags and the venues that are public, in one query each. Nothing private is
read: no registration, attendee, organizer contact, discussion or
mentoring, and the querysets given are the published ones.
"""

from django.utils import timezone

from events import ical
from events.querysets import tags_by_event
from events.vocabulary import AttendanceMode, EventStatus, Kind, OccurrenceStatus
from members.directory import descendant_urls
from members.models import VenueIndexPage, VenuePage
from members.vocabulary import ACTIVITY_CHOICES
from network.site_url import absolute_url


def label(code, text):
    return {"code": code, "label": str(text)}


def choice_labels(choices):
    """``{code: label}`` of Django ``TextChoices``, translated once for a whole listing."""
    return {code: str(text) for code, text in choices.choices}


def venue_url_function(request):
    """A venue's absolute URL from its ``url_path`` (one query for the directory page)."""
    index = VenueIndexPage.objects.only("url_path").first()
    if index is None:
        return lambda url_path: ""
    return descendant_urls(index, index.get_full_url(request))


def activity_labels():
    """``{code: label}`` of the activities, translated once for a listing."""
    return {code: str(text) for code, text in ACTIVITY_CHOICES}


def venue_result(record, activities):
    """A record of ``members.opendata.venue_records`` as the API's ``Venue``
    (``activities``: ``activity_labels()``)."""

    def activity(code):
        return {"code": code, "label": activities.get(code, code)}

    return {
        **record,
        "main_activity": activity(record["main_activity"]),
        "activities": [activity(code) for code in record["activities"]],
        "commune": (
            {"insee_code": record["insee_code"], "name": record["commune"]} if record["insee_code"] else None
        ),
    }


def _commune(commune):
    return {"insee_code": commune.insee_code, "name": commune.name} if commune is not None else None


def location(event, public_venue_ids, request):
    """Where: the venue (when it is public), the address, the commune, the position."""
    venue = event.venue if event.venue_id and event.venue_id in public_venue_ids else None
    commune = event.location_commune
    online = event.attendance_mode == AttendanceMode.ONLINE
    position = venue.position if venue is not None and not online else None
    address = "" if online else (venue.street_address if venue is not None else event.street_address)
    return {
        # A venue the public cannot see is not named: only its commune.
        "text": ical.location_text(event)
        if venue or not event.venue_id
        else (commune.name if commune else ""),
        "venue": {"id": venue.pk, "name": venue.title, "url": venue.get_full_url(request)} if venue else None,
        "address": address,
        "postcode": commune.postcode_list[0] if commune is not None and commune.postcodes else "",
        "commune": _commune(commune),
        "latitude": position[0] if position else None,
        "longitude": position[1] if position else None,
        "online_url": event.online_url if event.attendance_mode != AttendanceMode.OFFLINE else "",
    }


def public_venue_ids(events):
    """Which of the venues of ``events`` the public may see (one query): a restricted or
    unpublished venue is not named, even when a public event points to it."""
    ids = {event.venue_id for event in events if event.venue_id}
    if not ids:
        return set()
    return set(VenuePage.objects.published().filter(pk__in=ids).values_list("pk", flat=True))


def event_results(events, request):
    """``events`` (EventPages, venue and communes joined) as the API's ``Event``."""
    from django.urls import reverse

    events = list(events)
    tags = tags_by_event([event.pk for event in events])
    venues = public_venue_ids(events)
    occurrences_path = reverse("api-1:occurrences")
    kinds, statuses, modes = choice_labels(Kind), choice_labels(EventStatus), choice_labels(AttendanceMode)
    results = []
    for event in events:
        url = event.get_full_url(request)
        results.append(
            {
                "id": event.pk,
                "title": event.title,
                "url": url,
                "summary": event.summary,
                "kind": label(event.kind, kinds[event.kind]),
                "status": label(event.status, statuses[event.status]),
                "attendance_mode": label(event.attendance_mode, modes[event.attendance_mode]),
                "tags": [{"slug": slug, "name": name} for slug, name in tags[event.pk]],
                "location": location(event, venues, request),
                "start": timezone.localtime(event.start),
                "end": timezone.localtime(event.end),
                "all_day": event.all_day,
                "is_free": event.is_free,
                "price": event.price,
                "audience": event.audience,
                "accessibility": event.accessibility,
                "organizer_name": event.organizer_name,
                "occurrences": absolute_url(f"{occurrences_path}?event={event.pk}"),
                "ical_url": f"{url}ics/",
                "last_modified": event.last_published_at,
            }
        )
    return results


def occurrence_results(occurrences, request):
    """``occurrences`` (their events, venues and communes joined) as the API's ``Occurrence``."""
    occurrences = list(occurrences)
    events = {occurrence.event_id: occurrence.event for occurrence in occurrences}
    tags = tags_by_event(list(events))
    venues = public_venue_ids(events.values())
    kinds, statuses = choice_labels(Kind), choice_labels(OccurrenceStatus)
    urls, locations, results = {}, {}, []
    for occurrence in occurrences:
        event = occurrence.event
        if event.pk not in urls:
            urls[event.pk] = event.get_full_url(request)
            locations[event.pk] = location(event, venues, request)
        status = occurrence.effective_status
        event_tags = [{"slug": slug, "name": name} for slug, name in tags[event.pk]]
        results.append(
            {
                "id": occurrence.pk,
                "uid": ical.occurrence_uid(occurrence),
                "event_id": event.pk,
                "title": event.title,
                "url": urls[event.pk],
                "summary": event.summary,
                "start": timezone.localtime(occurrence.start),
                "end": timezone.localtime(occurrence.end),
                "all_day": occurrence.all_day,
                "status": label(status, statuses[status]),
                "kind": label(event.kind, kinds[event.kind]),
                "categories": ical.categories(event, [tag["name"] for tag in event_tags], kinds),
                "tags": event_tags,
                "location": locations[event.pk],
                "sequence": occurrence.ical_sequence,
                "last_modified": ical.last_modified(occurrence),
            }
        )
    return results
