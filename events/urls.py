"""The ``.ics`` addresses of the calendar, which Wagtail's page routes cannot serve
(its serve pattern takes no dots). Include before Wagtail's URLs, with the
calendar page's slug as prefix::

    path("agenda/", include("events.urls")),

Until then the same feeds answer at the page routes ``/agenda/ical/`` and
``/agenda/mon-agenda/<token>/``.
"""

from django.urls import path, re_path

from events import views

urlpatterns = [
    path("agenda.ics", views.public_feed_url, name="events_public_feed"),
    re_path(
        r"^mon-agenda/(?P<token>[A-Za-z0-9_-]{20,80})\.ics$",
        views.private_feed_url,
        name="events_private_feed",
    ),
]
