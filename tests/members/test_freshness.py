"""Every change of what the public sees shows on the next request after its commit,
to a visitor (page cache) and to a member (fragment caches), whatever path made it.

Each test warms every cache layer first (two requests of each kind), makes the
change inside a transaction whose commit callbacks run
(``django_capture_on_commit_callbacks(execute=True)``, as a real commit), then
reads the pages once more. With REDIS_URL set (CI), on production's cache
backend (django-redis on Redis); on PostgreSQL as well, with DATABASE_URL.
"""

import datetime
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from members.freshness import generation
from members.models import Commune, VenuePage
from members.page_cache import CACHE_HEADER

CENSUS = Path(__file__).parent / "data" / "anct_excerpt.csv"


@pytest.fixture(autouse=True)
def _production_cache(request):
    if os.environ.get("REDIS_URL"):
        request.getfixturevalue("redis_cache")


class Views:
    """The next request of a visitor and of a member, after warming every cache for both."""

    def __init__(self, member):
        self.member = member

    def _clients(self):
        member = Client()
        member.force_login(self.member)
        return {"visitor": Client(), "member": member}

    def warm(self, *urls):
        for url in urls:
            for _ in range(2):
                for client in self._clients().values():
                    client.get(url)

    def get(self, url):
        """``{"visitor": response, "member": response}``."""
        return {who: client.get(url) for who, client in self._clients().items()}

    def shows(self, url, text):
        for who, response in self.get(url).items():
            assert response.status_code == 200, (who, response.status_code)
            assert text in response.content.decode(), (who, url, text)

    def lacks(self, url, text):
        for who, response in self.get(url).items():
            assert text not in response.content.decode(), (who, url, text)


@pytest.fixture
def views(member):
    return Views(member)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block's commit callbacks when it ends, as a commit does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# -- Wagtail: publish, unpublish, revert, move, delete -------------------------------------------


def test_publish(views, committed, venue, make_venue):
    draft = make_venue(title="Le Nouveau Lieu", live=False)
    views.warm("/lieux/", "/lieux/lieux.geojson", "/")
    views.lacks("/lieux/", "Le Nouveau Lieu")
    with committed():
        draft.save_revision().publish()
    views.shows("/lieux/", "Le Nouveau Lieu")
    views.shows("/lieux/lieux.geojson", "Le Nouveau Lieu")
    views.shows("/", "<dt>Lieux</dt><dd>2</dd>")  # the home page's figures


def test_unpublish(views, committed, venue, other_venue):
    views.warm("/lieux/", "/lieux/la-coroutine/", "/lieux/lieux.csv")
    with committed():
        VenuePage.objects.get(pk=venue.pk).unpublish()
    assert {r.status_code for r in views.get("/lieux/la-coroutine/").values()} == {404}
    views.lacks("/lieux/", "La Coroutine")
    views.lacks("/lieux/lieux.csv", "La Coroutine")


def test_revert(views, committed, venue):
    page = VenuePage.objects.get(pk=venue.pk)
    first = page.save_revision()
    first.publish()
    page.summary = "Ateliers de réparation le samedi."
    page.save_revision().publish()
    views.warm("/lieux/", "/lieux/la-coroutine/")
    views.shows("/lieux/la-coroutine/", "Ateliers de réparation le samedi.")
    with committed():
        first.publish()  # what the admin's "revert" does: publish an older revision
    views.lacks("/lieux/la-coroutine/", "Ateliers de réparation le samedi.")
    views.lacks("/lieux/", "Ateliers de réparation le samedi.")


def test_move(views, committed, venue, other_venue):
    from tests.factories.events import EventPageFactory

    EventPageFactory(parent=venue, title="Atelier soudure", slug="atelier-soudure")
    views.warm("/lieux/la-coroutine/", "/lieux/le-hangar/")
    views.shows("/lieux/la-coroutine/", "Atelier soudure")
    with committed():
        VenuePage.objects.get(pk=venue.pk).get_children().get().move(other_venue, pos="last-child")
    views.lacks("/lieux/la-coroutine/", "Atelier soudure")
    views.shows("/lieux/le-hangar/", "Atelier soudure")


def test_delete(views, committed, venue, other_venue):
    views.warm("/lieux/", "/lieux/le-hangar/", "/lieux/lieux.geojson")
    with committed():
        VenuePage.objects.get(pk=other_venue.pk).delete()
    assert {r.status_code for r in views.get("/lieux/le-hangar/").values()} == {404}
    views.lacks("/lieux/", "Le Hangar")
    views.lacks("/lieux/lieux.geojson", "Le Hangar")


# -- privacy ---------------------------------------------------------------------------------


def test_privacy_restriction_added_then_removed(views, committed, venue, other_venue):
    from wagtail.models import PageViewRestriction

    views.warm("/lieux/", "/lieux/le-hangar/", "/lieux/lieux.geojson")
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=VenuePage.objects.get(pk=other_venue.pk), restriction_type=PageViewRestriction.LOGIN
        )
    assert Client().get("/lieux/le-hangar/").status_code == 302  # to the login page
    views.lacks("/lieux/", "Le Hangar")
    views.lacks("/lieux/lieux.geojson", "Le Hangar")
    with committed():
        restriction.delete()
    views.shows("/lieux/le-hangar/", "Le Hangar")
    views.shows("/lieux/", "Le Hangar")


# -- events: dates and places shown on the venue page ------------------------------------------


@pytest.fixture
def venue_occurrence(venue):
    from tests.factories.events import EventPageFactory

    event = EventPageFactory(parent=venue, title="Atelier soudure", slug="atelier-soudure", capacity=1)
    return event.occurrences.get()


def test_occurrence_cancelled(views, committed, venue_occurrence, staff_user):
    from events.services import cancel_occurrence

    views.warm("/lieux/la-coroutine/")
    views.lacks("/lieux/la-coroutine/", "Annulé")
    with committed():
        cancel_occurrence(venue_occurrence, by=staff_user)
    views.shows("/lieux/la-coroutine/", "Annulé")


def test_occurrence_moved(views, committed, venue_occurrence, staff_user):
    from events.services import move_occurrence

    views.warm("/lieux/la-coroutine/")
    start = timezone.localtime(venue_occurrence.start) + datetime.timedelta(days=3, hours=1)
    with committed():
        move_occurrence(venue_occurrence, by=staff_user, start=start, end=start + datetime.timedelta(hours=2))
    views.shows("/lieux/la-coroutine/", f'datetime="{start.strftime("%Y-%m-%dT%H:%M:%S%z")}"')
    views.shows("/lieux/la-coroutine/", "Date modifiée")


def test_places_left(views, committed, venue_occurrence, member, staff_user):
    """The event page shows the places left (the venue page shows no count)."""
    from events.services import cancel_registration, register_for_event

    url = "/lieux/la-coroutine/atelier-soudure/"
    views.warm(url, "/lieux/la-coroutine/")
    views.shows(url, "1 place restante")
    with committed():
        register_for_event(venue_occurrence, by=staff_user)  # the one seat
    views.shows(url, "Complet : inscription sur liste d’attente")
    with committed():
        cancel_registration(venue_occurrence, by=staff_user)
    views.shows(url, "1 place restante")


# -- flags and names set outside a page revision ----------------------------------------------


def test_mentoring_flag(views, committed, venue, other_venue, manager):
    from mentoring.services import save_mentor_profile

    views.warm("/lieux/?mentoring=1", "/lieux/lieux.geojson?mentoring=1")
    views.lacks("/lieux/?mentoring=1", "La Coroutine")
    with committed():
        save_mentor_profile(venue, {"expertise": ["gouvernance"], "formats": ["visio"]}, by=manager)
    views.shows("/lieux/?mentoring=1", "La Coroutine")
    views.shows("/lieux/lieux.geojson?mentoring=1", "La Coroutine")
    with committed():
        save_mentor_profile(
            venue, {"is_active": False, "expertise": ["gouvernance"], "formats": ["visio"]}, by=manager
        )
    views.lacks("/lieux/?mentoring=1", "La Coroutine")


def test_commune_renamed(views, committed, venue):
    views.warm("/lieux/", "/lieux/la-coroutine/", "/lieux/lieux.csv")
    with committed():
        lille = Commune.objects.get(insee_code="59350")
        lille.name = "Lille-Métropole"
        lille.save()
    views.shows("/lieux/", "Lille-Métropole")  # the card and the commune menu
    views.shows("/lieux/la-coroutine/", "Lille-Métropole")
    views.shows("/lieux/lieux.csv", "Lille-Métropole")


def test_tag_renamed(views, committed, venue):
    from taggit.models import Tag

    views.warm("/lieux/", "/lieux/la-coroutine/")
    with committed():
        tag = Tag.objects.get(name="impression 3D")
        tag.name = "fabrication additive"
        tag.save()
    views.shows("/lieux/", "fabrication additive")  # the card and the tag menu
    views.shows("/lieux/la-coroutine/", "fabrication additive")


def test_import(views, committed, site_tree, venue):
    views.warm("/lieux/", "/lieux/lieux.geojson")
    with committed():
        call_command("import_venues", str(CENSUS), "--commit", "--publish", stdout=StringIO())
    views.shows("/lieux/", "Le Welcome Bar")
    views.shows("/lieux/lieux.geojson", "Le Welcome Bar")


# -- never before the commit ------------------------------------------------------------------


def test_nothing_is_renewed_before_the_commit(views, committed, venue, make_venue):
    """A request served while the change is still uncommitted stores under the old generation,
    so what it stored is stale once the change commits."""
    draft = make_venue(title="Le Nouveau Lieu", live=False)
    views.warm("/lieux/")
    before = generation()
    with committed():
        draft.save_revision().publish()
        assert generation() == before  # not yet
        assert Client().get("/lieux/")[CACHE_HEADER] == "hit"  # the committed state's copy
        assert Client().get("/lieux/?q=")[CACHE_HEADER] == "miss"  # stored now, under the old generation
    assert generation() != before
    assert Client().get("/lieux/?q=")[CACHE_HEADER] == "miss"  # what was stored in between is not served
    views.shows("/lieux/", "Le Nouveau Lieu")


def test_a_rolled_back_change_renews_nothing(venue, make_venue):
    draft = make_venue(title="Le Nouveau Lieu", live=False)
    Client().get("/lieux/")
    before = generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        draft.save_revision().publish()
        raise RuntimeError("rolled back")
    assert generation() == before
    assert Client().get("/lieux/")[CACHE_HEADER] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_request_before_the_commit_cannot_keep_old_content(site_tree, member):
    """Real transactions, on PostgreSQL (another connection sees only what is committed):
    a visitor's request made between the change and its commit renders the old content;
    it must not be stored as current, so the next request after the commit shows the change."""
    import threading

    from django.db import connection

    from tests.factories.venues import VenuePageFactory

    if connection.vendor != "postgresql":
        pytest.skip("needs a database where another connection waits for no lock: PostgreSQL")
    venue = VenuePageFactory(parent=site_tree["lieux"], title="La Coroutine", slug="la-coroutine")
    Client().get("/lieux/la-coroutine/")
    seen = {}

    def visit():
        from django.db import connections

        try:
            seen["html"] = Client().get("/lieux/la-coroutine/").content.decode()
        finally:
            connections.close_all()

    with transaction.atomic():
        page = VenuePage.objects.get(pk=venue.pk)
        page.summary = "Ateliers de réparation le samedi."
        page.save_revision().publish()
        thread = threading.Thread(target=visit)
        thread.start()
        thread.join()
    assert "Ateliers de réparation le samedi." not in seen["html"]  # rendered from the committed state
    Views(member).shows("/lieux/la-coroutine/", "Ateliers de réparation le samedi.")
