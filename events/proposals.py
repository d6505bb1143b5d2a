"""State changes of event proposals (``/agenda/proposer/``); the services
module of proposals, beside ``events.services`` (the one rule applies).

A proposal is a draft EventPage, under the chosen venue (whose managers may
then moderate it through their venue group's page permissions) or under the
calendar (staff only). A member's proposal is submitted to the proposal
workflow at once; a visitor's once they follow the signed link e-mailed to
them. The workflow's end (``events.signals``) records the decision and
e-mails it, with the reviewer's comment as the reason of a refusal.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events.errors import EmailNotVerified, ServiceError
from events.models import EventIndexPage, EventPage, EventProposal, ProposalModerationTask, ProposalStatus
from events.models.pages import RESERVED_SLUGS
from network.permissions import has_verified_email
from network.sanitize import sanitize_html

CONFIRM_SALT = "events.proposal.confirm"
CONFIRM_MAX_AGE = 2 * 24 * 3600  # seconds a visitor has to confirm their address
WORKFLOW_NAME = "Propositions d'événements"
TASK_NAME = "Modération des propositions"
PAGE_FIELDS = (
    "title", "kind", "summary", "start", "end", "all_day", "repeat", "repeat_interval", "repeat_until",
    "repeat_count", "exception_dates", "venue", "street_address", "commune", "registration_enabled",
    "capacity",
)  # fmt: skip


class InvalidProposal(ServiceError):
    code = "invalid_proposal"


class InvalidConfirmation(ServiceError):
    code = "invalid_confirmation"


def proposal_workflow():
    """The workflow of proposals (created once): one ``ProposalModerationTask``."""
    from wagtail.models import Workflow, WorkflowTask

    task = ProposalModerationTask.objects.filter(active=True).first()
    if task is None:
        task = ProposalModerationTask.objects.create(name=TASK_NAME)
    workflow = Workflow.objects.filter(active=True, workflow_tasks__task=task).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def _signer():
    return signing.TimestampSigner(salt=CONFIRM_SALT)


def confirmation_token(proposal):
    """``<pk>_<timestamp>_<signature>``: Wagtail's page routes take no ``:``, so
    the signer's separators become ``_`` (the id and the base62 timestamp hold
    none; the signature, last, may)."""
    return _signer().sign(str(proposal.pk)).replace(":", "_")


def _unique_slug(parent, title):
    base = slugify(title, allow_unicode=True)[:70] or "evenement"
    if base in RESERVED_SLUGS:
        base = f"{base}-1"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, suffix = base, 1
    while slug in taken:
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug


def _store_image(upload, *, title, venue, by):
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    collection = venue.collection if venue is not None and venue.collection_id else None
    image = get_image_model()(
        title=title[:255],
        file=upload,
        collection=collection or Collection.get_first_root_node(),
        uploaded_by_user=by if by is not None and by.is_authenticated else None,
    )
    image.save()
    return image


def _email_after_commit(proposal, kind):
    from events.tasks import send_proposal_email

    transaction.on_commit(lambda: send_proposal_email.enqueue(proposal.pk, kind))


@transaction.atomic
def propose_event(data, *, by, email="", name=""):
    """A draft event from the public form's ``data`` (cleaned), and its proposal.

    ``by`` a verified member: submitted to moderation now. ``by`` anonymous:
    ``email`` gets a confirmation link first; nothing tells whether an
    account has that address."""
    member = by is not None and by.is_authenticated
    if member and not has_verified_email(by):
        raise EmailNotVerified(_("Confirmez d'abord votre adresse e-mail."))
    venue = data.get("venue")
    parent = venue if venue is not None else EventIndexPage.objects.first()
    if parent is None:
        raise InvalidProposal(_("L'agenda n'existe pas encore : impossible de proposer un événement."))
    fields = {name_: data.get(name_) for name_ in PAGE_FIELDS if name_ in data}
    page = EventPage(
        **fields,
        body=sanitize_html(data.get("description", "")),
        organizer_name=(by.get_full_name() if member else name)[:150],
        live=False,
        owner=by if member else None,
        slug=_unique_slug(parent, data["title"]),
    )
    if data.get("image") is not None:
        page.image = _store_image(data["image"], title=data["title"], venue=venue, by=by)
        page.image_alt = (data.get("image_alt") or "")[:250]
    try:
        parent.add_child(instance=page)
    except ValidationError as error:
        raise InvalidProposal(" ".join(error.messages)) from None
    page.save_revision(user=by if member else None, log_action=True)
    proposal = EventProposal.objects.create(
        page=page,
        proposer=by if member else None,
        name=(by.get_full_name() if member else name)[:150],
        email=by.email if member else email,
        language=(by.language if member else "") or get_language() or "",
    )
    if member:
        _submit(proposal, by=by)
    else:
        _email_after_commit(proposal, "confirm")
    return proposal


def _submit(proposal, *, by):
    proposal.status = ProposalStatus.SUBMITTED
    proposal.confirmed_at = timezone.now()
    proposal.save(update_fields=["status", "confirmed_at"])
    proposal_workflow().start(proposal.page, by if by is not None and by.is_authenticated else None)
    _email_after_commit(proposal, "submitted")


@transaction.atomic
def confirm_proposal(token):
    """A visitor followed their link: the proposal enters moderation (once)."""
    try:
        pk = int(_signer().unsign(":".join(token.split("_", 2)), max_age=CONFIRM_MAX_AGE))
    except (signing.BadSignature, ValueError):  # SignatureExpired included
        raise InvalidConfirmation(_("Ce lien de confirmation n'est pas valable ou a expiré.")) from None
    proposal = EventProposal.objects.select_for_update().select_related("page").filter(pk=pk).first()
    if proposal is None:
        raise InvalidConfirmation(_("Ce lien de confirmation n'est pas valable ou a expiré."))
    if proposal.status == ProposalStatus.UNCONFIRMED:
        _submit(proposal, by=None)
    return proposal


@transaction.atomic
def record_proposal_decision(page, *, approved, reason="", by=None):
    """The proposal workflow ended on ``page``: store the decision, e-mail it after the commit.

    Called by the workflow signals; a page that is no proposal is left alone."""
    proposal = EventProposal.objects.select_for_update().filter(page_id=page.pk).first()
    if proposal is None or proposal.status == ProposalStatus.UNCONFIRMED:
        return None
    status = ProposalStatus.APPROVED if approved else ProposalStatus.REJECTED
    if proposal.status == status:
        return proposal
    proposal.status = status
    proposal.reason = "" if approved else (reason or "").strip()
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "reason", "decided_at"])
    _email_after_commit(proposal, "approved" if approved else "rejected")
    return proposal


def delete_unconfirmed_proposals(*, now=None):
    """Delete the visitors' proposals whose address was never confirmed
    ``conf.unconfirmed_proposal_days()`` after they were made, with their draft
    page (created with the proposal) and the image uploaded with it. Confirmed
    proposals are never touched. Returns the number deleted.

    Run daily (``manage.py erase_visitor_data``); the confirmation link itself
    is dead after ``CONFIRM_MAX_AGE``, and a deleted proposal's link says so."""
    from datetime import timedelta

    from wagtail.actions.delete_page import DeletePageAction

    from events import conf

    now = now or timezone.now()
    cutoff = now - timedelta(days=conf.unconfirmed_proposal_days())
    due = EventProposal.objects.filter(status=ProposalStatus.UNCONFIRMED, created_at__lt=cutoff)
    deleted = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            proposal = due.select_for_update(skip_locked=True).select_related("page").filter(pk=pk).first()
            if proposal is None:  # confirmed (or deleted) meanwhile
                continue
            page = proposal.page
            image = page.image
            # The page's deletion takes the proposal with it (``on_delete=CASCADE``).
            DeletePageAction(page).execute(skip_permission_checks=True)
            if image is not None and not EventPage.objects.filter(image=image).exists():
                image.delete()
            deleted += 1
    return deleted
