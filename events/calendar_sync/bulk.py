"""The sync's page writes for a whole feed at once: what ``page.save_revision()`` and
``revision.publish()`` do to each page, in a few queries per feed rather than
fifty per page (a 2,000-event feed in ≤ 30 s: ``bench/calendar_sync_bench.py``).

The pages are the EventPages the sync owns: not aliases, no comments, no
workflow, no scheduled publication (``go_live_at``), no registrations (a page
edited on the site detaches first). Wagtail's publication then comes to: the
page row holds the revision's content, ``live`` with that revision as
``live_revision``, a ``wagtail.publish`` log entry and the search index. The
``page_published`` signal is not sent; what its receivers in this project do
is done here for every page at once: the event's room, occurrences, SEQUENCE
and notices (``events.services.publish_event``) and the content generation
(``members.freshness.content_changed``).
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from wagtail.models import Page, PageLogEntry, Revision

from events.models import EventExtraDate, EventPage, Occurrence, Registration
from events.recurrence import plan_regeneration
from events.vocabulary import EventStatus, OccurrenceStatus
from members.freshness import content_changed

# what ``calendar_sync.services._fill_page`` writes, besides the extra dates
CONTENT_FIELDS = [
    "title",
    "draft_title",
    "summary",
    "body",
    "start",
    "end",
    "all_day",
    "status",
    "search_document",
]
REVISION_FIELDS = ["latest_revision", "latest_revision_created_at", "has_unpublished_changes"]
PUBLISH_FIELDS = ["live", "live_revision", "first_published_at", "last_published_at", "expired"]
# rows per UPDATE of bulk_update: its CASE per column costs rows x rows in the database
BATCH = 100


def _log(pages, action, now):
    page_type = ContentType.objects.get_for_model(EventPage)
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                page_id=page.pk,
                content_type=page_type,
                label=page.draft_title or page.title,
                action=action,
                timestamp=now,
                data={},
                user=None,
                revision_id=page.latest_revision_id,
                content_changed=True,
            )
            for page in pages
        ]
    )


def index(pages):
    """The pages' search entries, by the task worker once the sync has committed."""
    from events.tasks import index_event_pages

    ids = [page.pk for page in pages]
    if ids:
        transaction.on_commit(lambda: index_event_pages.enqueue(ids))


def publish_new_pages(pages, *, now):
    """Publish drafts just made by ``members.services.insert_draft_pages`` and
    ``record_draft_revisions`` (their rows already hold their one revision's content)."""
    if not pages:
        return
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        live=True,
        has_unpublished_changes=False,
        live_revision=F("latest_revision"),
        first_published_at=Coalesce("first_published_at", Value(now)),
        last_published_at=now,
        expired=False,
    )
    for page in pages:
        page.live, page.has_unpublished_changes, page.expired = True, False, False
        page.live_revision_id = page.latest_revision_id
        page.first_published_at = page.first_published_at or now
        page.last_published_at = now
    _log(pages, "wagtail.publish", now)
    index(pages)
    after_publish(pages, now=now)


def revise_pages(pages, *, now):
    """A new revision of each page (its new content in memory, from ``with_content_json``);
    the live ones are published with it, the drafts stay drafts (as ``_update`` did one by one)."""
    if not pages:
        return
    page_type = ContentType.objects.get_for_model(EventPage)
    base_type = ContentType.objects.get_for_model(Page)
    for page in pages:
        page.draft_title = page.title
        page.search_document = page.build_search_document()
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=page_type,
                base_content_type=base_type,
                object_id=str(page.pk),
                user=None,
                created_at=now,
                content=page.serializable_data(),
                object_str=str(page)[:255],
            )
            for page in pages
        ]
    )
    live, drafts = [], []
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.latest_revision_created_at = now
        page.has_unpublished_changes = not page.live
        (live if page.live else drafts).append(page)
    # A draft that was never published keeps its row equal to its latest revision (nothing
    # public reads it; the search index and the next sync do); one that was unpublished keeps
    # its row (its last live content), as Wagtail's save_revision does.
    unborn = [page for page in drafts if page.live_revision_id is None]
    EventPage.objects.bulk_update(unborn, CONTENT_FIELDS + REVISION_FIELDS, batch_size=BATCH)
    EventPage.objects.bulk_update(
        [page for page in drafts if page.live_revision_id is not None],
        ["draft_title", *REVISION_FIELDS],
        batch_size=BATCH,
    )
    _log(drafts, "wagtail.edit", now)
    for page in live:
        page.live_revision = page.latest_revision
        page.last_published_at = now
        page.expired = False
    EventPage.objects.bulk_update(live, CONTENT_FIELDS + REVISION_FIELDS + PUBLISH_FIELDS, batch_size=BATCH)
    rewritten = live + unborn
    EventExtraDate.objects.filter(page_id__in=[page.pk for page in rewritten]).delete()
    EventExtraDate.objects.bulk_create(
        [
            EventExtraDate(page_id=page.pk, start=extra.start, end=extra.end, sort_order=number)
            for page in rewritten
            for number, extra in enumerate(page.extra_dates.all())
        ]
    )
    index(unborn)
    if live:
        _log(live, "wagtail.publish", now)
        index(live)
        after_publish(live, now=now)


# -- what publish_event does, for many pages --------------------------------------


def _rooms(pages):
    from events.services import EVENT_ROOM_VISIBILITY
    from network.discussion.models import Room
    from network.discussion.services import create_rooms

    roomless = [page for page in pages if not page.room_id]
    if not roomless:
        return
    rooms = create_rooms(
        kind=Room.Kind.EVENT,
        visibility=EVENT_ROOM_VISIBILITY,
        titles=[page.title for page in roomless],
        descriptions=[page.summary for page in roomless],
    )
    for page, room in zip(roomless, rooms, strict=True):
        page.room = room
    EventPage.objects.bulk_update(roomless, ["room"], batch_size=BATCH)


def _occurrences(pages, now):
    """``regenerate_occurrences`` for every page: one read, one delete, one update, one insert.
    The sync never changes a capacity, so no waiting list moves."""
    from events.services import regeneration_rows, wanted_slots

    existing = defaultdict(list)
    for occ in (
        Occurrence.objects.filter(event_id__in=[page.pk for page in pages])
        .with_counts()
        .order_by("start", "pk")
    ):
        existing[occ.event_id].append(occ)
    delete, update, create = [], [], []
    for page in pages:
        plan = plan_regeneration(regeneration_rows(existing[page.pk], now), wanted_slots(page, now=now))
        delete += plan.delete
        update += [Occurrence(pk=pk, end=end, all_day=page.all_day) for pk, _key, end in plan.update]
        create += [
            Occurrence(event_id=page.pk, start=start, end=end, all_day=page.all_day, capacity=page.capacity)
            for start, end in plan.create
        ]
    Occurrence.objects.filter(pk__in=delete).delete()
    Occurrence.objects.bulk_update(update, ["end", "all_day"], batch_size=BATCH)
    Occurrence.objects.bulk_create(create)


def _sequences_and_notices(pages, now):
    from events.services import _email_after_commit, _fingerprints

    practical_changed = {}
    for page in pages:
        practical, content = _fingerprints(page)
        previous = page.notice_fingerprint.split(":") if page.notice_fingerprint else []
        if previous and previous[1] != content:
            page.sequence += 1
        if previous and previous[0] != practical:
            practical_changed[page.pk] = "cancelled" if page.status == EventStatus.CANCELLED else "changed"
        page.notice_fingerprint = f"{practical}:{content}"
    EventPage.objects.bulk_update(pages, ["sequence", "notice_fingerprint"], batch_size=BATCH)
    if practical_changed:
        by_kind = defaultdict(list)
        for pk, event_id in (
            Registration.objects.active()
            .filter(occurrence__event_id__in=list(practical_changed), occurrence__end__gte=now)
            .values_list("pk", "occurrence__event_id")
        ):
            by_kind[practical_changed[event_id]].append(pk)
        for kind, ids in by_kind.items():
            _email_after_commit(ids, kind)


def after_publish(pages, *, now):
    _rooms(pages)
    _occurrences(pages, now)
    _sequences_and_notices(pages, now)
    content_changed()


def cancel_occurrences(starts_by_page):
    """Occurrences the feed marks cancelled (STATUS:CANCELLED on a RECURRENCE-ID): ``{page_pk: [start]}``."""
    condition = Q()
    for page_pk, starts in starts_by_page.items():
        if starts:
            condition |= Q(event_id=page_pk, start__in=starts)
    if condition:
        Occurrence.objects.filter(condition).exclude(status=OccurrenceStatus.CANCELLED).update(
            status=OccurrenceStatus.CANCELLED, sequence=F("sequence") + 1
        )
