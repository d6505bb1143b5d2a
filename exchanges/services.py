"""State changes of needs and offers (the one rule: views and forms call these).

Every function checks who acts (``by``) itself: forms validate input, but a
service called from elsewhere (a command, a test) keeps the same rules.
E-mails leave after the commit only.
"""

from dateutil.relativedelta import relativedelta
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from exchanges.errors import AlreadyReported, EmailNotVerified, InvalidPost, NotAllowed, PostNotOpen
from exchanges.models import Post, PostState, Report
from exchanges.permissions import post_policy
from exchanges.vocabulary import DEFAULT_DURATION_MONTHS, MAX_DURATION_MONTHS, REMINDER_DAYS, Category, Kind
from network.permissions import has_verified_email
from network.sanitize import sanitize_html

POST_FIELDS = ("kind", "category", "title", "description", "commune", "venue", "expires_on")


def default_expiry(today=None):
    return (today or timezone.localdate()) + relativedelta(months=DEFAULT_DURATION_MONTHS)


def latest_expiry(today=None):
    return (today or timezone.localdate()) + relativedelta(months=MAX_DURATION_MONTHS)


def expiry_error(day):
    """Why ``day`` cannot be an expiry date (translated), or ``None``."""
    today = timezone.localdate()
    if day < today:
        return _("Choisissez une date d'expiration à venir.")
    if day > latest_expiry(today):
        return _(
            "Une annonce reste en ligne %(months)s mois au plus : choisissez une date avant le %(date)s."
        ) % {
            "months": MAX_DURATION_MONTHS,
            "date": date_format(latest_expiry(today), "DATE_FORMAT"),
        }
    return None


def _require_member(user):
    if not has_verified_email(user):
        raise EmailNotVerified(_("Confirmez d'abord votre adresse e-mail."))


def _require_author(post, user):
    if not (user.is_authenticated and post.author_id == user.pk):
        raise NotAllowed(_("Seule la personne qui a publié l'annonce peut la modifier."))


def _clean_fields(data, *, by):
    """The post's fields from ``data``, checked again here (a form is not the only caller)."""
    from members.services import venues_managed_by

    fields = {name: data[name] for name in POST_FIELDS if name in data}
    if fields.get("kind") not in Kind.values or fields.get("category") not in Category.values:
        raise InvalidPost(_("Choisissez un type et une catégorie de la liste."))
    fields["title"] = " ".join(str(fields.get("title", "")).split())[:120]
    fields["description"] = sanitize_html(fields.get("description", "")).strip()
    if not fields["title"] or not fields["description"]:
        raise InvalidPost(_("Indiquez un titre et une description."))
    if fields.get("commune") is None:
        raise InvalidPost(_("Choisissez une commune."))
    venue = fields.get("venue")
    if venue is not None and not venues_managed_by(by).filter(pk=venue.pk).exists():
        raise NotAllowed(_("Vous ne pouvez lier l'annonce qu'à un lieu que vous gérez."))
    expires_on = fields.get("expires_on") or default_expiry()
    error = expiry_error(expires_on)
    if error:
        raise InvalidPost(error)
    fields["expires_on"] = expires_on
    return fields


@transaction.atomic
def publish_post(data, *, by):
    """A verified member publishes a need or an offer; it is listed at once."""
    _require_member(by)
    return Post.objects.create(**_clean_fields(data, by=by), author=by)


def _locked(post):
    return Post.objects.select_for_update().get(pk=post.pk)


@transaction.atomic
def update_post(post, data, *, by):
    """The author edits their post (not once staff hid it)."""
    _require_author(post, by)
    post = _locked(post)
    if post.hidden:
        raise PostNotOpen(_("L'équipe du réseau a masqué cette annonce : elle ne peut plus être modifiée."))
    if post.closed_at is not None:
        raise PostNotOpen(_("Cette annonce est clôturée."))
    for name, value in _clean_fields(data, by=by).items():
        setattr(post, name, value)
    post.save()
    return post


@transaction.atomic
def renew_post(post, *, by):
    """The author keeps their post online ``DEFAULT_DURATION_MONTHS`` more from today
    (expired ones come back to the list)."""
    _require_author(post, by)
    post = _locked(post)
    if post.state in (PostState.HIDDEN, PostState.CLOSED):
        raise PostNotOpen(_("Seule une annonce en ligne ou expirée peut être prolongée."))
    post.expires_on = max(post.expires_on, default_expiry())
    post.save(update_fields=["expires_on", "updated"])
    return post


@transaction.atomic
def close_post(post, *, by):
    """The author says the need is met or the offer taken: the post leaves the list."""
    _require_author(post, by)
    post = _locked(post)
    if post.closed_at is None:
        post.closed_at = timezone.now()
        post.save(update_fields=["closed_at", "updated"])
    return post


@transaction.atomic
def hide_post(post, *, by, reason="", hidden=True):
    """Staff hide a post (it leaves the list, its page says so) or put it back.
    Hiding resolves the post's open reports."""
    if not post_policy.user_has_permission(by, "change"):
        raise NotAllowed(_("Seule l'équipe du réseau modère les annonces."))
    post = _locked(post)
    post.hidden = hidden
    post.hidden_reason = reason.strip()[:500] if hidden else ""
    post.hidden_at = timezone.now() if hidden else None
    post.hidden_by = by if hidden else None
    post.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by", "updated"])
    if hidden:
        post.reports.filter(resolved=False).update(resolved=True)
    return post


@transaction.atomic
def dismiss_reports(post, *, by):
    if not post_policy.user_has_permission(by, "change"):
        raise NotAllowed(_("Seule l'équipe du réseau modère les annonces."))
    return post.reports.filter(resolved=False).update(resolved=True)


@transaction.atomic
def report_post(post, *, by, reason):
    """A member tells staff that a post breaks the rules (once per post)."""
    _require_member(by)
    reason = " ".join(str(reason).split())[:500]
    if not reason:
        raise InvalidPost(_("Dites en quelques mots ce qui ne va pas."))
    report, created = Report.objects.get_or_create(post=post, reporter=by, defaults={"reason": reason})
    if not created:
        raise AlreadyReported(_("Vous avez déjà signalé cette annonce."))
    return report


def contact_author(post, *, by, message, share_email=False):
    """A member writes to the author of an open post through the site.

    The author gets the message and the sender's name by e-mail; neither
    address is shown to the other unless the sender ticks ``share_email``
    (then the e-mail carries it and answers go to it, ``Reply-To``).

    The relay is the fallback of a direct conversation (``exchanges.contact``).
    An author who blocked ``by`` gets nothing, and ``by`` is told nothing
    different: the block is kept without being revealed."""
    from exchanges.contact import author_blocked
    from exchanges.tasks import send_contact_email

    _require_member(by)
    if post.author_id == by.pk:
        raise NotAllowed(_("C'est votre propre annonce."))
    if not post.is_open:
        raise PostNotOpen(_("Cette annonce n'est plus en ligne."))
    message = str(message).strip()
    if not message:
        raise InvalidPost(_("Écrivez votre message."))
    if author_blocked(post, by=by):
        return
    transaction.on_commit(lambda: send_contact_email.enqueue(post.pk, by.pk, message, bool(share_email)))


@transaction.atomic
def send_expiry_reminders(today=None):
    """E-mail the author of each listed post that expires within ``REMINDER_DAYS``
    days, once per expiry date (a renewed post is reminded again). The ids reminded."""
    from datetime import timedelta

    from exchanges.tasks import send_expiry_reminder

    today = today or timezone.localdate()
    due = (
        Post.objects.listed()
        .filter(expires_on__lte=today + timedelta(days=REMINDER_DAYS))
        .exclude(reminded_for=models.F("expires_on"))
        .select_for_update(skip_locked=True)
    )
    reminded = list(due.values_list("pk", flat=True))
    Post.objects.filter(pk__in=reminded).update(reminded_for=models.F("expires_on"))
    for pk in reminded:
        transaction.on_commit(lambda pk=pk: send_expiry_reminder.enqueue(pk))
    return reminded
