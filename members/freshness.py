"""One generation for everything the public sees, renewed after every committed change.

Every cached copy of published content (the page cache of ``members.page_cache``
and the fragment caches: the directory's filters and results, the network
figures) is stored with, or keyed by, the generation current when its
rendering began. ``content_changed()`` is the one function that every change
path calls (the signal handlers of ``members.signals`` and ``events.signals``,
the services of members, events and mentoring, the importer): it renews the
generation in ``transaction.on_commit``, so

- a request made while the change is still uncommitted reads the old
  generation and the old content, and whatever it stores is stale as soon as
  the change commits;
- the first request after the commit reads the new generation and renders
  the new content;
- a rolled-back change renews nothing.

There is nothing else to delete: an entry of an older generation is never
served and is overwritten or expires (``TIMEOUT``, which also bounds what no
change announces, such as an event that has started).
"""

import time

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "members:content:generation"
TIMEOUT = 10 * 60  # seconds an entry lives; the generation does the real invalidation


def generation():
    """The current generation; a missing one (evicted, fresh cache) starts a new one."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        if not cache.add(GENERATION_KEY, value, None):
            value = cache.get(GENERATION_KEY, value)
    return value


def request_generation(request):
    """The generation the page-cache middleware read for ``request``, else now's, read once a
    request (the fragments and the header's cached links share it)."""
    current = getattr(request, "page_cache_generation", None)
    if current is None:
        current = request.page_cache_generation = generation()
    return current


def renew_generation():
    """Make every cached copy stale at once, now. Change paths call ``content_changed``."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def content_changed(**kwargs):
    """Published content changed in the current transaction: renew the generation after it commits.

    Takes and ignores keyword arguments, so it serves as a signal handler
    too. Outside a transaction (autocommit), the change is already committed
    and the generation is renewed at once.
    """
    transaction.on_commit(renew_generation)
