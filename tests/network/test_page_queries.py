"""Every page runs at most 15 SQL queries for every role, and as many on a network ten
times the size: the count does not grow with venues, dates, members or messages.

The data comes from ``seed_scale`` (the bench's generator), run twice: a small network,
measured, then ten times more of everything, measured again. Each page is counted
after one warm-up request (Wagtail's site root paths, image renditions, the directory's
fragments), as a visitor who browses the site meets it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import EventIndexPage, EventPage
from home.scale import seed_scale
from members.models import VenuePage
from members.services import attach_manager
from mentoring.models import MentoringPage
from network.discussion.direct import start_direct_conversation
from network.discussion.models import Room
from network.discussion.services import post_message
from tests.factories import VerifiedUserFactory
from tests.factories.mentoring import MentorProfileFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
SMALL = {"venues": 10, "occurrences": 100, "members": 40, "messages": 400}
LARGE = {"venues": 60, "occurrences": 600, "members": 200, "messages": 3000}  # added to SMALL
ROLES = ("anonymous", "member", "manager", "mentor", "staff")
SIGNED_IN_ONLY = {"discussions", "room", "profile", "member card", "write to member", "direct conversation"}


def _seed(counts, capture):
    with capture(execute=True):  # search indexing and renewals run after commit
        seed_scale(**counts, report=lambda line: None)


@pytest.fixture
def network(site_tree, staff_user, django_capture_on_commit_callbacks):
    """The small network, its roles and the address of every page the issue names."""
    _seed(SMALL, django_capture_on_commit_callbacks)
    venues = list(VenuePage.objects.live().order_by("pk")[:3])
    venue, managed, mentored = venues
    manager, mentor, member = VerifiedUserFactory(), VerifiedUserFactory(), VerifiedUserFactory()
    attach_manager(managed, manager, by=staff_user)
    attach_manager(mentored, mentor, by=staff_user)
    MentorProfileFactory(venue=mentored)
    conversation, _created = start_direct_conversation([mentor], by=member)
    for n in range(4):
        post_message(conversation, by=(member, mentor)[n % 2], body=f"Message {n}")
    agenda = EventIndexPage.objects.get()
    today = timezone.localdate()
    event = EventPage.objects.live().filter(venue=venue).order_by("pk").first()
    room = Room.objects.filter(kind=Room.Kind.TOPIC).order_by("-last_seq", "pk").first()
    urls = {
        "home": "/",
        "directory": reverse("venue_index"),
        "directory search": reverse("venue_index") + "?q=tiers",
        "venue": venue.url,
        "agenda": agenda.url,
        "agenda month": f"{agenda.url}{today.year}/{today.month}/",
        "event": event.url,
        "mentoring": MentoringPage.objects.get().url if MentoringPage.objects.exists() else None,
        "discussions": reverse("discussion:room_list"),
        "room": reverse("discussion:room_detail", args=[room.slug]),
        "direct conversation": reverse("discussion:room_detail", args=[conversation.slug]),
        "profile": reverse("profile"),
        "member card": reverse("discussion:member_detail", args=[mentor.pk]),
        "write to member": reverse("discussion:conversation_with", args=[manager.pk]),
        "site search": reverse("search") + "?q=rencontre",
        "ics feed": reverse("events_public_feed"),
    }
    users = {"anonymous": None, "member": member, "manager": manager, "mentor": mentor, "staff": staff_user}
    return {"urls": {name: url for name, url in urls.items() if url}, "users": users}


def _count(client, url):
    client.get(url)  # warm-up: site root paths, renditions, fragments
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries.captured_queries)


def _counts(client, network, role):
    client.logout()
    user = network["users"][role]
    if user is not None:
        client.force_login(user)
    counts = {}
    for name, url in network["urls"].items():
        status, queries = _count(client, url)
        if role == "anonymous" and name in SIGNED_IN_ONLY:
            assert status == 302, name  # to the login page
        elif name == "direct conversation" and role not in ("member", "mentor"):
            assert status == 404, name  # not theirs: the same answer as a missing room
        else:
            assert status == 200, (name, role)
        counts[name] = queries
    return counts


@pytest.mark.parametrize("role", ROLES)
def test_every_page_stays_within_15_queries_at_both_sizes(
    client, network, role, django_capture_on_commit_callbacks
):
    small = _counts(client, network, role)
    _seed(LARGE, django_capture_on_commit_callbacks)
    assert VenuePage.objects.live().count() == SMALL["venues"] + LARGE["venues"]
    large = _counts(client, network, role)

    over = {name: count for name, count in {**small, **large}.items() if count > MAX_QUERIES}
    assert not over, f"{role}: pages over {MAX_QUERIES} queries: {over}"
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"{role}: query counts that grow with the data (small, large): {grown}"
