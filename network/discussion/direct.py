"""Direct conversations and blocks: services too (re-exported by ``services``).

A direct conversation is a room of kind ``direct`` whose members are fixed
when it starts (two to ``MAX_MEMBERS`` verified members). It is stored,
numbered, broadcast and replayed like any room; only its members read it
(staff included: they see a reported message on the moderation screen only).
The same members (in the same context) always find the same conversation.
"""

import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from network.discussion.errors import NotAllowed
from network.discussion.models import Block, Room, RoomMembership
from network.discussion.permissions import is_verified

MAX_MEMBERS = 8  # the one who starts included


class NotReachable(NotAllowed):
    """A recipient missing, inactive or unverified (all answered alike)."""

    code = "not_reachable"


class TooManyMembers(NotAllowed):
    code = "too_many"


def direct_key(user_ids, context=""):
    """The key of the conversation between ``user_ids`` in ``context`` (see ``Room.direct_key``)."""
    return f"{context}|{','.join(str(pk) for pk in sorted(set(user_ids)))}"


def find_direct_conversation(user_ids, *, context=""):
    """The existing conversation between exactly these members in ``context``, or ``None``."""
    return Room.objects.filter(direct_key=direct_key(user_ids, context)).first()


def _recipients(members, by):
    ids = {member.pk for member in members} - {by.pk}
    users = list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("display_name"))
    if not ids or len(users) != len(ids) or not all(is_verified(user) for user in users):
        raise NotReachable(_("Ce membre ne peut pas recevoir de message."))
    if len(ids) + 1 > MAX_MEMBERS:
        raise TooManyMembers(
            _("Une conversation réunit au plus %(max)s membres, vous compris.") % {"max": MAX_MEMBERS}
        )
    return users


def check_can_write_to(users, *, by):
    """Refuse a conversation between ``by`` and ``users`` when a block stands between them."""
    theirs = Block.objects.filter(blocker__in=users, blocked=by).select_related("blocker").first()
    if theirs is not None:
        raise NotAllowed(
            _("Vous ne pouvez pas écrire à %(name)s.") % {"name": theirs.blocker.display_name},
            code="blocked",
        )
    mine = Block.objects.filter(blocker=by, blocked__in=users).select_related("blocked").first()
    if mine is not None:
        raise NotAllowed(
            _("Vous avez bloqué %(name)s : débloquez ce membre pour lui écrire.")
            % {"name": mine.blocked.display_name},
            code="you_blocked",
        )


def start_direct_conversation(members, *, by, context="", description=""):
    """The conversation of ``by`` with ``members`` (users), started now or found
    again; returns ``(room, created)``.

    ``context`` keeps apart conversations of the same members started from
    somewhere else (an opaque key the calling app gives, e.g. ``"venue:<pk>"``,
    with its ``description``).
    Refused (``NotAllowed``) for an unverified author, a recipient who cannot
    receive messages, more than ``MAX_MEMBERS`` members, or a block.
    """
    from network.discussion.services import check_rate_limit

    if not is_verified(by):
        raise NotAllowed(_("Confirmez votre adresse e-mail pour écrire aux membres."), code="unverified")
    users = _recipients(members, by)
    check_can_write_to(users, by=by)
    key = direct_key([by.pk, *(user.pk for user in users)], context)
    existing = Room.objects.filter(direct_key=key).first()
    if existing is not None:
        return existing, False
    check_rate_limit(by)
    names = ", ".join(user.display_name for user in [by, *users])
    try:
        with transaction.atomic():
            room = Room.objects.create(
                slug=f"conversation-{secrets.token_hex(8)}",
                title=names[:120],
                description=(description or "")[:300],
                kind=Room.Kind.DIRECT,
                visibility=Room.Visibility.MEMBERS,
                created_by=by,
                direct_key=key,
            )
            RoomMembership.objects.bulk_create(
                [RoomMembership(room=room, user=user) for user in [by, *users]]
            )
    except IntegrityError:
        # The same conversation started at the same moment elsewhere: join it.
        return Room.objects.get(direct_key=key), False
    return room, True


def _check_other_member(member, by):
    if not is_verified(by):
        raise NotAllowed(_("Confirmez votre adresse e-mail pour bloquer un membre."), code="unverified")
    if member.pk == by.pk:
        raise NotAllowed(_("Vous ne pouvez pas vous bloquer vous-même."), code="self")


@transaction.atomic
def block_member(member, *, by):
    """``by`` blocks ``member`` (idempotent); returns ``(block, created)``."""
    _check_other_member(member, by)
    return Block.objects.get_or_create(blocker=by, blocked=member)


@transaction.atomic
def unblock_member(member, *, by):
    """``by`` lifts their block of ``member`` (idempotent); returns whether one was lifted."""
    _check_other_member(member, by)
    return bool(Block.objects.filter(blocker=by, blocked=member).delete()[0])
