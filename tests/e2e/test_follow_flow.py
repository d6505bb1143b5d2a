"""Following a venue in the browser: a visitor signs in from the button, follows,
finds it on the profile and stops following it there."""

import pytest

from events.models import Follow
from members.models import VenueIndexPage
from tests.factories.venues import VenuePageFactory

pytestmark = pytest.mark.browser


def test_sign_in_follow_a_venue_and_unfollow_it_from_the_profile(page, live_site, member):
    from tests.factories.members import PASSWORD

    venue = VenuePageFactory(parent=VenueIndexPage.objects.get(), title="La Coroutine", slug="la-coroutine")
    page.goto(live_site + venue.url)
    page.get_by_role("link", name="Connectez-vous pour suivre La Coroutine").click()
    page.get_by_label("E-mail").fill(member.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_site + venue.url)

    page.get_by_role("button", name="Suivre La Coroutine").click()
    page.wait_for_url(live_site + venue.url)
    assert page.get_by_text("Vous suivez « La Coroutine ».").is_visible()
    assert page.get_by_role("button", name="Ne plus suivre La Coroutine").is_visible()
    assert Follow.objects.filter(user=member, venue=venue).exists()

    page.goto(live_site + "/accounts/profile/")
    follows = page.locator("#suivis")
    assert follows.get_by_role("link", name="La Coroutine").is_visible()
    follows.get_by_role("button", name="Ne plus suivre La Coroutine").click()
    page.wait_for_url(live_site + "/accounts/profile/#suivis")
    assert page.get_by_text("Vous ne suivez plus cela.").is_visible()
    assert page.get_by_text("Vous ne suivez rien pour l’instant.", exact=False).is_visible()
    assert not Follow.objects.exists()
