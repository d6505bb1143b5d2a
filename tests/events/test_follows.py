"""Following a venue, a commune or a kind of event: the buttons, who may press them,
the profile's list, and the personal feed at its secret address."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from events import follows, services
from events.models import Follow, FollowSettings
from tests.factories import UserFactory, VerifiedUserFactory
from tests.factories.events import in_days
from tests.factories.venues import VenuePageFactory, commune

pytestmark = pytest.mark.django_db

ROUBAIX = "59512"


def _post_follow(client, target, value, action="follow", **extra):
    return client.post("/agenda/suivis/", {"action": action, "target": target, "value": value, **extra})


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# -- buttons and permissions ---------------------------------------------------------


def test_a_visitor_sees_a_sign_in_link_on_the_venue_page_and_no_form(client, venue):
    page = client.get(venue.url).content.decode()
    assert "Connectez-vous pour suivre La Coroutine" in page
    assert f'href="/accounts/login/?next={venue.url}"' in page
    assert 'action="/agenda/suivis/"' not in page and "csrfmiddlewaretoken" not in page


def test_a_member_follows_and_unfollows_a_venue_from_its_page(member_client, member, venue):
    page = member_client.get(venue.url).content.decode()
    assert 'value="follow"' in page and "Suivre" in page
    response = _post_follow(member_client, "venue", venue.pk, next=venue.url)
    assert response.status_code == 302 and response["Location"] == venue.url
    assert Follow.objects.get(user=member).venue_id == venue.pk
    assert "Vous suivez « La Coroutine »." in _messages(response)[0]
    page = member_client.get(venue.url).content.decode()
    assert 'value="unfollow"' in page and "Ne plus suivre" in page
    _post_follow(member_client, "venue", venue.pk)  # twice: still one follow
    assert Follow.objects.filter(user=member).count() == 1
    _post_follow(member_client, "venue", venue.pk, action="unfollow", next=venue.url)
    assert not Follow.objects.filter(user=member).exists()
    assert 'value="follow"' in member_client.get(venue.url).content.decode()


def test_the_directory_filtered_by_commune_has_a_follow_button(client, member, venue, other_venue):
    assert "Connectez-vous pour suivre Roubaix" in client.get(f"/lieux/?commune={ROUBAIX}").content.decode()
    assert "Connectez-vous pour suivre" not in client.get("/lieux/").content.decode()
    client.force_login(member)
    page = client.get(f"/lieux/?commune={ROUBAIX}").content.decode()
    assert f'name="value" value="{ROUBAIX}"' in page
    _post_follow(client, "commune", ROUBAIX, next=f"/lieux/?commune={ROUBAIX}")
    assert Follow.objects.get(user=member).commune.name == "Roubaix"
    assert 'value="unfollow"' in client.get(f"/lieux/?commune={ROUBAIX}").content.decode()


def test_the_agenda_filtered_by_kind_or_commune_has_follow_buttons(member_client, member, agenda, event):
    page = member_client.get("/agenda/?kind=workshop").content.decode()
    assert 'name="target" value="kind"' in page and 'name="value" value="workshop"' in page
    assert 'name="target" value="kind"' not in member_client.get("/agenda/").content.decode()
    _post_follow(member_client, "kind", "workshop", next="/agenda/?kind=workshop")
    page = member_client.get(f"/agenda/?kind=workshop&commune={ROUBAIX}").content.decode()
    assert page.count('value="unfollow"') == 1 and page.count('value="follow"') == 1
    _post_follow(member_client, "commune", ROUBAIX)
    kinds = set(Follow.objects.filter(user=member).values_list("kind", "commune__insee_code"))
    assert kinds == {("workshop", None), ("", ROUBAIX)}


def test_following_needs_a_post_a_login_a_csrf_token_and_a_verified_address(client, venue):
    assert client.get("/agenda/suivis/").status_code == 405
    response = _post_follow(client, "venue", venue.pk)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Follow.objects.exists()

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(VerifiedUserFactory())
    assert _post_follow(strict, "venue", venue.pk).status_code == 403
    assert strict.post("/agenda/suivis/reglages/", {"action": "regenerate"}).status_code == 403
    assert not Follow.objects.exists() and not FollowSettings.objects.exists()

    unverified = UserFactory()
    client.force_login(unverified)
    response = _post_follow(client, "venue", venue.pk)
    assert "Confirmez votre adresse e-mail" in _messages(response)[0]
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    ("target", "value"),
    [
        ("venue", "999999"),
        ("venue", "abc"),
        ("commune", "00000"),
        ("commune", "5" * 50),
        ("kind", "party"),
        ("room", "1"),
    ],
)
def test_what_cannot_be_followed_is_refused_with_a_message(member_client, venue, target, value):
    response = _post_follow(member_client, target, value)
    assert response.status_code == 302
    assert _messages(response) == ["On ne peut pas suivre cela."]
    assert not Follow.objects.exists()


def test_an_unpublished_venue_cannot_be_followed_but_can_be_unfollowed(member_client, member, venue):
    follows.start_following(by=member, venue=venue)
    venue.unpublish()
    _post_follow(member_client, "venue", venue.pk, action="unfollow")
    assert not Follow.objects.exists()
    _post_follow(member_client, "venue", venue.pk)
    assert not Follow.objects.exists()


def test_next_only_leads_back_into_the_site(member_client, venue):
    response = _post_follow(member_client, "venue", venue.pk, next="https://evil.example/")
    assert response["Location"] == "/accounts/profile/#suivis"


# -- the profile's list ----------------------------------------------------------------


def test_the_profile_lists_what_i_follow_and_each_can_be_removed(member_client, member, venue, agenda):
    follows.start_following(by=member, venue=venue)
    follows.start_following(by=member, commune=commune(ROUBAIX))
    follows.start_following(by=member, kind="training")
    page = member_client.get("/accounts/profile/").content.decode()
    section = page[page.index('id="suivis"') :]
    assert section.index("La Coroutine") < section.index("Roubaix") < section.index("formation")
    assert f'href="{venue.url}"' in section and f'href="/agenda/?commune={ROUBAIX}"' in section
    assert section.count('value="unfollow"') == 3
    _post_follow(member_client, "commune", ROUBAIX, action="unfollow")
    page = member_client.get("/accounts/profile/").content.decode()
    assert "Roubaix" not in page[page.index('id="suivis"') :]
    assert Follow.objects.filter(user=member).count() == 2


def test_the_profile_costs_the_same_queries_with_one_follow_or_twenty(
    member_client, member, venue_index, agenda
):
    def queries():
        member_client.get("/accounts/profile/")
        with CaptureQueriesContext(connection) as captured:
            assert member_client.get("/accounts/profile/").status_code == 200
        return len(captured)

    follows.start_following(by=member, kind="talk")
    few = queries()
    for _n in range(10):
        follows.start_following(by=member, venue=VenuePageFactory(parent=venue_index))
    for code in ("59009", "59350", ROUBAIX, "59599", "59360"):
        follows.start_following(by=member, commune=commune(code))
    assert Follow.objects.filter(user=member).count() == 16
    assert queries() == few


def test_the_weekly_email_switch_on_the_profile(member_client, member, venue):
    follows.start_following(by=member, venue=venue)
    assert 'name="digest" checked' in member_client.get("/accounts/profile/").content.decode()
    member_client.post("/agenda/suivis/reglages/", {"action": "digest"})
    assert FollowSettings.objects.get(user=member).digest_enabled is False
    assert 'name="digest" checked' not in member_client.get("/accounts/profile/").content.decode()
    member_client.post("/agenda/suivis/reglages/", {"action": "digest", "digest": "on"})
    assert FollowSettings.objects.get(user=member).digest_enabled is True


def test_a_member_may_follow_a_bounded_number_of_things(member, venue_index, monkeypatch):
    monkeypatch.setattr(follows, "MAX_FOLLOWS", 2)
    follows.start_following(by=member, kind="talk")
    follows.start_following(by=member, kind="visit")
    with pytest.raises(follows.TooManyFollows):
        follows.start_following(by=member, kind="training")
    follows.start_following(by=member, kind="talk")  # already followed: no error


# -- the personal feed ------------------------------------------------------------------


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    return Calendar.from_ical(response.content)


def _summaries(calendar):
    return {str(vevent["SUMMARY"]): str(vevent["STATUS"]) for vevent in calendar.walk("VEVENT")}


def test_the_personal_feed_holds_the_events_of_what_i_follow_only(
    client, member, venue, other_venue, venue_event, event, make_event, manager
):
    meetup_there = make_event(
        title="Apéro à la Coroutine", slug="apero-coroutine", venue=venue, street_address=""
    )
    cancelled = make_event(parent=venue, title="Atelier annulé", slug="atelier-annule", street_address="")
    services.cancel_occurrence(cancelled.occurrences.get(), by=manager)
    services.create_private_event(
        venue, title="Visite privée", kind="visit", start=in_days(4, 10), end=in_days(4, 12), by=manager
    )
    make_event(parent=other_venue, title="Au Hangar", slug="au-hangar", street_address="")
    make_event(title="Formation ailleurs", slug="formation", kind="training")
    follows.start_following(by=member, venue=venue)

    client.force_login(member)
    client.post("/agenda/suivis/reglages/", {"action": "regenerate"})
    token = FollowSettings.objects.get(user=member).feed_token
    assert f"/agenda/suivis/{token}.ics" in client.get("/accounts/profile/").content.decode()
    client.logout()  # calendar apps send no cookie

    feed = _parse(client.get(f"/agenda/suivis/{token}.ics"))
    assert str(feed["X-WR-CALNAME"]).startswith("Mes suivis")
    assert _summaries(feed) == {
        venue_event.title: "CONFIRMED",
        meetup_there.title: "CONFIRMED",
        "Atelier annulé": "CANCELLED",  # a cancelled date stays, as in the public feed
    }
    # The same VEVENT as the public feed's.
    public = {
        str(v["UID"]): v for v in Calendar.from_ical(client.get("/agenda/agenda.ics").content).walk("VEVENT")
    }
    for vevent in feed.walk("VEVENT"):
        assert vevent["URL"] == public[str(vevent["UID"])]["URL"]
        assert str(vevent["URL"]).startswith("http")

    follows.start_following(by=member, commune=commune(ROUBAIX))
    follows.start_following(by=member, kind="training")
    summaries = set(_summaries(_parse(client.get(f"/agenda/suivis/{token}.ics"))))
    assert {"Au Hangar", "Formation ailleurs"} <= summaries and event.title not in summaries
    assert "Visite privée" not in summaries


def test_feed_tokens_are_regenerated_and_revoked_and_a_bad_one_is_404(client, member, venue):
    follows.start_following(by=member, venue=venue)
    assert client.get("/agenda/suivis/" + "x" * 43 + ".ics").status_code == 404
    client.force_login(member)
    client.post("/agenda/suivis/reglages/", {"action": "regenerate"})
    first = FollowSettings.objects.get(user=member).feed_token
    client.post("/agenda/suivis/reglages/", {"action": "regenerate"})
    second = FollowSettings.objects.get(user=member).feed_token
    assert first != second and len(second) >= 40
    assert client.get(f"/agenda/suivis/{first}.ics").status_code == 404
    assert client.get(f"/agenda/suivis/{second}.ics").status_code == 200
    client.post("/agenda/suivis/reglages/", {"action": "revoke"})
    assert client.get(f"/agenda/suivis/{second}.ics").status_code == 404
    # The registrations' private feed has a token of its own.
    services.regenerate_calendar_token(by=member)
    assert client.get(f"/agenda/suivis/{member.event_calendar_token.token}.ics").status_code == 404


def test_an_empty_feed_is_a_valid_calendar(client, member):
    token = follows.regenerate_follow_feed_token(by=member)
    assert _summaries(_parse(client.get(f"/agenda/suivis/{token}.ics"))) == {}


def test_the_feed_costs_the_same_queries_whatever_is_followed(
    client, member, venue_index, agenda, make_event
):
    token = follows.regenerate_follow_feed_token(by=member)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/agenda/suivis/{token}.ics").status_code == 200
        return len(captured)

    first = VenuePageFactory(parent=venue_index)
    make_event(parent=first, street_address="")
    follows.start_following(by=member, venue=first)
    queries()  # warm up
    few = queries()
    for n in range(8):
        venue = VenuePageFactory(parent=venue_index)
        follows.start_following(by=member, venue=venue)
        make_event(parent=venue, street_address="", repeat="weekly", repeat_count=3, tags=[f"t{n}"])
    follows.start_following(by=member, commune=commune(ROUBAIX))
    follows.start_following(by=member, kind="workshop")
    assert queries() == few
