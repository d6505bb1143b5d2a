"""Each role sees its own path: the header's "Ma fiche", the claim link of a venue
page, the Wagtail dashboard of venue managers and of staff.

Roles: anonymous, member, manager of this venue, manager of another venue,
mentor (a manager whose venue offers compagnonnage), staff.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.services import attach_manager
from tests.factories import VerifiedUserFactory
from tests.factories.events import EventPageFactory, in_days
from tests.factories.mentoring import MentoringRequestFactory, MentorProfileFactory
from tests.factories.venues import VenueClaimFactory, VenuePageFactory

CLAIM_TEXT = "Demandez l'accès à sa fiche"
ADMIN = "/admin/"


@pytest.fixture
def third_venue(site_tree):
    return VenuePageFactory(parent=site_tree["lieux"], title="Atelier Zéro", slug="atelier-zero")


def manager_of(*venues, staff):
    user = VerifiedUserFactory()
    for venue in venues:
        attach_manager(venue, user, by=staff)
    return user


@pytest.fixture
def roles(db, venue, other_venue, member, staff_user):
    """Every role, as users (``None`` is the anonymous visitor)."""
    mentor = manager_of(other_venue, staff=staff_user)
    MentorProfileFactory(venue=other_venue)
    return {
        "anonymous": None,
        "member": member,
        "manager": manager_of(venue, staff=staff_user),
        "other_manager": manager_of(other_venue, staff=staff_user),
        "mentor": mentor,
        "staff": staff_user,
    }


def page_for(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# -- the header's "Ma fiche" -----------------------------------------------------------------


def test_ma_fiche_in_the_header_leads_a_manager_to_their_venue_edit_page(client, roles, venue, other_venue):
    edit = reverse("wagtailadmin_pages:edit", args=[venue.pk])
    other_edit = reverse("wagtailadmin_pages:edit", args=[other_venue.pk])
    for role, user in roles.items():
        page = page_for(client, user, "/")
        if role == "manager":
            assert f'href="{edit}" data-my-venue>Ma fiche</a>' in page
            assert "data-my-venues" not in page  # one venue: no list
        elif role in ("other_manager", "mentor"):
            assert f'href="{other_edit}" data-my-venue>Ma fiche</a>' in page
        else:  # anonymous, member, staff (who manage no venue of their own)
            assert "Ma fiche" not in page, role


def test_a_manager_of_several_venues_gets_the_first_and_their_list(
    client, venue, other_venue, third_venue, staff_user
):
    user = manager_of(venue, third_venue, staff=staff_user)
    page = page_for(client, user, "/")
    # Alphabetical: "Atelier Zéro" first.
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[third_venue.pk])}" data-my-venue>' in page
    assert f'href="{reverse("wagtailadmin_home")}#mes-lieux-section" data-my-venues>Mes lieux (2)</a>' in page
    dashboard = page_for(client, user, ADMIN)
    for each in (venue, third_venue):
        assert reverse("wagtailadmin_pages:edit", args=[each.pk]) in dashboard
    assert reverse("wagtailadmin_pages:edit", args=[other_venue.pk]) not in dashboard


def test_ma_fiche_reads_in_english(client, roles):
    roles["manager"].language = "en"
    roles["manager"].save()
    client.force_login(roles["manager"])
    page = client.get("/en/").content.decode()
    assert ">My venue page</a>" in page


def test_the_header_costs_anonymous_visitors_no_query(client, roles):
    def venue_lookups(user):
        page_for(client, user, "/")  # warm caches (site root, settings)
        with CaptureQueriesContext(connection) as queries:
            page_for(client, user, "/")
        return [q for q in queries.captured_queries if '"manager_group_id" IN (SELECT' in q["sql"]]

    assert venue_lookups(None) == []
    assert venue_lookups(roles["manager"]) == []  # read on the first page, then from the cache


def test_the_header_follows_a_change_of_rights_at_once(
    client, venue, member, staff_user, django_capture_on_commit_callbacks
):
    """The header's links are cached per member: attaching or detaching a manager shows
    on their next page."""
    from members.services import detach_manager

    edit = f'href="{reverse("wagtailadmin_pages:edit", args=[venue.pk])}" data-my-venue>'
    assert edit not in page_for(client, member, "/")
    with django_capture_on_commit_callbacks(execute=True):
        attach_manager(venue, member, by=staff_user)
    assert edit in page_for(client, member, "/")
    with django_capture_on_commit_callbacks(execute=True):
        detach_manager(venue, member, by=staff_user)
    assert edit not in page_for(client, member, "/")


# -- "Demandez l'accès" --------------------------------------------------------------------


def test_demandez_l_acces_never_to_whoever_already_edits_the_venue(client, roles, venue):
    for role, user in roles.items():
        page = page_for(client, user, venue.url)
        shown = CLAIM_TEXT in page
        # Its manager and staff edit it already; anyone else may ask, the other venue's managers too.
        assert shown is (role not in ("manager", "staff")), role


# -- the venue manager's dashboard -----------------------------------------------------------


def test_the_manager_dashboard_shows_their_venue_moderation_and_upcoming_events(
    client, roles, venue, other_venue, staff_user
):
    from events.proposals import propose_event

    upcoming = EventPageFactory(parent=venue, title="Atelier soudure", slug="atelier-soudure", venue=venue)
    EventPageFactory(parent=venue, title="Soirée passée", slug="soiree-passee", start=in_days(-3))
    EventPageFactory(parent=other_venue, title="Chez le voisin", slug="chez-le-voisin", venue=other_venue)
    proposal = propose_event(
        {
            "title": "Réparons nos vélos",
            "kind": "workshop",
            "summary": "On répare ensemble.",
            "start": in_days(12),
            "end": in_days(12) + timedelta(hours=2),
            "venue": venue,
        },
        by=roles["member"],
    )
    edit = reverse("wagtailadmin_pages:edit", args=[venue.pk])

    page = page_for(client, roles["manager"], ADMIN)
    assert 'id="mes-lieux-section' in page
    assert f'href="{edit}"' in page and "Modifier la fiche de La Coroutine" in page
    moderation = page.split("data-in-moderation", 1)[1].split("</ul>", 1)[0]
    assert "Réparons nos vélos" in moderation and str(proposal.page_id) in moderation
    events = page.split("data-upcoming-events", 1)[1].split("</ul>", 1)[0]
    assert upcoming.title in events
    assert "Soirée passée" not in events and "Chez le voisin" not in events

    other = page_for(client, roles["other_manager"], ADMIN)
    assert "Modifier la fiche de Le Hangar" in other and edit not in other
    assert "Réparons nos vélos" not in other and upcoming.title not in other
    assert "Chez le voisin" in other

    client.force_login(roles["member"])
    assert client.get(ADMIN).status_code == 302  # a member has no admin at all
    staff = page_for(client, staff_user, ADMIN)
    assert "data-my-venues-panel" not in staff  # staff manage no venue of their own


def our_panels(user):
    """The HTML of the project's dashboard panels for ``user`` and the queries they cost
    (Wagtail's own panels, e.g. "Awaiting your review", are Wagtail's business)."""
    from django.test import RequestFactory
    from wagtail import hooks

    request = RequestFactory().get(ADMIN)
    request.user = type(user).objects.get(pk=user.pk)  # nothing cached on the instance
    # As in the admin, whose access check (``wagtailadmin.access_admin``) loads the
    # user's permissions before any panel: the panels' permission checks read them.
    request.user.has_perms(["wagtailadmin.access_admin"])
    panels = []
    with CaptureQueriesContext(connection) as queries:
        for add_panels in hooks.get_hooks("construct_homepage_panels"):
            add_panels(request, panels)
        html = "".join(panel.render_html({"request": request}) for panel in panels)
    return html, len(queries)


# -- the staff dashboard ----------------------------------------------------------------------


def todo_counts(page):
    """``{label: count}`` of the staff's "À traiter" panel."""
    import re

    table = page.split("data-staff-todo", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<a href="([^"]+)">([^<]+)</a></td>\s*<td data-count>(?:<strong>)?(\d+)', table)
    return {label: (int(count), url) for url, label, count in rows}


def make_work(staff, member, venue, mentor_profile, n=1):
    """``n`` of each thing staff must handle."""
    from events.proposals import propose_event
    from mentoring import services as mentoring_services
    from network.discussion.models import Report
    from tests.factories.discussion import MessageFactory

    for i in range(n):
        VenueClaimFactory(user=VerifiedUserFactory())
        MentoringRequestFactory()  # open: no venue proposed yet
        mentoring_services.propose_pairing(MentoringRequestFactory(), mentor_profile, by=staff)
        start = timezone.now() + timedelta(days=10 + i)
        propose_event(
            {
                "title": f"Proposition {i}",
                "kind": "workshop",
                "summary": "",
                "start": start,
                "end": start + timedelta(hours=1),
                "street_address": "1 place du Marché",
            },
            by=member,
        )
        Report.objects.create(message=MessageFactory(), reporter=member, reason="spam")


def test_the_staff_dashboard_counts_what_waits_with_links(client, roles, venue, staff_user, member):
    from mentoring.models import MentorProfile

    mentor_profile = MentorProfile.objects.get()
    mentor_profile.capacity = 10
    mentor_profile.save()
    make_work(staff_user, member, venue, mentor_profile, n=2)
    page = page_for(client, staff_user, ADMIN)
    assert "À traiter par l&#x27;équipe du réseau" in page
    counts = todo_counts(page)
    assert counts == {
        "Demandes de lieux en attente": (2, reverse("members_claims:index")),
        "Demandes de compagnonnage sans lieu proposé": (2, reverse("mentoring_admin:dashboard")),
        "Propositions de compagnonnage à valider": (2, reverse("mentoring_admin:dashboard")),
        "Propositions d&#x27;événements à approuver": (2, reverse("wagtailadmin_reports:workflow")),
        "Signalements à traiter": (2, reverse("discussion_moderation:index")),
    }
    for role in ("manager", "other_manager", "mentor"):
        assert "data-staff-todo" not in page_for(client, roles[role], ADMIN), role


def test_the_staff_dashboard_costs_the_same_queries_whatever_the_backlog(client, roles, venue, staff_user):
    from mentoring.models import MentorProfile

    mentor_profile = MentorProfile.objects.get()
    mentor_profile.capacity = 20
    mentor_profile.save()
    make_work(staff_user, roles["member"], venue, mentor_profile, n=1)
    _html, few = our_panels(staff_user)
    make_work(staff_user, roles["member"], venue, mentor_profile, n=5)
    html, many = our_panels(staff_user)
    assert todo_counts(html)["Signalements à traiter"][0] == 6
    assert many == few <= 8  # who the user is, their venues, then one count per row


def test_the_manager_dashboard_is_bounded(client, venue, staff_user):
    from events.proposals import propose_event

    user = manager_of(venue, staff=staff_user)
    proposer = VerifiedUserFactory()

    def add(n, start_at):
        for i in range(start_at, start_at + n):
            EventPageFactory(parent=venue, title=f"Atelier {i}", slug=f"atelier-{i}", venue=venue)
            start = timezone.now() + timedelta(days=20 + i)
            propose_event(
                {
                    "title": f"Idée {i}",
                    "kind": "workshop",
                    "summary": "",
                    "start": start,
                    "end": start + timedelta(hours=1),
                    "venue": venue,
                },
                by=proposer,
            )

    add(1, 0)
    _html, few = our_panels(user)
    add(7, 1)
    html, many = our_panels(user)
    assert html.count("Atelier ") == 8 and html.count("Idée ") == 8
    assert many == few <= 4  # the venues, the pages in moderation, the upcoming dates: once each
