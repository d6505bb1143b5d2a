"""Who may do what with a venue: claims, managers, the Wagtail admin and the public site."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from members.models import VenueClaim, VenuePage
from members.services import (
    AlreadyManager,
    ClaimNotPending,
    DuplicateClaim,
    EmailNotVerified,
    InvalidClaim,
    NotAllowed,
    approve_claim,
    attach_manager,
    refuse_claim,
    request_venue_claim,
    venues_managed_by,
)
from tests.factories import UserFactory, VerifiedUserFactory
from tests.factories.venues import VenueClaimFactory, commune

# -- services --------------------------------------------------------------------


def test_attach_manager_creates_the_venue_group_with_page_and_image_rights(venue, staff_user):
    user = VerifiedUserFactory()
    group = attach_manager(venue, user, by=staff_user)
    venue.refresh_from_db()
    assert group.name == "Lieu : La Coroutine"
    assert venue.manager_group == group
    assert user.groups.filter(pk=group.pk).exists()
    codenames = set(
        GroupPagePermission.objects.filter(group=group, page=venue).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
    assert group.permissions.filter(codename="access_admin").exists()
    assert group.collection_permissions.filter(
        collection=venue.collection, permission__codename="add_image"
    ).exists()
    # Attaching again (or another manager) reuses the same group.
    assert attach_manager(venue, VerifiedUserFactory(), by=staff_user) == group
    assert Group.objects.filter(name__startswith="Lieu : La Coroutine").count() == 1
    assert list(venues_managed_by(user)) == [venue]


def test_only_staff_attach_managers(venue, member):
    with pytest.raises(NotAllowed):
        attach_manager(venue, member, by=member)


def test_unverified_member_cannot_claim(venue):
    with pytest.raises(EmailNotVerified) as error:
        request_venue_claim({"venue": venue, "message": "moi"}, by=UserFactory())
    assert error.value.code == "email_not_verified"


def test_claim_rules(venue, member, manager):
    request_venue_claim({"venue": venue, "message": "je gère"}, by=member)
    with pytest.raises(DuplicateClaim):
        request_venue_claim({"venue": venue, "message": "encore"}, by=member)
    with pytest.raises(AlreadyManager):
        request_venue_claim({"venue": venue, "message": "moi"}, by=manager)
    with pytest.raises(InvalidClaim):
        request_venue_claim({"name": "", "message": "?"}, by=member)


def test_new_venue_claim_approved_creates_a_draft_and_attaches_the_claimant(
    venue_index, member, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = request_venue_claim(
            {
                "name": "La Coopérative du Coin",
                "commune": commune("59512"),
                "main_activity": "fablab",
                "message": "<script>alert(1)</script>Je suis <b>présidente</b>",
            },
            by=member,
        )
    assert claim.kind == VenueClaim.Kind.NEW
    # Plain text, stored as typed: the templates escape it (tests/network/test_emails.py).
    assert claim.message == "<script>alert(1)</script>Je suis <b>présidente</b>"
    assert [m.to for m in mailoutbox] == [[staff_user.email]]

    with django_capture_on_commit_callbacks(execute=True):
        approve_claim(claim, by=staff_user)
    claim.refresh_from_db()
    venue = claim.venue
    assert claim.status == VenueClaim.Status.APPROVED and claim.decided_by == staff_user
    assert venue.get_parent().specific == venue_index
    assert not venue.live
    assert venue.main_activity == "fablab" and venue.commune.insee_code == "59512"
    assert venue.revisions.count() == 1
    assert list(venues_managed_by(member)) == [venue]
    assert mailoutbox[-1].to == [member.email]
    assert "acceptée" in mailoutbox[-1].subject
    with pytest.raises(ClaimNotPending):
        approve_claim(claim, by=staff_user)


def test_refusal_needs_a_reason_and_is_emailed(
    member, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    claim = VenueClaimFactory(user=member)
    with pytest.raises(InvalidClaim):
        refuse_claim(claim, by=staff_user, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        refuse_claim(claim, by=staff_user, reason="Ce lieu n'est pas dans la métropole.")
    claim.refresh_from_db()
    assert claim.status == VenueClaim.Status.REFUSED
    assert mailoutbox[-1].to == [member.email]
    assert "pas dans la métropole" in mailoutbox[-1].body
    assert not venues_managed_by(member).exists()


def test_only_staff_decide(member):
    claim = VenueClaimFactory(user=VerifiedUserFactory())
    with pytest.raises(NotAllowed):
        approve_claim(claim, by=member)
    with pytest.raises(NotAllowed):
        refuse_claim(claim, by=member, reason="non")


# -- the claim form -------------------------------------------------------------


def test_claim_form_requires_login(client, site_tree):
    response = client.get("/lieux/referencer/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_member_claims_an_existing_venue_from_the_site(member_client, member, venue):
    response = member_client.get(f"/lieux/referencer/?lieu={venue.pk}")
    assert response.status_code == 200
    response = member_client.post(
        "/lieux/referencer/", {"venue": venue.pk, "message": "Je coordonne le lieu."}
    )
    assert response.status_code == 302
    claim = VenueClaim.objects.get(user=member)
    assert claim.kind == VenueClaim.Kind.CLAIM and claim.venue == venue


def test_claim_form_asks_name_and_commune_for_a_new_venue(member_client, member, site_tree):
    response = member_client.post("/lieux/referencer/", {"message": "Bonjour"})
    assert response.status_code == 200
    assert "Requis pour un nouveau lieu." in response.content.decode()
    assert not VenueClaim.objects.exists()


def test_unverified_member_sees_why_they_cannot_claim(client, site_tree):
    client.force_login(UserFactory())
    response = client.post("/lieux/referencer/", {"name": "X", "message": "Bonjour"})
    assert response.status_code == 200
    assert "Confirmez d'abord votre adresse e-mail" in response.content.decode()
    assert not VenueClaim.objects.exists()


# -- the permission matrix --------------------------------------------------------


@pytest.fixture
def actors(client, member, manager, staff_user):
    return {"anonymous": None, "member": member, "manager": manager, "staff": staff_user}


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


DENIED = (302, 403, 404)


@pytest.mark.parametrize(
    ("actor", "own_venue", "allowed"),
    [
        ("anonymous", True, False),
        ("member", True, False),
        ("manager", True, True),
        ("manager", False, False),
        ("staff", True, True),
        ("staff", False, True),
    ],
)
def test_admin_edit_view(client, actors, venue, other_venue, actor, own_venue, allowed):
    page = venue if own_venue else other_venue
    response = _as(client, actors[actor]).get(f"/admin/pages/{page.pk}/edit/")
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in DENIED
        assert page.title.encode() not in response.content or response.status_code == 302


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("member", (False, False, False)), ("manager", (True, True, False)), ("staff", (True, True, True))],
)
def test_wagtail_permission_policy(actors, venue, other_venue, actor, expected):
    user = actors[actor]
    own = venue.permissions_for_user(user)
    other = other_venue.permissions_for_user(user)
    assert (own.can_edit(), own.can_publish(), other.can_edit() and other.can_publish()) == expected


def _edit_form(page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "description": rich_text("<p>Un lieu.</p>"),
        "main_activity": page.main_activity,
        "tags": "",
        "legal_form": "",
        "street_address": "",
        "commune": page.commune_id,
        "latitude": "",
        "longitude": "",
        "surface_m2": "",
        "capacity": "",
        "pricing": "",
        "website": "",
        "email": "",
        "phone": "",
        "social_links": "",
        "mel_support_year": "",
        "mel_support_amount": "",
        "last_checked": "",
        "opening_hours": inline_formset([]),
        "gallery_images": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_manager_publishes_own_venue_as_a_revision(client, manager, venue):
    _as(client, manager)
    before = venue.revisions.count()
    response = client.post(
        f"/admin/pages/{venue.pk}/edit/",
        {**_edit_form(venue, summary="Nouveau résumé"), "action-publish": "action-publish"},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    venue.refresh_from_db()
    assert venue.summary == "Nouveau résumé"
    assert venue.live
    assert venue.revisions.count() == before + 1
    assert venue.latest_revision.user == manager


def test_manager_cannot_publish_another_venue(client, manager, other_venue):
    _as(client, manager)
    response = client.post(
        f"/admin/pages/{other_venue.pk}/edit/",
        {**_edit_form(other_venue, summary="Piraté"), "action-publish": "action-publish"},
    )
    assert response.status_code in DENIED
    other_venue.refresh_from_db()
    assert other_venue.summary != "Piraté"
    assert not other_venue.revisions.exists()
    response = client.post(f"/admin/pages/{other_venue.pk}/unpublish/")
    assert response.status_code in DENIED
    other_venue.refresh_from_db()
    assert other_venue.live


def test_manager_explorer_shows_only_their_venue(client, manager, venue, other_venue, venue_index):
    response = _as(client, manager).get(f"/admin/pages/{venue_index.pk}/")
    html = response.content.decode()
    if response.status_code == 200:
        assert "Le Hangar" not in html
    else:
        assert response.status_code in DENIED


@pytest.mark.parametrize(
    ("actor", "allowed"), [("anonymous", False), ("member", False), ("manager", False), ("staff", True)]
)
def test_claim_admin_views(client, actors, actor, allowed):
    claim = VenueClaimFactory(user=VerifiedUserFactory())
    _as(client, actors[actor])
    for url in ("/admin/venue-claims/", f"/admin/venue-claims/{claim.pk}/"):
        response = client.get(url)
        assert (response.status_code == 200) is allowed
        if not allowed:
            assert response.status_code in DENIED
    response = client.post(f"/admin/venue-claims/{claim.pk}/", {"decision": "approve"})
    claim.refresh_from_db()
    assert (claim.status == VenueClaim.Status.APPROVED) is allowed


def test_staff_refuses_from_the_admin_with_a_reason(client, staff_user):
    claim = VenueClaimFactory(user=VerifiedUserFactory())
    _as(client, staff_user)
    response = client.post(f"/admin/venue-claims/{claim.pk}/", {"decision": "refuse", "reason": ""})
    assert response.status_code == 200
    assert "Indiquez le motif du refus." in response.content.decode()
    response = client.post(f"/admin/venue-claims/{claim.pk}/", {"decision": "refuse", "reason": "Doublon."})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == VenueClaim.Status.REFUSED


@pytest.mark.parametrize("actor", ["anonymous", "member", "manager", "staff"])
def test_drafts_are_never_public(client, actors, make_venue, staff_user, actor):
    from members.services import attach_manager

    draft = make_venue(title="Lieu en préparation", slug="en-preparation", live=False)
    attach_manager(draft, actors["manager"], by=staff_user)
    _as(client, actors[actor])
    assert client.get("/lieux/en-preparation/").status_code == 404
    assert "Lieu en préparation" not in client.get("/lieux/").content.decode()
    assert "Lieu en préparation" not in client.get("/lieux/lieux.geojson").content.decode()
    assert "Lieu en préparation" not in client.get("/lieux/lieux.csv").content.decode()


def test_published_venue_is_public(client, venue):
    response = client.get("/lieux/la-coroutine/")
    assert response.status_code == 200
    assert VenuePage.objects.published().filter(pk=venue.pk).exists()
