"""The weekly e-mail of what a member follows: what it lists, once a week, nothing
when nothing is new, in the member's language, with a one-click unsubscribe
(List-Unsubscribe, List-Unsubscribe-Post: RFC 8058)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import follows, services
from events.models import EventPage, FollowSettings
from network.discussion import digest as discussion_digest
from tests.factories import VerifiedUserFactory
from tests.factories.events import in_days
from tests.factories.venues import VenuePageFactory, commune

pytestmark = pytest.mark.django_db

ROUBAIX = "59512"


def published(event, days_ago):
    """Give a factory's page the first publication a real one would have."""
    EventPage.objects.filter(pk=event.pk).update(first_published_at=timezone.now() - timedelta(days=days_ago))
    return event


def send(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return follows.send_follow_digests(**kwargs)


@pytest.fixture
def scene(member, venue, other_venue, make_event, manager):
    """A member who follows La Coroutine, Roubaix and trainings, and this week's events."""
    follows.start_following(by=member, venue=venue)
    follows.start_following(by=member, commune=commune(ROUBAIX))
    follows.start_following(by=member, kind="training")
    make = lambda days_ago, **kw: published(make_event(**kw), days_ago)  # noqa: E731
    wanted = {
        "at_venue": make(
            1, parent=venue, title="Atelier soudure", slug="soudure", street_address="", kind="workshop"
        ),
        "meetup_there": make(2, title="Apéro à la Coroutine", slug="apero", venue=venue, street_address=""),
        "in_roubaix": make(
            3, parent=other_venue, title="Portes ouvertes du Hangar", slug="po", street_address=""
        ),
        "address_in_roubaix": make(1, title="Pique-nique", slug="pique-nique", commune=commune(ROUBAIX)),
        "training": make(4, title="Formation compta", slug="compta", kind="training"),
        # A training at the venue is listed once, under the venue.
        "training_at_venue": make(
            2, parent=venue, title="Formation laser", slug="laser", street_address="", kind="training"
        ),
    }
    cancelled = make(1, parent=venue, title="Atelier annulé", slug="annule", street_address="")
    EventPage.objects.filter(pk=cancelled.pk).update(status="cancelled")
    past = make(
        1,
        parent=venue,
        title="Déjà passé",
        slug="passe",
        street_address="",
        start=in_days(-3),
        end=in_days(-3, 22),
    )
    services.create_private_event(
        venue, title="Visite privée", kind="visit", start=in_days(4, 10), end=in_days(4, 12), by=manager
    )
    EventPage.objects.filter(title="Visite privée").update(first_published_at=timezone.now(), live=True)
    unwanted = {
        "old": make(10, parent=venue, title="Publié il y a longtemps", slug="vieux", street_address=""),
        "elsewhere": make(1, title="Rencontre ailleurs", slug="ailleurs"),
        "cancelled": cancelled,
        "past": past,
    }
    return wanted, unwanted


def test_the_digest_lists_the_new_matching_events_grouped_with_absolute_links(
    member, scene, django_capture_on_commit_callbacks
):
    wanted, _unwanted = scene
    assert send(django_capture_on_commit_callbacks) == [member.pk]
    [email] = mail.outbox
    assert email.to == [member.email]
    assert email.subject.endswith("6 nouveaux événements dans ce que vous suivez")
    body = email.body
    for event in wanted.values():
        assert event.title in body
        assert f"  {settings.SITE_URL.rstrip('/')}{event.url}\n" in body  # absolute, on SITE_URL
    for title in (
        "Publié il y a longtemps",
        "Rencontre ailleurs",
        "Atelier annulé",
        "Déjà passé",
        "Visite privée",
    ):
        assert title not in body
    # Grouped under what was followed: the venue, then the commune, then the kind.
    venue_part, rest = body.split("Roubaix :", 1)
    commune_part, kind_part = rest.split("formation :", 1)
    assert "La Coroutine :" in venue_part
    assert {"Atelier soudure", "Apéro à la Coroutine", "Formation laser"} <= {
        line.split(" — ")[0][2:] for line in venue_part.splitlines() if line.startswith("- ")
    }
    assert "Portes ouvertes du Hangar" in commune_part and "Pique-nique" in commune_part
    assert "Formation compta" in kind_part and "Formation laser" not in kind_part
    assert body.count("Formation laser") == 1
    # Events come with their next date, in Paris time and the site's format.
    assert timezone.localtime(wanted["training"].occurrences.get().start).strftime("%H") + "h00" in body


def test_one_click_unsubscribe_headers_and_link(member, scene, client, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks)
    [email] = mail.outbox
    url = follows.unsubscribe_url(member)
    assert url.startswith(settings.SITE_URL.rstrip("/") + "/agenda/suivis/desabonnement/")
    assert email.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in email.body
    assert f"{settings.SITE_URL.rstrip('/')}/accounts/profile/#suivis" in email.body

    path = url.removeprefix(settings.SITE_URL.rstrip("/"))
    page = client.get(path)  # no session: the token is enough
    assert page.status_code == 200 and "Me désabonner" in page.content.decode()
    assert FollowSettings.objects.get(user=member).digest_enabled  # GET (a mail scanner) changes nothing
    # What a mail client sends for List-Unsubscribe-Post, without cookie or CSRF token.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "C'est fait" in response.content.decode()
    assert FollowSettings.objects.get(user=member).digest_enabled is False
    later = timezone.now() + timedelta(days=8)
    published(scene[0]["at_venue"], -7.5)  # "published" after the first digest
    assert send(django_capture_on_commit_callbacks, now=later) == []


def test_a_forged_or_foreign_token_unsubscribes_nobody(member, client):
    forged = f"/agenda/suivis/desabonnement/{member.pk}:forged/"
    assert client.post(forged).status_code == 404
    # The discussion digest's token, made with the same mechanism, is no good here.
    foreign = f"/agenda/suivis/desabonnement/{discussion_digest.unsubscribe_token(member)}/"
    assert client.post(foreign).status_code == 404
    assert not FollowSettings.objects.filter(digest_enabled=False).exists()


def test_not_sent_twice_and_the_next_one_lists_only_what_is_new(
    member, scene, make_event, venue, django_capture_on_commit_callbacks
):
    assert send(django_capture_on_commit_callbacks) == [member.pk]
    assert send(django_capture_on_commit_callbacks) == []  # the same week: nothing more
    assert send(django_capture_on_commit_callbacks, now=timezone.now() + timedelta(days=3)) == []
    fresh = make_event(parent=venue, title="Nouveau cette semaine", slug="nouveau", street_address="")
    next_week = timezone.now() + timedelta(days=7)
    EventPage.objects.filter(pk=fresh.pk).update(first_published_at=next_week - timedelta(days=1))
    assert send(django_capture_on_commit_callbacks, now=next_week) == [member.pk]
    second = mail.outbox[1]
    assert "Nouveau cette semaine" in second.body and "Atelier soudure" not in second.body
    assert second.subject.endswith("1 nouvel événement dans ce que vous suivez")


def test_nothing_is_sent_when_nothing_matches(member, venue, make_event, django_capture_on_commit_callbacks):
    follows.start_following(by=member, venue=venue)
    published(make_event(title="Rencontre ailleurs", slug="ailleurs"), 1)
    assert send(django_capture_on_commit_callbacks) == []
    assert mail.outbox == []
    assert not FollowSettings.objects.filter(digest_last_sent__isnull=False).exists()
    # Members who follow nothing are not even looked at.
    VerifiedUserFactory()
    assert send(django_capture_on_commit_callbacks) == []


def test_the_digest_is_in_the_members_language(member, scene, django_capture_on_commit_callbacks):
    member.language = "en"
    member.save()
    send(django_capture_on_commit_callbacks)
    [email] = mail.outbox
    assert "6 new events in what you follow" in email.subject
    assert "Unsubscribe from this weekly digest:" in email.body
    assert "training:" in email.body  # the kind's label, translated


def test_opted_out_members_get_nothing(member, scene, client, django_capture_on_commit_callbacks):
    client.force_login(member)
    client.post("/agenda/suivis/reglages/", {"action": "digest"})
    assert send(django_capture_on_commit_callbacks) == []
    client.post("/agenda/suivis/reglages/", {"action": "digest", "digest": "on"})
    assert send(django_capture_on_commit_callbacks) == [member.pk]


def test_the_command_queues_the_digests(member, scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_follow_digests")
    assert len(mail.outbox) == 1


def test_the_digest_costs_the_same_queries_whatever_is_followed(
    member, venue_index, make_event, django_capture_on_commit_callbacks
):
    def queries():
        FollowSettings.objects.filter(user=member).update(digest_last_sent=None)
        with CaptureQueriesContext(connection) as captured:
            assert send(django_capture_on_commit_callbacks) == [member.pk]
        return len(captured)

    def add_venue(n):
        venue = VenuePageFactory(parent=venue_index)
        follows.start_following(by=member, venue=venue)
        published(make_event(parent=venue, street_address="", title=f"Atelier {n}", slug=f"atelier-{n}"), 1)

    add_venue(0)
    queries()  # warm up
    few = queries()
    for n in range(1, 9):
        add_venue(n)
    follows.start_following(by=member, kind="workshop")
    assert queries() == few
    assert "Atelier 8" in mail.outbox[-1].body
