"""schema.org ``Event`` data of an event's dates, as search engines want it.

- all-day dates are written as dates, the end date inclusive (schema.org's
  ``endDate`` is the last day, where iCalendar's DTEND is the day after);
- a moved date is ``EventRescheduled`` with its ``previousStartDate``;
- ``offers`` for a paid event or one with registration on the site: price
  and currency when the price says a number, availability from the places left;
- ``organizer`` with a ``url``: the venue the event belongs to, else the network;
- ``image`` when the event has one.
"""

import re
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from events.vocabulary import SCHEMA_ATTENDANCE_MODE, SCHEMA_EVENT_STATUS
from network.site_url import absolute_url

NETWORK_NAME = "Compagnie des Tiers-lieux"
IN_STOCK = "https://schema.org/InStock"
LIMITED = "https://schema.org/LimitedAvailability"
SOLD_OUT = "https://schema.org/SoldOut"
RESCHEDULED = "https://schema.org/EventRescheduled"
LIMITED_PLACES = 3  # at most this many places left (or a fifth of them) is "limited"
_PRICE = re.compile(r"(\d+(?:[.,]\d{1,2})?)")
MAX_DATES = 20


def price_amount(text):
    """The first amount in a price written by hand ("5 €", "12,50 € / 8 € réduit"), or ``None``."""
    match = _PRICE.search(text or "")
    return Decimal(match.group(1).replace(",", ".")) if match else None


def availability(capacity, places_left):
    if capacity is None or places_left is None:
        return IN_STOCK
    if places_left <= 0:
        return SOLD_OUT
    if places_left <= max(LIMITED_PLACES, capacity // 5):
        return LIMITED
    return IN_STOCK


def _dates(occurrence):
    if occurrence.all_day:
        first = timezone.localtime(occurrence.start).date()
        # The stored end is the midnight after the last day.
        last = (timezone.localtime(occurrence.end) - timedelta(microseconds=1)).date()
        return first.isoformat(), max(first, last).isoformat()
    return timezone.localtime(occurrence.start).isoformat(), timezone.localtime(occurrence.end).isoformat()


def _previous_start(occurrence):
    if occurrence.all_day:
        return timezone.localtime(occurrence.original_start).date().isoformat()
    return timezone.localtime(occurrence.original_start).isoformat()


def location(event):
    from events.ical import location_text

    if event.is_online:
        return {"@type": "VirtualLocation", "url": event.online_url}
    venue = event.venue if event.venue_id else None
    commune = event.location_commune
    address = {
        "@type": "PostalAddress",
        "streetAddress": (venue.street_address if venue else event.street_address) or None,
        "addressLocality": commune.name if commune else None,
        "postalCode": commune.postcode_list[0] if commune and commune.postcodes else None,
        "addressCountry": "FR",
    }
    place = {
        "@type": "Place",
        "name": (venue.title if venue else event.street_address) or location_text(event),
        "address": {key: value for key, value in address.items() if value},
    }
    if event.attendance_mode == "mixed":
        return [place, {"@type": "VirtualLocation", "url": event.online_url}]
    return place


def organizer(event, request=None):
    """The venue the event belongs to (it sits under that venue's page), else the network."""
    venue = event.venue if event.venue_id else None
    if venue is not None and event.path.startswith(venue.path):
        data = {"@type": "Organization", "name": event.organizer_name or venue.title}
        data["url"] = venue.get_full_url(request)
    else:
        name = event.organizer_name or NETWORK_NAME
        data = {"@type": "Organization", "name": name, "url": absolute_url("/")}
    if event.organizer_email:
        data["email"] = event.organizer_email
    return data


def _offer(event, occurrence, url):
    offer = {"@type": "Offer", "url": url}
    amount = Decimal(0) if event.is_free else price_amount(event.price)
    if amount is not None:
        offer["price"] = f"{amount:.2f}"
        offer["priceCurrency"] = "EUR"
    places_left = getattr(occurrence, "seats_left", None)
    if places_left is None and hasattr(occurrence, "confirmed_count"):
        places_left = occurrence.places_left(occurrence.confirmed_count)
    offer["availability"] = availability(occurrence.capacity, places_left)
    return offer


def event_items(event, occurrences, *, request=None, image_url=None):
    """One schema.org ``Event`` per date (at most ``MAX_DATES``)."""
    url = event.get_full_url(request)
    where = location(event)
    by = organizer(event, request)
    items = []
    for occurrence in occurrences[:MAX_DATES]:
        start, end = _dates(occurrence)
        status = "cancelled" if occurrence.is_cancelled else occurrence.effective_status
        item = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "url": url,
            "startDate": start,
            "endDate": end,
            "eventStatus": SCHEMA_EVENT_STATUS.get(status, SCHEMA_EVENT_STATUS["scheduled"]),
            "eventAttendanceMode": SCHEMA_ATTENDANCE_MODE[event.attendance_mode],
            "location": where,
            "organizer": by,
        }
        if occurrence.is_moved and status == "scheduled":
            item["eventStatus"] = RESCHEDULED
            item["previousStartDate"] = _previous_start(occurrence)
        if event.summary:
            item["description"] = event.summary
        if image_url:
            item["image"] = [image_url]
        if event.is_free:
            item["isAccessibleForFree"] = True
        if occurrence.capacity is not None:
            item["maximumAttendeeCapacity"] = occurrence.capacity
        if event.registration_enabled or not event.is_free:
            item["offers"] = _offer(event, occurrence, url)
        items.append(item)
    return items
