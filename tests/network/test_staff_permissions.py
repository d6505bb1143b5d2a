"""The staff's admin screens and actions are decided by Django permissions, through
each screen's Wagtail permission policy, never by the staff group's name.

Roles: anonymous, member (no admin at all), manager of another venue and mentor
(both in the admin, for their venue), staff (the "Équipe du réseau" group), and a
user who is in no group but holds the screen's permissions: they get in, which
proves the check reads permissions.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from members.models import VenueClaim, VenueImport
from members.services import attach_manager, ensure_staff_group
from mentoring.models import Proposal
from network.permissions import STAFF_PERMISSION, is_staff_member, staff_members
from tests.factories import VerifiedUserFactory
from tests.factories.exchanges import PostFactory
from tests.factories.mentoring import MentoringRequestFactory, MentorProfileFactory, ProposalFactory
from tests.factories.venues import VenueClaimFactory

LOGIN = "/admin/login/"
ADMIN_HOME = "/admin/"


def grant(user, *names):
    for name in names:
        app_label, codename = name.split(".")
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        user.user_permissions.add(permission)
    return type(user).objects.get(pk=user.pk)  # a fresh instance: no cached permissions


@pytest.fixture
def roles(db, venue, other_venue, member, staff_user):
    """Every refused role, and staff. ``None`` is the anonymous visitor."""
    other_manager = VerifiedUserFactory()
    attach_manager(other_venue, other_manager, by=staff_user)
    mentor = VerifiedUserFactory()
    attach_manager(venue, mentor, by=staff_user)
    MentorProfileFactory(venue=venue)
    return {
        "anonymous": None,
        "member": member,
        "manager of another venue": other_manager,
        "mentor": mentor,
        "staff": staff_user,
    }


@pytest.fixture
def work(roles, venue, member):
    """One of everything the staff act on."""
    from mentoring.models import MentorProfile

    mentor = MentorProfile.objects.get(venue=venue)
    return {
        "claim": VenueClaimFactory(user=member, venue=venue, kind=VenueClaim.Kind.CLAIM),
        "import": VenueImport.objects.create(filename="a.csv", data=b"", status=VenueImport.Status.PREVIEW),
        "done_import": VenueImport.objects.create(filename="b.csv", data=b"", status=VenueImport.Status.DONE),
        "request": MentoringRequestFactory(),
        "mentor": mentor,
        "proposal": ProposalFactory(mentor=mentor, status=Proposal.Status.PENDING_REVIEW),
        "post": PostFactory(),
    }


# Every staff screen (GET), with the permissions that open it (any of them).
SCREENS = {
    "claims": (lambda w: "/admin/venue-claims/", ["members.view_venueclaim"]),
    "claim": (lambda w: f"/admin/venue-claims/{w['claim'].pk}/", ["members.view_venueclaim"]),
    "imports": (lambda w: "/admin/venue-imports/", ["members.view_venueimport"]),
    "import": (lambda w: f"/admin/venue-imports/{w['import'].pk}/", ["members.view_venueimport"]),
    "import status": (
        lambda w: f"/admin/venue-imports/{w['import'].pk}/status/",
        ["members.view_venueimport"],
    ),
    "import report": (
        lambda w: f"/admin/venue-imports/{w['done_import'].pk}/report.csv",
        ["members.view_venueimport"],
    ),
    "mentoring": (lambda w: "/admin/compagnonnage/", ["mentoring.view_mentoringrequest"]),
    "mentoring request": (
        lambda w: f"/admin/compagnonnage/demande/{w['request'].pk}/",
        ["mentoring.view_mentoringrequest"],
    ),
    "batch": (lambda w: "/admin/compagnonnage/affectation/", ["mentoring.add_proposal"]),
    "figures": (lambda w: "/admin/compagnonnage/chiffres/", ["mentoring.view_mentoringrequest"]),
    "figures csv": (lambda w: "/admin/compagnonnage/chiffres.csv", ["mentoring.view_mentoringrequest"]),
    "posts": (lambda w: "/admin/besoins-et-ressources/?filtre=toutes", ["exchanges.view_post"]),
    "post": (lambda w: f"/admin/besoins-et-ressources/{w['post'].pk}/", ["exchanges.view_post"]),
}


def _refuse_claim(client, w):
    client.post(f"/admin/venue-claims/{w['claim'].pk}/", {"decision": "refuse", "reason": "Pas ce lieu."})
    w["claim"].refresh_from_db()
    return w["claim"].status == VenueClaim.Status.REFUSED


def _start_import(client, w):
    client.post(f"/admin/venue-imports/{w['import'].pk}/", {"lines": ["2"]})
    w["import"].refresh_from_db()
    return w["import"].status != VenueImport.Status.PREVIEW


def _propose(client, w):
    url = f"/admin/compagnonnage/demande/{w['request'].pk}/proposer/"
    client.post(url, {"mentor": w["mentor"].pk})
    return Proposal.objects.filter(request=w["request"]).exists()


def _batch(client, w):
    client.post("/admin/compagnonnage/affectation/", {"pair": [f"{w['request'].pk}:{w['mentor'].pk}"]})
    return Proposal.objects.filter(request=w["request"], from_batch=True).exists()


def _approve(client, w):
    client.post(f"/admin/compagnonnage/proposition/{w['proposal'].pk}/", {"action": "approve"})
    w["proposal"].refresh_from_db()
    return w["proposal"].status == Proposal.Status.AWAITING_MENTOR


def _hide(client, w):
    client.post(f"/admin/besoins-et-ressources/{w['post'].pk}/", {"action": "hide", "reason": "Hors sujet"})
    w["post"].refresh_from_db()
    return w["post"].hidden


# Every staff action (POST), whether it took effect, and the permissions it needs (all of them).
ACTIONS = {
    "decide a claim": (_refuse_claim, ["members.view_venueclaim", "members.change_venueclaim"]),
    "start an import": (_start_import, ["members.view_venueimport", "members.add_venueimport"]),
    "propose a pairing": (_propose, ["mentoring.add_proposal"]),
    "propose a batch": (_batch, ["mentoring.add_proposal"]),
    "approve a proposal": (_approve, ["mentoring.change_proposal"]),
    "hide a post": (_hide, ["exchanges.change_post"]),
}


def login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def assert_refused(response, role):
    assert response.status_code == 302, role
    if role in ("anonymous", "member"):  # no admin at all: Wagtail's login
        assert response.url.startswith(LOGIN), role
    else:  # in the admin for their venue, not on this screen
        assert response.url == ADMIN_HOME, role


@pytest.mark.parametrize("screen", SCREENS)
def test_each_staff_screen_opens_to_staff_only(client, roles, work, screen):
    url = SCREENS[screen][0](work)
    for role, user in roles.items():
        login(client, user)
        response = client.get(url)
        if role == "staff":
            assert response.status_code == 200, (screen, response.status_code)
        else:
            assert_refused(response, role)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_screens_permission_opens_it_without_the_staff_group(client, work, screen):
    build, permissions = SCREENS[screen]
    user = VerifiedUserFactory()
    login(client, user)
    assert_refused(client.get(build(work)), "member")
    user = grant(user, "wagtailadmin.access_admin")
    login(client, user)
    assert_refused(client.get(build(work)), "in the admin")
    user = grant(user, *permissions)
    assert not user.groups.exists()
    login(client, user)
    assert client.get(build(work)).status_code == 200


@pytest.mark.parametrize("action", ACTIONS)
def test_each_staff_action_is_taken_by_staff_only(client, roles, work, action):
    act = ACTIONS[action][0]
    for role, user in roles.items():
        if role == "staff":
            continue
        login(client, user)
        assert not act(client, work), (action, role)
    login(client, roles["staff"])
    assert act(client, work), action


@pytest.mark.parametrize("action", ACTIONS)
def test_the_actions_permission_is_what_allows_it(client, work, action):
    act, permissions = ACTIONS[action]
    user = grant(VerifiedUserFactory(), "wagtailadmin.access_admin", *permissions[:-1])
    login(client, user)
    assert not act(client, work), action  # everything but the action's own permission
    login(client, grant(user, permissions[-1]))
    assert act(client, work), action


def test_a_team_member_whose_group_lost_a_permission_loses_that_action_only(client, work, staff_user):
    team = ensure_staff_group()
    team.permissions.remove(Permission.objects.get(codename="change_venueclaim"))
    login(client, staff_user)
    response = client.get(f"/admin/venue-claims/{work['claim'].pk}/")
    assert response.status_code == 200
    assert "Enregistrer la décision" not in response.content.decode()  # nothing to decide with
    assert not _refuse_claim(client, work)
    assert _hide(client, work)  # the others stay


# Menu label -> the permission that shows it.
MENU = {
    "Demandes de lieux": "members.view_venueclaim",
    "Import de lieux": "members.view_venueimport",
    "Compagnonnage": "mentoring.view_mentoringrequest",
    "Besoins et ressources": "exchanges.view_post",
}


def menu_of(client, user):
    login(client, user)
    html = client.get(ADMIN_HOME).content.decode()
    return {label for label in MENU if f'"{label}"' in html}


def test_menu_items_show_to_whoever_may_open_them(client, roles):
    for role in ("manager of another venue", "mentor"):
        assert menu_of(client, roles[role]) == set(), role
    assert menu_of(client, roles["staff"]) == set(MENU)
    base = grant(VerifiedUserFactory(), "wagtailadmin.access_admin")
    for label, permission in MENU.items():
        user = grant(VerifiedUserFactory(), "wagtailadmin.access_admin", permission)
        assert menu_of(client, user) == {label}
    assert menu_of(client, base) == set()


def test_the_todo_panel_rows_follow_the_permissions(client, roles, work):
    login(client, roles["mentor"])
    assert "data-staff-todo" not in client.get(ADMIN_HOME).content.decode()
    user = grant(VerifiedUserFactory(), "wagtailadmin.access_admin", "members.change_venueclaim")
    login(client, user)
    page = client.get(ADMIN_HOME).content.decode()
    assert "Demandes de lieux en attente" in page
    assert "Propositions de compagnonnage à valider" not in page
    login(client, roles["staff"])
    page = client.get(ADMIN_HOME).content.decode()
    assert "Demandes de lieux en attente" in page and "Propositions de compagnonnage à valider" in page


def test_staff_outside_the_admin_is_a_permission_too(db, staff_user, member):
    assert is_staff_member(staff_user) and not is_staff_member(member)
    assert list(staff_members()) == [staff_user]
    holder = grant(VerifiedUserFactory(), STAFF_PERMISSION)
    assert is_staff_member(holder) and set(staff_members()) == {staff_user, holder}
    holder.is_active = False
    holder.save()
    assert not is_staff_member(type(holder).objects.get(pk=holder.pk))
    assert set(staff_members()) == {staff_user}


def test_the_claim_email_goes_to_whoever_decides_claims(db, staff_user, member, mailoutbox, venue):
    from members.tasks import send_claim_email

    decider = grant(VerifiedUserFactory(), "members.change_venueclaim")
    claim = VenueClaimFactory(user=member, venue=venue, kind=VenueClaim.Kind.CLAIM)
    send_claim_email.call(claim.pk, "submitted")
    recipients = {address for mail in mailoutbox for address in mail.to}
    assert recipients == {staff_user.email, decider.email}


def test_the_urls_keep_their_paths():
    assert reverse("members_claims:index") == "/admin/venue-claims/"
    assert reverse("members_imports:report", args=[3]) == "/admin/venue-imports/3/report.csv"
    assert reverse("mentoring_admin:dashboard") == "/admin/compagnonnage/"
    assert reverse("exchanges_moderation:index") == "/admin/besoins-et-ressources/"


def test_who_may_only_read_a_screen_gets_no_button_to_act(client, work):
    reader = grant(
        VerifiedUserFactory(),
        "wagtailadmin.access_admin",
        "members.view_venueclaim",
        "members.view_venueimport",
        "mentoring.view_mentoringrequest",
        "exchanges.view_post",
    )
    login(client, reader)
    pages = {
        "Enregistrer la décision": f"/admin/venue-claims/{work['claim'].pk}/",
        "Voir l'aperçu": "/admin/venue-imports/",
        "Confirmer l'import": f"/admin/venue-imports/{work['import'].pk}/",
        "Valider et prévenir le lieu": "/admin/compagnonnage/",
        "Masquer l'annonce": f"/admin/besoins-et-ressources/{work['post'].pk}/",
    }
    for button, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200 and button not in response.content.decode(), url
    assert not any(act(client, work) for act, _permissions in ACTIONS.values())
    login(client, ensure_staff_group().user_set.first())
    for button, url in pages.items():
        assert button in client.get(url).content.decode(), url  # the staff have them


def test_the_data_migration_grants_the_team_what_ensure_staff_group_does(db):
    import importlib

    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth.models import Group

    from members.services import STAFF_PERMISSIONS

    def held(group):
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}

    migration = importlib.import_module("members.migrations.0017_staff_permissions")
    Group.objects.filter(name=settings.STAFF_GROUP_NAME).delete()
    team = Group.objects.create(name=settings.STAFF_GROUP_NAME)  # as an existing site has it
    migration.grant(apps, None)
    assert held(team) == set(STAFF_PERMISSIONS)
    migration.revoke(apps, None)
    assert held(team) == {"wagtailadmin.access_admin"}
    # and the translation of content pages (migration home/0005, docs/i18n.md)
    assert held(ensure_staff_group()) == {*STAFF_PERMISSIONS, "simple_translation.submit_translation"}


def test_discussion_moderation_network_wide_is_the_staff_permission(client, roles, member):
    """The moderation screen already had its policy (staff: every room but private
    ones; a room's moderators: that room); its staff part is now a permission."""
    from network.discussion import services as discussion
    from network.discussion.models import Room

    room = discussion.create_room(kind=Room.Kind.TOPIC, title="Général", by=None)
    message, _created = discussion.post_message(room, by=VerifiedUserFactory(), body="Propos déplacé")
    report = discussion.report_message(message, by=member, reason="Insultant")
    url = reverse("discussion_moderation:report", args=[report.pk])
    for role, user in roles.items():
        login(client, user)
        response = client.get(url)
        if role == "staff":
            assert response.status_code == 200
        elif role in ("anonymous", "member"):
            assert_refused(response, role)
        else:  # they moderate their own venue's room, not this one
            assert response.status_code == 404, role
    holder = grant(VerifiedUserFactory(), "wagtailadmin.access_admin", STAFF_PERMISSION)
    login(client, holder)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "hide", "reason": "Hors charte"})
    message.refresh_from_db()
    assert message.hidden
