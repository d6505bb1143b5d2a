"""State changes of members and their accounts."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.freshness import content_changed
from members.permissions import claim_policy, import_policy
from network.discussion.models import Room
from network.errors import NotAllowed, ServiceError
from network.permissions import STAFF_PERMISSION, has_verified_email

PROFILE_FIELDS = ("display_name", "bio", "commune", "avatar", "language")


@transaction.atomic
def update_profile(user, data, *, by):
    """Apply validated profile ``data`` to ``user``; only the member edits their profile."""
    if by.pk != user.pk:
        raise NotAllowed("Only the member may edit their own profile.")
    for field in PROFILE_FIELDS:
        if field in data:
            value = data[field]
            if field == "avatar" and value is False:  # "clear" ticked
                user.avatar.delete(save=False)
                value = ""
            elif field == "avatar" and value is None:
                continue
            setattr(user, field, value)
    user.save()
    return user


# What the "Équipe du réseau" group may do ("app_label.codename"): each staff
# screen and action checks its own permission (the apps' ``permissions.py``),
# never the group's name. Migration 0017 grants the same to an existing group.
STAFF_PERMISSIONS = (
    "wagtailadmin.access_admin",
    STAFF_PERMISSION,
    "members.view_venueclaim",
    "members.change_venueclaim",
    "members.view_venueimport",
    "members.add_venueimport",
    "mentoring.view_mentoringrequest",
    "mentoring.add_proposal",
    "mentoring.change_proposal",
    "exchanges.view_post",
    "exchanges.change_post",
)


def staff_permissions():
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    wanted = Q(pk__in=[])
    for name in STAFF_PERMISSIONS:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(wanted)


def ensure_staff_group():
    """The "Équipe du réseau" group: the staff's permissions and every right on the site's pages."""
    from django.conf import settings
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
    group.permissions.add(
        *staff_permissions(),
        # translating content pages in the admin (docs/i18n.md; migration home/0005)
        Permission.objects.get(content_type__app_label="simple_translation", codename="submit_translation"),
    )
    home = Page.get_first_root_node()
    if home is not None:
        for codename in (
            "add_page",
            "change_page",
            "publish_page",
            "bulk_delete_page",
            "lock_page",
            "unlock_page",
        ):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=home,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for action in ("add", "change", "choose", "delete"):
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    ),
                )
    return group


# -- venues ------------------------------------------------------------------

VENUE_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
VENUE_IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")
GROUP_NAME_MAX = 150


class EmailNotVerified(ServiceError):
    code = "email_not_verified"


class AlreadyManager(ServiceError):
    code = "already_manager"


class DuplicateClaim(ServiceError):
    code = "duplicate_claim"


class ClaimNotPending(ServiceError):
    code = "claim_not_pending"


class InvalidClaim(ServiceError):
    code = "invalid_claim"


def _require(by, policy, action):
    """``by`` may take ``action`` under ``policy`` (``members.permissions``)."""
    if by is None or not policy.user_has_permission(by, action):
        raise NotAllowed(_("Seule l'équipe du réseau peut faire cela."))


def venue_index():
    from members.models import VenueIndexPage

    index = VenueIndexPage.objects.first()
    if index is None:
        raise ServiceError("There is no VenueIndexPage to hold venues.", code="no_venue_index")
    return index


def _apply_fields(venue, fields):
    tags = fields.pop("tags", None)
    opening_hours = fields.pop("opening_hours", None)
    gallery = fields.pop("gallery", None)
    for name, value in fields.items():
        setattr(venue, name, value)
    if tags is not None:
        venue.tags.set(tags, clear=True)
    if opening_hours is not None:
        from members.models import OpeningHours

        venue.opening_hours = [OpeningHours(**row) for row in opening_hours]
    if gallery is not None:
        from members.models import VenueGalleryImage
        from members.models.venues import GALLERY_ALT_REQUIRED

        if any(not (row.get("alt_text") or "").strip() for row in gallery):
            raise ServiceError(GALLERY_ALT_REQUIRED, code="gallery_alt_required")
        venue.gallery_images = [VenueGalleryImage(**row) for row in gallery]


@transaction.atomic
def create_venue(fields, *, by, publish=False, parent=None):
    """Create a VenuePage under the directory from plain ``fields``; a draft unless ``publish``.

    ``fields`` holds model fields plus optional ``tags`` (names),
    ``opening_hours`` and ``gallery`` (dicts: ``image``, ``alt_text``, which
    is required, ``caption``). The first revision is authored by ``by``.
    """
    from members.models import VenuePage

    fields = dict(fields)
    parent = parent or venue_index()
    venue = VenuePage(title=fields.pop("title"), live=False)
    _apply_fields(venue, fields)
    parent.add_child(instance=venue)
    ensure_venue_room(venue)
    revision = venue.save_revision(user=by, log_action=True)
    if publish:
        revision.publish(user=by)
    return venue


def _tree_step(number, model):
    """The path step of the ``number``-th child (from 1) in treebeard's materialised path:
    ``number`` written in the model's ``alphabet``, ``steplen`` characters long."""
    alphabet, digits = model.alphabet, ""
    while number:
        number, digit = divmod(number, len(alphabet))
        digits = alphabet[digit] + digits
    if len(digits) > model.steplen:
        raise ServiceError("The parent page has no room for more children.", code="tree_full")
    return digits.rjust(model.steplen, alphabet[0])


def _step_number(path, model):
    number = 0
    for char in path[-model.steplen :]:
        number = number * len(model.alphabet) + model.alphabet.index(char)
    return number


def _free_slugs(titles, parent):
    """A slug per title, unique among ``parent``'s children, as Wagtail makes them (``-2``, ``-3``…)."""
    from django.conf import settings
    from django.utils.text import slugify

    from members.models.venues import RESERVED_SLUGS

    allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    taken = set(RESERVED_SLUGS) | set(parent.get_children().values_list("slug", flat=True))
    slugs = []
    for title in titles:
        base = slugify(title, allow_unicode=allow_unicode)[:240] or "lieu"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


@transaction.atomic
def create_draft_venues(records, *, by, parent=None):
    """Create many draft venues at once (an import); the list of VenuePages.

    Each gets what ``create_venue`` gives a draft (its page under the
    directory, its discussion room, tags, search document and search index
    entry, a first revision authored by ``by`` with its log entry), in a few
    queries per venue instead of some sixty: the pages' tree paths are
    allocated in one go under a lock of the parent. ``records`` are
    ``create_venue`` fields plus ``source`` and ``source_id``; nothing is
    published, so the content generation does not change.
    """
    from modelcluster.models import get_all_child_relations
    from taggit.models import Tag

    from members.models import VenuePage, VenueTag
    from network.discussion.services import create_rooms

    if not records:
        return []
    parent = lock_parent(parent or venue_index())
    records = [dict(record) for record in records]
    titles = [record.pop("title") for record in records]
    rooms = create_rooms(kind=Room.Kind.VENUE, visibility=VENUE_ROOM_VISIBILITY, titles=titles)
    venues, tag_names = [], []
    for title, slug, record, room in zip(titles, _free_slugs(titles, parent), records, rooms, strict=True):
        tag_names.append(record.pop("tags", None) or [])
        venue = VenuePage(title=title, slug=slug, room=room, **record)
        venue.search_document = venue.build_search_document(tag_names[-1])
        venues.append(venue)
    insert_draft_pages(parent, venues, by=by)
    tags = {}
    for name in sorted({name for names in tag_names for name in names}):
        tags[name] = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)
    tagged = VenueTag.objects.bulk_create(
        [
            VenueTag(content_object=venue, tag=tags[name])
            for venue, names in zip(venues, tag_names, strict=True)
            for name in names
        ]
    )
    by_venue = {}
    for item in tagged:
        by_venue.setdefault(item.content_object_id, []).append(item)
    for venue in venues:
        # A new venue's child objects, in memory, so that its revision takes no query.
        for relation in get_all_child_relations(VenuePage):
            setattr(venue, relation.get_accessor_name(), [])
        venue.tagged_items = by_venue.get(venue.pk, [])
    record_draft_revisions(venues, by=by)
    return venues


def lock_parent(parent):
    """``parent``'s page row, locked until the transaction ends: the children's tree paths are ours."""
    from wagtail.models import Page

    return Page.objects.select_for_update().get(pk=parent.pk)


def insert_draft_pages(parent, pages, *, by):
    """Insert unsaved draft ``pages`` (one model, title and free slug set) under ``parent`` at once.

    ``parent`` comes from ``lock_parent``. The pages' tree paths are
    allocated in one go, their base rows go in one insert, then each page's
    own row (``raw``: its base row exists). No ``save()`` runs, so no signal:
    the caller saves the pages' child objects, then calls
    ``record_draft_revisions``. Nothing is published.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F
    from wagtail.models import Page

    if not pages:
        return pages
    last = parent.get_last_child()
    first_number = _step_number(last.path, Page) + 1 if last is not None else 1
    page_type = ContentType.objects.get_for_model(type(pages[0]))
    now = timezone.now()
    for number, page in enumerate(pages, start=first_number):
        page.draft_title = page.title
        page.path = parent.path + _tree_step(number, Page)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.live = False
        page.has_unpublished_changes = True
        page.content_type = page_type
        page.locale_id = parent.locale_id
        page.owner = by
        page.latest_revision_created_at = now
    page_fields = [field.attname for field in Page._meta.concrete_fields if not field.primary_key]
    bases = Page.objects.bulk_create(
        [Page(**{name: getattr(page, name) for name in page_fields}) for page in pages]
    )
    for page, base in zip(pages, bases, strict=True):
        page.pk = page.id = base.pk
        page.save_base(raw=True, force_insert=True)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return pages


def record_draft_revisions(pages, *, by, index=True):
    """A first revision of each page of ``insert_draft_pages`` (authored by ``by``, with its log
    entry) and its search index entry (unless ``index`` is false: the caller indexes them once it
    has published them), in a few queries. The pages' child objects must be in memory."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast
    from wagtail.models import Page, PageLogEntry, Revision
    from wagtail.search.backends import get_search_backends

    if not pages:
        return pages
    model = type(pages[0])
    page_type = ContentType.objects.get_for_model(model)
    base_type = ContentType.objects.get_for_model(Page)
    now = timezone.now()
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=page_type,
                base_content_type=base_type,
                object_id=str(page.pk),
                user=by,
                created_at=now,
                content=page.serializable_data(),
                object_str=str(page)[:255],
            )
            for page in pages
        ]
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
    own_revision = Revision.objects.filter(
        base_content_type=base_type, object_id=Cast(OuterRef("pk"), CharField())
    ).order_by("-pk")
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision=Subquery(own_revision.values("pk")[:1])
    )
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                page_id=page.pk,
                content_type=page_type,
                label=page.draft_title,
                action="wagtail.edit",
                timestamp=now,
                data={},
                user=by,
                revision=revision,
                content_changed=True,
            )
            for page, revision in zip(pages, revisions, strict=True)
        ]
    )
    if index:
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, pages)
    return pages


@transaction.atomic
def update_venue(venue, fields, *, by):
    """Apply ``fields`` as a new revision; ``(venue, published)``.

    A live venue with no pending draft gets a revision of its live content with
    the changes, published. Otherwise (a manager's draft waiting, or a venue
    never published) the changes are added to the latest draft as a new
    revision that stays unpublished: an import never publishes what nobody
    reviewed.
    """
    venue = type(venue).objects.select_for_update().get(pk=venue.pk)
    if venue.live and not venue.has_unpublished_changes:
        _apply_fields(venue, dict(fields))
        venue.save_revision(user=by, log_action=True).publish(user=by)
        return venue, True
    draft = venue.get_latest_revision_as_object()
    _apply_fields(draft, dict(fields))
    draft.save_revision(user=by, log_action=True)
    return draft, False


def _venue_group_name(venue):
    name = f"Lieu : {venue.title}"[: GROUP_NAME_MAX - 12]
    from django.contrib.auth.models import Group

    if Group.objects.filter(name=name).exclude(venue=venue).exists():
        name = f"{name} (#{venue.pk})"
    return name


def ensure_venue_group(venue):
    """The venue's own group: page rights on its subtree, admin access, its image collection."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    group = venue.manager_group
    if group is None:
        group = Group.objects.create(name=_venue_group_name(venue))
        venue.manager_group = group
    if venue.collection_id is None:
        venue.collection = Collection.get_first_root_node().add_child(name=group.name)
    type(venue).objects.filter(pk=venue.pk).update(manager_group=group, collection=venue.collection)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in VENUE_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=venue.page_ptr,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    for codename in VENUE_IMAGE_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=venue.collection,
            permission=Permission.objects.get(content_type__app_label="wagtailimages", codename=codename),
        )
    return group


# A venue's room is where anyone talks with that venue: every member reads it
# and writes in it from the venue's page; it is listed for those who did, and
# for staff. Its managers moderate it (``derive_room_rights``), staff too.
VENUE_ROOM_VISIBILITY = Room.Visibility.OPEN


def ensure_venue_room(venue):
    """The venue's discussion room (created once), which its managers moderate."""
    from network.discussion.services import create_room

    if venue.room_id is None:
        venue.room = create_room(
            kind=Room.Kind.VENUE, visibility=VENUE_ROOM_VISIBILITY, title=venue.title, by=None
        )
        type(venue).objects.filter(pk=venue.pk).update(room=venue.room)
        if venue.manager_group_id is not None:  # managers named before the room existed
            derive_room_rights(venue.manager_group.user_set.values_list("pk", flat=True))
    return venue.room


@transaction.atomic
def set_offers_mentoring(venue, offers):
    """Set the venue's "offers mentoring" flag, derived from its mentor profile (no page revision).

    Written with ``.update()``, which no signal announces: the directory's
    filter and the exports show it from the next request after the commit.
    """
    if (
        type(venue)
        .objects.filter(pk=venue.pk)
        .exclude(offers_mentoring=offers)
        .update(offers_mentoring=offers)
    ):
        content_changed()
    venue.offers_mentoring = offers


@transaction.atomic
def attach_manager(venue, user, *, by):
    """Make ``user`` a manager of ``venue``: a member of its Wagtail group, which
    lets them edit, publish and lock it and its subpages, and (derived from the
    group, ``derive_room_rights``) moderate its discussion room. Deciding who
    manages a venue is deciding its claims: ``claim_policy``'s "change"."""
    _require(by, claim_policy, "change")
    group = ensure_venue_group(venue)
    ensure_venue_room(venue)
    user.groups.add(group)
    return group


@transaction.atomic
def detach_manager(venue, user, *, by):
    """``user`` leaves the venue's group; their room rights follow (``derive_room_rights``)."""
    _require(by, claim_policy, "change")
    if venue.manager_group_id is not None:
        user.groups.remove(venue.manager_group)


def venues_managed_by(user):
    from members.models import VenuePage

    if not user.is_authenticated:
        return VenuePage.objects.none()
    return VenuePage.objects.filter(manager_group__in=user.groups.all())


@transaction.atomic
def request_venue_claim(data, *, by):
    """A verified member asks to list a new venue (no ``venue``) or to manage an existing one."""
    from members.models import VenueClaim

    if not has_verified_email(by):
        raise EmailNotVerified(_("Confirmez d'abord votre adresse e-mail."))
    venue = data.get("venue")
    if venue is not None:
        if venues_managed_by(by).filter(pk=venue.pk).exists():
            raise AlreadyManager(_("Vous gérez déjà ce lieu."))
        if VenueClaim.objects.pending().filter(user=by, venue=venue).exists():
            raise DuplicateClaim(_("Votre demande pour ce lieu est déjà en attente."))
    elif not (data.get("name") and data.get("commune")):
        raise InvalidClaim(_("Indiquez le nom et la commune du lieu."))
    claim = VenueClaim.objects.create(
        kind=VenueClaim.Kind.CLAIM if venue is not None else VenueClaim.Kind.NEW,
        user=by,
        venue=venue,
        name=data.get("name", "") if venue is None else venue.title,
        commune=data.get("commune") if venue is None else venue.commune,
        street_address=data.get("street_address", ""),
        main_activity=data.get("main_activity", ""),
        website=data.get("website", ""),
        message=(data.get("message") or "").strip(),
    )
    _notify_claim(claim, "submitted")
    return claim


def _lock_pending_claim(claim):
    from members.models import VenueClaim

    claim = VenueClaim.objects.select_for_update().get(pk=claim.pk)
    if not claim.is_pending:
        raise ClaimNotPending(_("Cette demande a déjà été traitée."))
    return claim


@transaction.atomic
def approve_claim(claim, *, by, reason=""):
    """Accept a claim: a "new" one creates the draft VenuePage; the claimant becomes its manager."""
    from members.models import VenueClaim

    _require(by, claim_policy, "change")
    claim = _lock_pending_claim(claim)
    venue = claim.venue
    if claim.kind == VenueClaim.Kind.NEW:
        venue = create_venue(
            {
                "title": claim.name,
                "commune": claim.commune,
                "street_address": claim.street_address,
                "main_activity": claim.main_activity or "autre",
                "website": claim.website,
            },
            by=claim.user,
            publish=False,
        )
        claim.venue = venue
    elif venue is None:
        raise InvalidClaim(_("Le lieu de cette demande n'existe plus."))
    attach_manager(venue, claim.user, by=by)
    claim.status = VenueClaim.Status.APPROVED
    claim.reason = (reason or "").strip()
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save()
    _notify_claim(claim, "approved")
    return claim


@transaction.atomic
def refuse_claim(claim, *, by, reason):
    from members.models import VenueClaim

    _require(by, claim_policy, "change")
    if not (reason or "").strip():
        raise InvalidClaim(_("Indiquez le motif du refus."))
    claim = _lock_pending_claim(claim)
    claim.status = VenueClaim.Status.REFUSED
    claim.reason = (reason or "").strip()
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save()
    _notify_claim(claim, "refused")
    return claim


def _notify_claim(claim, event):
    from members.tasks import send_claim_email

    claim_id = claim.pk
    transaction.on_commit(lambda: send_claim_email.enqueue(claim_id, event))


@dataclass
class ImportOutcome:
    """What applying one row of an import did (``members.importer.Plan``)."""

    line: int
    action: str  # create, update, merge
    title: str
    outcome: str  # created, published, draft, proposed, merged, failed
    detail: str = ""


def _import_steps(plan, lines, merge):
    chosen = (lambda row: row.line in lines) if lines is not None else (lambda row: True)
    merges = [step for step in plan.merges if chosen(step[0]) and (merge or lines is not None)]
    gaps_by_line = {}
    for _row, target, gaps, _reason in merges:
        if isinstance(target, int):
            gaps_by_line.setdefault(target, {}).update(
                (name, value) for name, value in gaps.items() if name not in gaps_by_line.get(target, {})
            )
    steps = [
        ("create", row, {**fields, **gaps_by_line.get(row.line, {})})
        for row, fields in plan.creates
        if chosen(row)
    ]
    steps += [("update", row, (venue, changes)) for row, venue, changes in plan.updates if chosen(row)]
    steps += [("merge", row, (target, gaps)) for row, target, gaps, _reason in merges]
    return steps


def _apply_step(action, row, payload, *, by, publish):
    if action == "create":
        fields = {key: value for key, value in payload.items() if key not in ("source", "source_id")}
        venue = create_venue(fields, by=by, publish=publish)
        type(venue).objects.filter(pk=venue.pk).update(
            source=payload["source"], source_id=payload["source_id"]
        )
        return ImportOutcome(row.line, action, venue.title, "published" if publish else "created")
    target, changes = payload
    if isinstance(target, int):  # folded into the venue the earlier row creates
        return ImportOutcome(row.line, action, row.record["title"], "merged", str(target))
    if not changes:
        return ImportOutcome(row.line, action, target.title, "merged", "")
    venue, published = update_venue(target, changes, by=by)
    outcome = "published" if published else "draft"
    return ImportOutcome(row.line, action, venue.title, outcome, ", ".join(sorted(changes)))


def _create_drafts(steps, *, by):
    """The creations of a batch in one ``create_draft_venues`` call; none when it fails
    (the rows are then created one by one, so the failing one is reported alone)."""
    if not steps:
        return []
    try:
        with transaction.atomic():
            venues = create_draft_venues([payload for _action, _row, payload in steps], by=by)
    except Exception:  # noqa: BLE001 - the rows are retried one at a time
        return []
    return [
        ImportOutcome(row.line, "create", venue.title, "created")
        for (_action, row, _payload), venue in zip(steps, venues, strict=True)
    ]


def import_venues(plan, *, by, publish=False, progress=None, lines=None, merge=False, batch_size=None):
    """Apply an import plan (``members.importer.plan_import``); a list of ``ImportOutcome``.

    ``lines`` restricts it to the rows a person ticked (merge proposals
    included); without it, creations and updates are applied, and merge
    proposals only with ``merge``. New venues are drafts unless ``publish``;
    updates follow ``update_venue`` (never publishing a pending draft). The
    rows are written in transactions of ``batch_size`` rows (all at once by
    default); a row that fails is rolled back alone (savepoint) and reported.
    """
    steps = _import_steps(plan, lines, merge)
    batch_size = batch_size or max(len(steps), 1)
    outcomes = []
    for start in range(0, len(steps), batch_size):
        with transaction.atomic():
            batch = steps[start : start + batch_size]
            creations = [] if publish else [step for step in batch if step[0] == "create"]
            created = _create_drafts(creations, by=by)
            outcomes += created
            done_lines = {outcome.line for outcome in created}
            for done, (action, row, payload) in enumerate(batch, start=start + 1):
                if action == "create" and row.line in done_lines:
                    if progress:
                        progress(done, len(steps))
                    continue
                try:
                    with transaction.atomic():
                        outcomes.append(_apply_step(action, row, payload, by=by, publish=publish))
                except Exception as error:  # noqa: BLE001 - reported per row, the import goes on
                    title = (row.record or {}).get("title", "")
                    outcomes.append(
                        ImportOutcome(row.line, action, title, "failed", f"{type(error).__name__}: {error}")
                    )
                if progress:
                    progress(done, len(steps))
            content_changed()  # besides the publications: the source of created venues, written by .update()
    return outcomes


# -- venue imports from the admin ----------------------------------------------------

IMPORT_BATCH = 200


class ImportNotReady(ServiceError):
    code = "import_not_ready"


@transaction.atomic
def create_venue_import(filename, data, *, by, source="", preview=()):
    """Keep an uploaded venue file with its preview (``members.imports.preview_rows`` of its
    plan, computed once); the caller has checked that it reads."""
    from members.models import VenueImport

    _require(by, import_policy, "add")
    return VenueImport.objects.create(
        filename=filename[:255], data=data, created_by=by, source=source[:20], preview=list(preview)
    )


@transaction.atomic
def start_venue_import(venue_import, lines, *, publish, by):
    """Queue the import of the ticked ``lines`` of a previewed file; it runs in the background."""
    from members.models import VenueImport
    from members.tasks import run_venue_import_task

    _require(by, import_policy, "add")
    venue_import = VenueImport.objects.select_for_update().get(pk=venue_import.pk)
    if venue_import.status != VenueImport.Status.PREVIEW:
        raise ImportNotReady(_("Cet import a déjà été lancé."))
    venue_import.lines = sorted(set(lines))
    venue_import.publish = publish
    venue_import.status = VenueImport.Status.QUEUED
    venue_import.save(update_fields=["lines", "publish", "status"])
    import_id = venue_import.pk
    transaction.on_commit(lambda: run_venue_import_task.enqueue(import_id))
    return venue_import


def run_venue_import(import_id):
    """Apply a queued import (the background task), recording progress and the report.

    Rows are written in batches of ``IMPORT_BATCH``, each in its own
    transaction, so the progress the admin page shows is what is saved.
    """
    from members.importer import ImportFileError
    from members.imports import build_report, plan_data
    from members.models import VenueImport, VenueIndexPage

    imports = VenueImport.objects.filter(pk=import_id)
    venue_import = imports.filter(status=VenueImport.Status.QUEUED).first()
    if venue_import is None:
        return
    imports.update(status=VenueImport.Status.RUNNING, done=0)
    by = venue_import.created_by
    try:
        _source, plan = plan_data(venue_import.data, venue_import.filename)
        lines = set(venue_import.lines)
        if any(row.line in lines for row, _fields in plan.creates) and not VenueIndexPage.objects.exists():
            # Fail loudly, before writing anything.
            raise ServiceError(
                _("Il n'y a pas de page « Les lieux » pour accueillir les nouveaux lieux : créez-la."),
                code="no_venue_index",
            )
        total = len(_import_steps(plan, lines, merge=True))
        imports.update(total=total)

        def progress(done, total):
            if done % IMPORT_BATCH == 0 or done == total:
                imports.update(done=done)

        outcomes = import_venues(
            plan, by=by, publish=venue_import.publish, lines=lines, progress=progress, batch_size=IMPORT_BATCH
        )
    except (ImportFileError, ServiceError) as error:
        imports.update(status=VenueImport.Status.FAILED, error=str(error), finished_at=timezone.now())
        return
    except Exception:
        message = _("L'import s'est interrompu ; les lignes déjà écrites restent enregistrées.")
        imports.update(status=VenueImport.Status.FAILED, error=message, finished_at=timezone.now())
        raise
    report = build_report(plan, lines, outcomes)
    imports.update(status=VenueImport.Status.DONE, report=report, finished_at=timezone.now())


# -- room rights ---------------------------------------------------------------


@transaction.atomic
def derive_room_rights(user_ids):
    """Bring the discussion rights of these users in line with their Wagtail groups
    and their account, whatever changed them (the user admin, a service, a shell).

    The venue's group is the one source of truth of who manages a venue: its
    active members moderate the venue's room, nobody else does. The apps that
    own other rooms (events, mentoring) re-derive theirs on ``roles_changed``.
    After the commit, every open socket of these users checks its room again.
    """
    from members.models import User, VenuePage
    from members.signals import roles_changed
    from network.discussion.models import RoomMembership
    from network.discussion.services import add_room_member, recheck_access

    users = list(User.objects.filter(pk__in=set(user_ids)))
    if not users:
        return
    moderator, member = RoomMembership.Role.MODERATOR, RoomMembership.Role.MEMBER
    for user in users:
        managed = set()
        if user.is_active:
            managed = set(
                VenuePage.objects.filter(manager_group__user=user, room__isnull=False).values_list(
                    "room_id", flat=True
                )
            )
        for room in Room.objects.filter(pk__in=managed):
            add_room_member(room, user, role=moderator)
        RoomMembership.objects.filter(user=user, role=moderator, room__kind=Room.Kind.VENUE).exclude(
            room_id__in=managed
        ).update(role=member)
    roles_changed.send(sender=User, users=users)
    recheck_access([user.pk for user in users])
