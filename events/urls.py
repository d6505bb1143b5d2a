"""The ``.ics`` addresses of the calendar, which Wagtail's page routes cannot serve
(its serve pattern takes no dots). Include before Wagtail's URLs, with the
calendar page's slug as prefix::

    path("agenda/", include("events.urls")),

Until then the same feeds answer at the page routes ``/agenda/ical/`` and
``/agenda/mon-agenda/<token>/``. Following (``suivis/``: the buttons' form,
the settings, the digest's unsubscribe link and the personal feed) lives
here only ("suivis" is a reserved event slug).
"""

from django.urls import path, re_path

from events import follow_views, views

urlpatterns = [
    path("agenda.ics", views.public_feed_url, name="events_public_feed"),
    re_path(
        r"^mon-agenda/(?P<token>[A-Za-z0-9_-]{20,80})\.ics$",
        views.private_feed_url,
        name="events_private_feed",
    ),
    path("suivis/", follow_views.follow, name="events_follow"),
    path("suivis/reglages/", follow_views.follow_settings, name="events_follow_settings"),
    path("suivis/desabonnement/<str:token>/", follow_views.unsubscribe, name="events_follow_unsubscribe"),
    re_path(r"^suivis/(?P<token>[A-Za-z0-9_-]{20,80})\.ics$", follow_views.feed, name="events_follow_feed"),
]
