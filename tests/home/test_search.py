"""``/recherche/`` finds what a person types, on the demo data, on SQLite and PostgreSQL alike."""

import pytest

from members.models import VenuePage


@pytest.fixture
def demo(site_tree, django_capture_on_commit_callbacks):
    """The demo venues (40, as ``seed_venues`` publishes them, without their manager
    accounts: the search does not read them) and the demo events (17)."""
    from events.demo import seed_events
    from members.demo import seed_accounts, venue_rows
    from members.models import Commune, User
    from members.services import create_venue

    with django_capture_on_commit_callbacks(execute=True):
        seed_accounts()
        staff = User.objects.get(email="equipe@example.org")
        communes = {commune.insee_code: commune for commune in Commune.objects.all()}
        for spec in venue_rows():
            spec = {key: val for key, val in spec.items() if key not in ("managed_by", "hours", "gallery")}
            spec["commune"] = communes[spec["commune"]]
            create_venue(spec, by=staff, publish=True, parent=site_tree["lieux"])
        seed_events()
    return site_tree


def _groups(client, query, **params):
    response = client.get("/recherche/", {"q": query, **params})
    assert response.status_code == 200
    return {result.group.kind: result for result in response.context["groups"]}


def _venues(client, query):
    groups = _groups(client, query, kind="venues")
    return {venue.title for venue in groups["venues"].items} if groups else set()


SAME_ANSWERS = [
    ("ATELIERS", "atelier"),
    ("Médiations numériques", "mediation numerique"),
    ("cafés", "CAFE"),
    ("tiers-lieux", "tiers lieu"),
    ("co-working", "coworking"),
    ("Repair Cafés", "repair cafe"),
    ("Shared workshops", "shared workshop"),  # activities are indexed in English too
    ("impressions 3D", "Impression 3d"),  # a tag
]


def _pks(client, query):
    return {kind: {item.pk for item in result.items} for kind, result in _groups(client, query).items()}


# Seeding the demo takes ~35 s of CPU, much more on a loaded machine.
@pytest.mark.timeout(600)
def test_the_demo_is_found_as_people_type_it(client, demo):
    """ "fablab", "fab lab", "Fab-Lab" find the 10 fab labs, "Roubaix" its 4 venues."""
    fab_labs = {
        venue.title
        for venue in VenuePage.objects.live()
        if "fablab" in [venue.main_activity, *venue.secondary_activities]
    }
    assert len(fab_labs) == 10
    for query in ("fablab", "fab lab", "Fab-Lab", "FAB LABS", "fablabs", "Fab Lab"):
        assert _venues(client, query) == fab_labs, query
    # A commune finds its venues and the events they hold.
    roubaix = set(VenuePage.objects.live().filter(commune__name="Roubaix").values_list("title", flat=True))
    assert len(roubaix) == 4
    for query in ("Roubaix", "roubaix", "ROUBAIX"):
        assert _venues(client, query) == roubaix, query
    events = _groups(client, "Roubaix")["events"]
    assert events.count >= 1
    assert all(event.venue.commune.name == "Roubaix" for event in events.items if event.venue)
    # Accents, case, hyphens and French plurals do not matter, in every group.
    for typed, same_as in SAME_ANSWERS:
        found = _pks(client, typed)
        assert found == _pks(client, same_as), typed
        assert any(found.values()), typed


@pytest.mark.timeout(600)
def test_results_are_grouped_by_kind_with_counts_in_bounded_queries(client, demo, django_assert_num_queries):
    response = client.get("/recherche/", {"q": "atelier"})
    groups = response.context["groups"]
    assert [result.group.kind for result in groups] == ["venues", "events", "pages"]
    assert all(result.count > 0 for result in groups)
    assert response.context["total"] == sum(result.count for result in groups)
    html = response.content.decode()
    assert f'Lieux <span class="count">({groups[0].count})</span>' in html
    assert f"Voir les {groups[0].count} lieux" in html
    # One kind, paginated: a page number that is no number is the first page.
    venues = _groups(client, "atelier", kind="venues", page="abc")["venues"]
    assert venues.count == groups[0].count and venues.page_obj.number == 1
    second = _groups(client, "atelier", kind="venues", page="2")["venues"]
    assert not {v.pk for v in second.items} & {v.pk for v in venues.items}
    # Bounded: per group a count and the first results (the view restrictions inside them);
    # the site's root paths.
    for query in ("atelier", "lille"):
        with django_assert_num_queries(7):
            assert client.get("/recherche/", {"q": query}).status_code == 200
    with django_assert_num_queries(3):
        assert client.get("/recherche/", {"q": "atelier", "kind": "venues", "page": "2"}).status_code == 200


def test_drafts_private_events_and_restricted_pages_are_not_found(client, site_tree):
    from wagtail.models import PageViewRestriction

    from home.models import StandardPage
    from tests.factories.events import EventPageFactory
    from tests.factories.venues import VenuePageFactory

    VenuePageFactory(parent=site_tree["lieux"], title="Zorglub", slug="zorglub")
    VenuePageFactory(parent=site_tree["lieux"], title="Zorglub brouillon", slug="zorglub-2", live=False)
    EventPageFactory(parent=site_tree["agenda"], title="Visite Zorglub", slug="visite", is_private=True)
    EventPageFactory(parent=site_tree["agenda"], title="Fête Zorglub", slug="fete")
    page = site_tree["home"].add_child(instance=StandardPage(title="Zorglub interne", slug="interne"))
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    groups = _groups(client, "zorglub")
    found = {kind: [item.title for item in result.items] for kind, result in groups.items()}
    assert found == {"venues": ["Zorglub"], "events": ["Fête Zorglub"], "pages": []}


@pytest.mark.parametrize(
    "query",
    ['"', "a\x00b", "x" * 100_000, "%", "'", "_", "\\", "<script>", "a\x00" * 300, "' OR 1=1 --", "  "],
)
def test_hostile_queries_answer_200(client, site_tree, query):
    response = client.get("/recherche/", {"q": query, "kind": "nothing", "page": "-1"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]
    if len(query) > 200:
        assert "seuls ses 200 premiers caractères" in response.content.decode()
