"""Signed one-click unsubscribe tokens of the site's recurring e-mails (RFC 8058).

A token is the member's id signed with the site's secret and a *salt* that
names the e-mail it unsubscribes from (the discussion digest, the weekly
digest of what a member follows...): one e-mail's token never unsubscribes
from another. No row is stored; the link keeps working until the secret
changes.
"""

from django.core import signing


def unsubscribe_token(user, *, salt):
    return signing.Signer(salt=salt).sign(str(user.pk))


def user_id_from_token(token, *, salt):
    """The user id a token was made for with ``salt``, or ``None`` when it was tampered with."""
    try:
        return int(signing.Signer(salt=salt).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
