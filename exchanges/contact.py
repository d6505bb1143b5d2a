"""Contacting a post's author: a direct conversation, or the e-mail relay when none is possible.

The discussion space starts (or finds again) the conversation and knows no
post; the post only gives its context (one conversation per post and pair of
members), its description and the first message's opening line.
"""

from django.utils.translation import gettext as _

from network.permissions import has_verified_email


class Channel:
    DIRECT = "direct"  # a direct conversation with the author
    RELAY = "relay"  # the e-mail relay: the author cannot be written to directly
    YOU_BLOCKED = "you_blocked"  # the sender blocked the author: they unblock first


def contact_channel(post, *, by):
    """How ``by`` (a verified member, not the author) writes to ``post``'s author.

    The relay when the author cannot receive direct messages (account
    inactive or e-mail unverified) or blocked ``by``: both cases look the same
    to ``by``, so a block is never revealed. The blocks are the discussion
    space's own check (``check_can_write_to``)."""
    from network.discussion.direct import check_can_write_to
    from network.discussion.errors import NotAllowed

    try:
        check_can_write_to([post.author], by=by)
    except NotAllowed as refusal:
        return Channel.YOU_BLOCKED if refusal.code == "you_blocked" else Channel.RELAY
    if not post.author.is_active or not has_verified_email(post.author):
        return Channel.RELAY
    return Channel.DIRECT


def author_blocked(post, *, by):
    from network.discussion.models import Block

    return Block.objects.filter(blocker_id=post.author_id, blocked=by).exists()


def post_context(post):
    """Keeps a conversation about this post apart from any other between the same members."""
    return f"exchange:{post.pk}"


def post_description(post):
    return (_("À propos de l'annonce « %(title)s »") % {"title": post.title})[:300]


def first_message(post, url):
    """The opening line the form starts with (the member completes or changes it)."""
    line = _("Bonjour, je vous écris au sujet de votre annonce « %(title)s » : %(url)s")
    return line % {"title": post.title, "url": url} + "\n\n"
