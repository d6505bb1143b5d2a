"""Sync a venue's calendar feed into its EventPages (the one rule: commands, views call these).

One transaction per feed: the feed is fetched and parsed first, then every
create, update and cancellation is written together, so a feed that fails
half-way leaves nothing half-saved. A page edited on the site (its latest
revision no longer holds what the last sync wrote) is never overwritten: its
mapping detaches and the report says so.
"""

import hashlib
import html
import json
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from modelcluster.models import get_all_child_relations

from events.calendar_sync import bulk
from events.calendar_sync.fetch import FeedError, fetch_feed
from events.calendar_sync.parse import parse_feed
from events.errors import NotAllowed
from events.models import (
    CalendarSubscription,
    EventExtraDate,
    EventPage,
    Occurrence,
    PublishMode,
    SyncedEvent,
)
from events.models.pages import RESERVED_SLUGS
from events.vocabulary import AttendanceMode, EventStatus, Kind, OccurrenceStatus
from members.freshness import content_changed
from network.permissions import is_staff_member


def _setting(name, default):
    return getattr(settings, name, default)


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def can_manage_subscriptions(user, venue):
    """Staff, and the managers of ``venue`` (members of its Wagtail group)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_staff_member(user):
        return True
    return venue.manager_group_id is not None and user.groups.filter(pk=venue.manager_group_id).exists()


class SyncReport:
    def __init__(self):
        self.created, self.updated, self.cancelled, self.unchanged = 0, 0, 0, 0
        self.detached = []  # titles of pages edited on the site, left as they are

    def as_text(self):
        text = _(
            "%(created)s créé(s), %(updated)s mis à jour, %(cancelled)s annulé(s), %(unchanged)s inchangé(s)."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "cancelled": self.cancelled,
            "unchanged": self.unchanged,
        }
        if self.detached:
            text += " " + _("Modifié(s) sur le site, donc plus synchronisé(s) : %(titles)s.") % {
                "titles": ", ".join(self.detached[:20])
            }
        return text


# -- pages from feed events ------------------------------------------------------


def _body(description, url=""):
    """The feed's plain text as paragraphs (escaped: a feed's markup shows as text), then its link."""
    paragraphs = [part.strip() for part in description.split("\n\n") if part.strip()]
    body = "".join(
        "<p>" + "<br/>".join(html.escape(line) for line in part.splitlines()) + "</p>" for part in paragraphs
    )
    if url.startswith(("https://", "http://")):
        body += f'<p><a href="{html.escape(url)}">{html.escape(_("En savoir plus"))}</a></p>'
    return body


def _instant(moment):
    return moment.astimezone(UTC).isoformat()


def page_hash(page):
    """What the sync wrote on a page, to tell a site edit from our own revision."""
    extra = sorted((_instant(d.start), _instant(d.end)) for d in page.extra_dates.all())
    data = [
        page.title,
        page.summary,
        str(page.body),
        _instant(page.start),
        _instant(page.end),
        page.all_day,
        page.status,
        extra,
    ]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def _fill_page(page, feed_event):
    slots = feed_event.slots or feed_event.cancelled_slots
    first_start, first_end = slots[0]
    page.title = feed_event.title
    page.summary = " ".join(feed_event.description.split())[:300]
    page.body = _body(feed_event.description, feed_event.url)
    page.start, page.end = first_start, first_end
    page.all_day = feed_event.all_day
    page.status = EventStatus.CANCELLED if feed_event.cancelled else EventStatus.SCHEDULED
    others = sorted(set(feed_event.slots[1:] if feed_event.slots else []) | set(feed_event.cancelled_slots))
    others = [slot for slot in others if slot != (first_start, first_end)]
    page.extra_dates = [EventExtraDate(start=start, end=end) for start, end in others]


def _slug(feed_event):
    digest = hashlib.sha256(feed_event.uid.encode()).hexdigest()[:10]
    base = slugify(feed_event.title)[:50].strip("-") or "evenement"
    slug = f"{base}-{digest}"
    return f"ev-{slug}" if slug in RESERVED_SLUGS else slug


def _new_page(subscription, feed_event):
    page = EventPage(
        slug=_slug(feed_event),
        kind=Kind.OTHER,
        venue=subscription.venue,
        attendance_mode=AttendanceMode.OFFLINE,
        registration_enabled=False,
        live=False,
    )
    _fill_page(page, feed_event)
    return page


def _create_drafts(subscription, feed_events):
    """New events as drafts, all at once (``members.services.insert_draft_pages``); their pages."""
    from members.services import insert_draft_pages, lock_parent, record_draft_revisions

    if not feed_events:
        return []
    venue = lock_parent(subscription.venue)
    taken = set(venue.get_children().values_list("slug", flat=True))
    pages = []
    empty = [r.get_accessor_name() for r in get_all_child_relations(EventPage)]
    for feed_event in feed_events:
        page = _new_page(subscription, feed_event)
        for name in empty:  # a new page's child objects, in memory: its revision and index take no query
            if name != "extra_dates":
                setattr(page, name, [])
        base, n = page.slug, 1
        while page.slug in taken:
            n += 1
            page.slug = f"{base}-{n}"
        taken.add(page.slug)
        page.search_document = page.build_search_document()
        pages.append(page)
    insert_draft_pages(venue, pages, by=None)
    extra_dates = []
    for page in pages:
        for number, extra in enumerate(page.extra_dates.all()):
            extra.page_id, extra.sort_order = page.pk, number
            extra_dates.append(extra)
    EventExtraDate.objects.bulk_create(extra_dates)
    record_draft_revisions(pages, by=None, index=False)  # bulk.index, after the commit
    return pages


def _current_pages(subscription, mappings):
    """``{pk: page}``, each page as its latest revision has it, in three queries.

    While that revision is the one the sync wrote (``synced_revision``), the
    page's own row holds it (a live page publishes it, a never-published
    draft's row is kept with it): the row serves, its child objects
    prefetched. Otherwise (an edit on the site, a restored revision) the
    revision is read back (``with_content_json``).
    """
    own = {mapping.page_id: mapping.synced_revision_id for mapping in mappings}
    rows = (
        EventPage.objects.filter(pk__in=list(own))
        .select_related("latest_revision")
        .prefetch_related(*(r.get_accessor_name() for r in get_all_child_relations(EventPage)))
    )
    found = {}
    for page in rows:
        row_is_latest = page.live_revision_id in (None, page.latest_revision_id)
        if page.latest_revision_id and not (page.latest_revision_id == own[page.pk] and row_is_latest):
            page = page.with_content_json(page.latest_revision.content)
        if page.venue_id == subscription.venue_id:
            page.venue = subscription.venue  # one venue object: its search text takes no query
        found[page.pk] = page
    return found


def _cancelled_starts(pairs):
    return {page.pk: [start for start, _end in event.cancelled_slots] for event, page in pairs if page.live}


@transaction.atomic
def apply_feed(subscription, feed_events, *, now=None, cancel_missing=True):
    """Create, update and cancel the venue's pages from ``{uid: FeedEvent}``; returns a SyncReport.

    Every write is made for the whole feed at once (``events.calendar_sync.bulk``):
    the new pages in one insert per table, published together when the venue
    chose so; the changed ones revised (and republished if live) together; the
    ones gone from the feed cancelled together.
    """
    now = now or timezone.now()
    report = SyncReport()
    mappings = {m.uid: m for m in subscription.synced_events.all()}
    live_mode = subscription.publish_mode == PublishMode.LIVE

    fresh = [event for uid, event in feed_events.items() if uid not in mappings]
    pages = _create_drafts(subscription, fresh)
    if live_mode:
        bulk.publish_new_pages(pages, now=now)
        bulk.cancel_occurrences(_cancelled_starts(zip(fresh, pages, strict=True)))
    else:
        bulk.index(pages)
    SyncedEvent.objects.bulk_create(
        [
            SyncedEvent(
                subscription=subscription,
                uid=event.uid,
                page=page,
                source_hash=event.source_hash(),
                page_hash=page_hash(page),
                synced_revision_id=page.latest_revision_id,
            )
            for event, page in zip(fresh, pages, strict=True)
        ]
    )
    report.created = len(pages)

    changed = []
    for uid, feed_event in feed_events.items():
        mapping = mappings.get(uid)
        if mapping is None:
            continue
        if (
            mapping.detached
            or mapping.page_id is None
            or (mapping.source_hash == feed_event.source_hash() and not mapping.removed)
        ):
            report.unchanged += 1
        else:
            changed.append((mapping, feed_event))
    current = _current_pages(subscription, [mapping for mapping, _event in changed])
    revised, detached = [], []
    for mapping, feed_event in changed:
        page = current[mapping.page_id]
        if page_hash(page) != mapping.page_hash:  # edited on the site: left as it is
            mapping.detached, mapping.updated_at = True, now
            detached.append(mapping)
            report.detached.append(page.title)
            continue
        _fill_page(page, feed_event)
        revised.append((mapping, feed_event, page))
    bulk.revise_pages([page for _mapping, _event, page in revised], now=now)
    bulk.cancel_occurrences(_cancelled_starts((event, page) for _mapping, event, page in revised))
    for mapping, feed_event, page in revised:
        mapping.source_hash, mapping.page_hash = feed_event.source_hash(), page_hash(page)
        mapping.synced_revision_id = page.latest_revision_id
        mapping.removed, mapping.updated_at = False, now
    SyncedEvent.objects.bulk_update(
        [mapping for mapping, _event, _page in revised],
        ["source_hash", "page_hash", "synced_revision", "removed", "updated_at"],
        batch_size=bulk.BATCH,
    )
    SyncedEvent.objects.bulk_update(detached, ["detached", "updated_at"], batch_size=bulk.BATCH)
    report.updated = len(revised)

    if cancel_missing:
        gone = [
            m for uid, m in mappings.items() if uid not in feed_events and not m.removed and not m.detached
        ]
        if gone:
            Occurrence.objects.filter(
                event_id__in=[m.page_id for m in gone if m.page_id], end__gte=now
            ).exclude(status=OccurrenceStatus.CANCELLED).update(
                status=OccurrenceStatus.CANCELLED, sequence=F("sequence") + 1
            )
            SyncedEvent.objects.filter(pk__in=[m.pk for m in gone]).update(removed=True, updated_at=now)
            content_changed()  # .update() sends no signal
        report.cancelled = len(gone)
    return report


# -- the sync itself -------------------------------------------------------------


def _window(now):
    tz = _tz()
    today = timezone.localtime(now, tz).date()
    start = today - timedelta(days=_setting("EVENTS_SYNC_PAST_DAYS", 1))
    end = today + timedelta(days=_setting("EVENTS_SYNC_FUTURE_DAYS", 366))
    return start, end


def parse_for_site(content, *, now=None):
    from events import conf

    window_start, window_end = _window(now or timezone.now())
    return parse_feed(
        content,
        tz=_tz(),
        window_start=window_start,
        window_end=window_end,
        max_per_event=conf.max_occurrences(),
    )


def backoff_delay(failures):
    base = _setting("EVENTS_SYNC_RETRY_MINUTES", 15)
    ceiling = _setting("EVENTS_SYNC_MAX_RETRY_MINUTES", 24 * 60)
    return timedelta(minutes=min(ceiling, base * 2 ** max(0, failures - 1)))


def _email_managers_after_commit(subscription, kind):
    from events.tasks import send_calendar_sync_email

    pk = subscription.pk
    transaction.on_commit(lambda: send_calendar_sync_email.enqueue(pk, kind))


@transaction.atomic
def _record_failure(subscription, message, now):
    subscription = CalendarSubscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.failures += 1
    subscription.last_error = str(message)
    subscription.last_attempt_at = now
    subscription.next_attempt_at = now + backoff_delay(subscription.failures)
    subscription.save(update_fields=["failures", "last_error", "last_attempt_at", "next_attempt_at"])
    if subscription.failures == 1:
        _email_managers_after_commit(subscription, "failed")
    return subscription


def _record_success(subscription, report, fetched, now):
    recovered = subscription.failures > 0
    subscription.failures = 0
    subscription.last_error = ""
    subscription.last_attempt_at = subscription.last_success_at = now
    subscription.next_attempt_at = now + timedelta(minutes=_setting("EVENTS_SYNC_INTERVAL_MINUTES", 60))
    if report is not None:
        subscription.last_report = report.as_text()
    fields = [
        "failures",
        "last_error",
        "last_attempt_at",
        "last_success_at",
        "next_attempt_at",
        "last_report",
    ]
    if fetched is not None:
        subscription.etag, subscription.last_modified = fetched.etag, fetched.last_modified
        fields += ["etag", "last_modified"]
    subscription.save(update_fields=fields)
    if recovered:
        _email_managers_after_commit(subscription, "recovered")


def sync_subscription(subscription, *, now=None):
    """Fetch, parse and apply one feed. Returns the SyncReport, or ``None`` (not modified / failed)."""
    now = now or timezone.now()
    try:
        fetched = fetch_feed(
            subscription.url, etag=subscription.etag, last_modified=subscription.last_modified
        )
        if fetched.content is None:  # 304 Not Modified
            with transaction.atomic():
                _record_success(subscription, None, fetched, now)
            return None
        feed_events = parse_for_site(fetched.content, now=now)
        with transaction.atomic():
            report = apply_feed(subscription, feed_events, now=now)
            _record_success(subscription, report, fetched, now)
        return report
    except FeedError as error:
        _record_failure(subscription, error, now)
        return None
    except Exception as error:  # noqa: BLE001 — a broken feed must not stop the other venues' sync
        _record_failure(subscription, _("Erreur inattendue : %(error)s") % {"error": str(error)[:200]}, now)
        return None


def due_subscriptions(*, now=None):
    now = now or timezone.now()
    return (
        CalendarSubscription.objects.filter(is_active=True)
        .exclude(url="")
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .select_related("venue")
    )


def sync_due_calendars(*, now=None, everything=False):
    """Sync every due subscription (``everything``: every active one); one feed's failure stays its own."""
    now = now or timezone.now()
    queryset = (
        CalendarSubscription.objects.filter(is_active=True).exclude(url="").select_related("venue")
        if everything
        else due_subscriptions(now=now)
    )
    results = []
    for subscription in queryset:
        results.append((subscription, sync_subscription(subscription, now=now)))
    return results


@transaction.atomic
def import_calendar_file(venue, content, *, by, publish_mode="draft", now=None):
    """A one-off ``.ics`` upload into ``venue``: same rules as a feed, keyed by UID, nothing cancelled."""
    if not can_manage_subscriptions(by, venue):
        raise NotAllowed(_("Seuls les responsables de ce lieu peuvent importer son agenda."))
    feed_events = parse_for_site(content, now=now)
    subscription, _created = CalendarSubscription.objects.get_or_create(
        venue=venue, url="", defaults={"publish_mode": publish_mode, "is_active": False}
    )
    if subscription.publish_mode != publish_mode:
        subscription.publish_mode = publish_mode
        subscription.save(update_fields=["publish_mode"])
    report = apply_feed(subscription, feed_events, now=now, cancel_missing=False)
    subscription.last_report = report.as_text()
    subscription.last_success_at = now or timezone.now()
    subscription.save(update_fields=["last_report", "last_success_at"])
    return report
