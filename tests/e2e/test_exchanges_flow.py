"""A member posts a need at desktop width, finds it on the list and its map;
another member contacts them; the pages have no axe violation."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from exchanges.models import Post
from network.discussion.models import Room
from tests.e2e.test_accessibility import AXE, RUN_AXE
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.browser
LIST = "/besoins-et-ressources/"


def log_in(context, live_site, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site}])


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def test_a_member_posts_a_need_and_another_contacts_them(browser, live_site, mailoutbox, tmp_path):
    author = VerifiedUserFactory(display_name="Camille", email="camille@example.org")
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(context, live_site, author)

    page.goto(live_site + "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Besoins et ressources"
    ).click()
    page.wait_for_url("**/besoins-et-ressources/")
    page.get_by_role("link", name="Publier un besoin ou une ressource").click()
    page.wait_for_url("**/besoins-et-ressources/publier/")
    expect(page.locator("input[name=site_web]")).not_to_be_in_viewport()  # the honeypot stays off screen

    page.get_by_label("Besoin").check()
    page.get_by_label("Catégorie").select_option(label="Bénévoles, coups de main")
    page.get_by_label("Titre").fill("Des bras pour le chantier participatif")
    description = "<p>Samedi matin, <em>gants fournis</em>.</p><script>alert(1)</script>"
    page.get_by_label("Description").fill(description)
    page.get_by_label("Commune").select_option(label="Roubaix")
    page.get_by_role("button", name="Publier l'annonce").click()
    expect(page.get_by_role("heading", name="Des bras pour le chantier participatif")).to_be_visible()
    expect(page.get_by_text("Votre annonce est en ligne.")).to_be_visible()
    assert "alert(1)" not in page.content()
    post = Post.objects.get()
    assert post.commune.name == "Roubaix" and post.category == "benevoles"
    page.screenshot(path=str(tmp_path / "detail.png"), full_page=True)

    page.goto(live_site + "/besoins-et-ressources/?kind=besoin&commune=59512")
    expect(page.get_by_role("link", name="Des bras pour le chantier participatif")).to_be_visible()
    expect(page.locator(".venue-map .leaflet-marker-icon")).to_have_count(1)  # on the map, at Roubaix
    page.screenshot(path=str(tmp_path / "list.png"), full_page=True)
    assert axe_violations(page) == []
    context.close()

    # Another member writes to Camille: "Contacter" opens a direct conversation
    # with her, the first message naming the post; no address is shown, no e-mail sent.
    other = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = other.new_page()
    page.set_default_timeout(15_000)
    log_in(other, live_site, VerifiedUserFactory(display_name="Dominique", email="dominique@example.org"))
    page.goto(live_site + post.get_absolute_url())
    assert "camille@example.org" not in page.content()
    page.get_by_role("link", name="Contacter").click()
    assert axe_violations(page) == []
    body = page.get_by_label("Votre message")
    expect(body).to_have_value(re.compile("Des bras pour le chantier participatif"))
    body.fill("Je viens avec deux amis.")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.locator(".message", has_text="Je viens avec deux amis.")).to_be_visible()
    room = Room.objects.get(kind=Room.Kind.DIRECT)
    members = set(room.memberships.values_list("user__email", flat=True))
    assert members == {"camille@example.org", "dominique@example.org"}
    assert "camille@example.org" not in page.content()
    assert mailoutbox == []
    other.close()


def test_the_list_and_a_post_have_no_axe_violation_on_a_phone(browser, live_site):
    from tests.factories.exchanges import PostFactory

    post = PostFactory(title="Une imprimante 3D à prêter", kind="ressource", category="materiel")
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = {}
    try:
        for path in [LIST, f"{LIST}?commune=99999", post.get_absolute_url()]:
            page.goto(live_site + path)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
            violations = axe_violations(page)
            if violations:
                found[path] = violations
    finally:
        context.close()
    assert found == {}
