"""HTTP side of the iCalendar feeds: ``ETag``, ``Last-Modified`` and 304 answers.

Calendar clients poll their subscriptions every few hours; a feed that has
not changed is answered ``304 Not Modified`` without being built. The
validators come from one aggregate query over the feed's occurrences: how
many, which (the sum of their ids), and the latest change of an occurrence,
its event page (published or revised) or its venue page. Django's ``condition`` decorator compares
them with ``If-None-Match`` / ``If-Modified-Since``.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Count, Max, Sum
from django.http import HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import condition

from events import ical

# Change both when build_calendar writes something new, so that no client keeps
# the former feed on a 304 (3: tags in CATEGORIES, CLASS, CREATED; 2: the RRULE time zones).
FORMAT = "3"
FORMAT_CHANGED = datetime(2026, 12, 1, 10, tzinfo=UTC)


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime


def validators(occurrences, *, key=()):
    """The validators of a feed of ``occurrences`` (a queryset, sliced or not).

    ``key`` adds what else the feed's bytes depend on (an address written in it).
    The language is always part of it: the feed's name and categories are translated.
    """
    row = occurrences.aggregate(
        feed_count=Count("pk"),
        feed_ids=Sum("pk"),
        feed_occurrence_changed=Max("updated_at"),
        feed_event_changed=Max("event__last_published_at"),
        feed_event_revised=Max("event__latest_revision_created_at"),  # private drafts (visits)
        feed_venue_changed=Max("event__venue__last_published_at"),
    )
    moments = [
        row[name] for name in sorted(row) if name.endswith(("_changed", "_revised")) and row[name] is not None
    ]
    parts = [FORMAT, get_language() or "", *key, row["feed_count"], row["feed_ids"] or 0]
    parts += [moment.isoformat() for moment in moments]
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]
    # Weak: two answers with one ETag differ in DTSTAMP, not in what they mean.
    return Validators(etag=f'W/"{digest}"', last_modified=max([FORMAT_CHANGED, *moments]))


def ics_response(request, occurrences, build, *, filename, key=(), private=False, disposition="inline"):
    """The feed of ``occurrences``: 304 when the client's copy is current, else ``build()``'s bytes."""
    current = validators(occurrences, key=key)

    @condition(
        etag_func=lambda _request: current.etag,
        last_modified_func=lambda _request: current.last_modified,
    )
    def feed(_request):
        response = HttpResponse(build(), content_type=ical.CONTENT_TYPE)
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        return response

    response = feed(request)
    if private:  # on the 304 too: a secret address is never kept by a shared cache
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response
