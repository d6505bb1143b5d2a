"""Defences of the forms anyone may post (no account needed): a honeypot
field and a per-client rate limit.

- ``HoneypotFormMixin``: put it first in a form's bases. It adds a field
  that people do not see (hidden by CSS, skipped by the keyboard, not
  autofilled) and that naive robots fill in; a form where it holds anything
  is invalid, with a neutral non-field error.
- ``check_rate_limit(request, scope, limit=, window=)``: at most ``limit``
  posts per ``window`` seconds per client address for ``scope``, counted
  with one atomic ``incr`` in the shared cache under ``RATE_KEY``, one of
  ``RATE_LIMIT_KEY_PREFIXES`` (kept in the database while Redis is down).
  Raises ``RateLimited`` (a ``ServiceError`` with ``retry_after``), whose
  message is translated and meant for the form's non-field errors.
- ``window_count(key, window)``: the fixed-window counter both use (the API's
  middleware too, as ``window_count_and_get``: the count and a read of other
  keys in one round trip).

In a view::

    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_rate_limit(request, "propose", limit=5, window=3600)
        except RateLimited as error:
            form.add_error(None, error.message)
        else:
            ...

and in the template, ``{% include "includes/form_fields.html" %}``: the
field's wrapper gets the ``honeypot`` class, which ``css/site.css`` moves
off screen (a template of its own must do the same with ``is_honeypot``).
"""

import math
import time

from allauth.account.adapter import get_adapter
from django import forms
from django.core.cache import cache, caches
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.errors import ServiceError

RATE_KEY = "public:rl:"  # in RATE_LIMIT_KEY_PREFIXES: kept in the database while Redis is down
HONEYPOT_FIELD = "site_web"


class RateLimited(ServiceError):
    code = "rate_limited"

    def __init__(self, message="", *, retry_after=1, code=None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


class HoneypotField(forms.CharField):
    """Empty for people; anything in it makes the form invalid."""

    is_honeypot = True  # includes/form_fields.html hides its wrapper

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Laissez ce champ vide"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "aria-hidden": "true"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        if value:
            raise forms.ValidationError(
                gettext_lazy(
                    "Votre envoi n'a pas pu être accepté. Réessayez sans remplir les champs cachés."
                ),
                code="honeypot",
            )
        return ""


class HoneypotFormMixin:
    """Adds ``HONEYPOT_FIELD`` to the form; a filled one is a non-field error."""

    honeypot_field_name = HONEYPOT_FIELD

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_field_name] = HoneypotField()

    def _post_clean(self):
        super()._post_clean()
        # A robot is told nothing of which field gave it away.
        errors = self.errors.pop(self.honeypot_field_name, None)
        if errors:
            self.add_error(None, errors.as_data())

    @property
    def caught_robot(self):
        """Whether the honeypot was filled in (after ``is_valid()``)."""
        return any(error.code == "honeypot" for error in self.non_field_errors().as_data())


def client_address(request):
    """The client's address as allauth reads it (behind ``ALLAUTH_TRUSTED_PROXY_COUNT`` proxies)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # allauth finds no address to count by: count those together
        return "unknown"


def window_count(key, window):
    """Count one more hit on ``key`` in the current window of ``window`` seconds.

    ``(count, seconds_left)``; ``count`` is None when the cache is down (Redis
    and its database fallback both): no count, so no limit."""
    now = time.time()
    bucket = f"{key}:{int(now // window)}"
    # One round trip for every hit but the window's first: incr, and add only when missing.
    try:
        count = cache.incr(bucket)
    except ValueError:  # the window's first hit (or its key expired)
        if cache.add(bucket, 1, timeout=window + 1):
            count = 1
        else:  # another request added it meanwhile
            try:
                count = cache.incr(bucket)
            except ValueError:
                count = None
    return count, max(1, math.ceil(window - now % window))


def window_count_and_get(key, window, keys):
    """``window_count(key, window)`` and ``cache.get_many(keys)``: ``(count, seconds_left,
    found)``, in one round trip when the cache can (``count_and_get_many`` of
    ``network.cache_backends.FailoverRedisCache``), else in two."""
    backend = caches["default"]
    if not hasattr(backend, "count_and_get_many"):
        return (*window_count(key, window), cache.get_many(keys))
    now = time.time()
    count, found = backend.count_and_get_many(f"{key}:{int(now // window)}", window + 1, keys)
    return count, max(1, math.ceil(window - now % window)), found


def check_rate_limit(request, scope, *, limit, window):
    """Raise ``RateLimited`` past ``limit`` hits of ``scope`` per ``window`` seconds from this client."""
    count, seconds_left = window_count(f"{RATE_KEY}{scope}:{client_address(request)}", window)
    if count is not None and count > limit:
        message = _("Trop d'envois depuis votre connexion : réessayez dans %(minutes)s min.")
        raise RateLimited(
            message % {"minutes": math.ceil(seconds_left / 60)},
            retry_after=seconds_left,
        )
