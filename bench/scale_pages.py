"""The pages and roles of the scale bench (bench/scale_bench.py), read from a seeded database.

Runs inside a configured Django process. ``page_urls()`` picks, for each page
the issue names, one address on the database at hand (the busiest room, an
event with dates to come...); ``query_counts()`` counts the SQL queries of
each page for each role with Django's test client, after one warm-up request.

The same pages and member serve the in-process CPU figures of docs/scale.md
(2026-12-02, at the defaults of ``seed_scale``, load average 6): home 37-42 -> 14-21 ms,
directory 30-32 -> 20-22, venue 49-60 -> 25-44, month 70-82 -> 21-29; agenda (52-60),
event (46-55), discussions (44-51), room (44-68), profile (35-55) within the noise.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

ROLES = {
    "anonymous": None,
    "member": "membre@example.org",
    "manager": "gerant.le-comptoir-partage@example.org",
    "mentor": "lieu@example.org",
    "staff": "equipe@example.org",
}


def page_urls():
    """``{name: url}``: every page of the issue on this database."""
    from django.db.models import Count
    from django.urls import reverse

    from events.models import EventIndexPage, EventPage
    from members.models import User, VenuePage
    from mentoring.models import MentoringPage
    from network.discussion.models import Room

    today = timezone.localdate()
    agenda = EventIndexPage.objects.live().first()
    venue = VenuePage.objects.live().filter(slug="la-fabrique-des-possibles").first()
    venue = venue or VenuePage.objects.live().order_by("pk").first()
    event = (
        EventPage.objects.live()
        .filter(is_private=False, occurrences__end__gte=timezone.now())
        .annotate(dates=Count("occurrences"))
        .order_by("-dates", "pk")
        .first()
    )
    room = Room.objects.filter(kind=Room.Kind.TOPIC).order_by("-last_seq", "pk").first()
    direct = ensure_direct_conversation()
    other = User.objects.get(email=ROLES["mentor"])
    urls = {
        "home": "/",
        "directory": reverse("venue_index"),
        "directory search": reverse("venue_index") + "?q=atelier",
        "venue": venue.url,
        "agenda": agenda.url,
        "agenda month": f"{agenda.url}{today.year}/{today.month}/",
        "event": event.url,
        "mentoring": MentoringPage.objects.live().first().url,
        "discussions": reverse("discussion:room_list"),
        "room": reverse("discussion:room_detail", args=[room.slug]),
        "profile": reverse("profile"),
        "member card": reverse("discussion:member_detail", args=[other.pk]),
        "write to member": reverse("discussion:conversation_with", args=[other.pk]),
        "site search": reverse("search") + "?q=atelier",
        "ics feed": reverse("events_public_feed"),
    }
    urls["direct conversation"] = reverse("discussion:room_detail", args=[direct.slug])
    return urls


def ensure_direct_conversation():
    """A conversation between the member and the mentor with a few messages (the demo has none)."""
    from members.models import User
    from network.discussion.direct import start_direct_conversation
    from network.discussion.services import post_message

    member, mentor = (User.objects.get(email=ROLES[role]) for role in ("member", "mentor"))
    room, _created = start_direct_conversation([mentor], by=member)
    for n in range(room.last_seq, 4):  # under the rate limit
        post_message(room, by=(member, mentor)[n % 2], body=f"Message {n} de la conversation")
    return room


def client_for(role):
    from members.models import User

    client = Client()
    email = ROLES[role]
    if email is not None:
        client.force_login(User.objects.get(email=email))
    return client


def count_queries(client, url):
    """(status, queries) of ``url`` after one warm-up request (site paths, renditions)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured.captured_queries)


def query_counts(urls=None, roles=ROLES):
    """``{page: {role: (status, queries)}}``."""
    urls = urls or page_urls()
    clients = {role: client_for(role) for role in roles}
    return {name: {role: count_queries(clients[role], url) for role in roles} for name, url in urls.items()}


if __name__ == "__main__":
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    urls = page_urls()
    counts = query_counts(urls)
    print(f"{'page':22} " + " ".join(f"{role:>10}" for role in ROLES))
    for name, by_role in counts.items():
        cells = " ".join(f"{q:>6} {s:>3}" for s, q in by_role.values())
        print(f"{name:22} {cells}   {urls[name]}")
