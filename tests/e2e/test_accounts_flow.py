import re

import pytest

from members.models import User

pytestmark = pytest.mark.browser


def test_sign_up_confirm_email_and_edit_profile(page, live_site, mailoutbox):
    page.goto(live_site + "/")
    page.get_by_role("link", name="Créer un compte").first.click()
    page.get_by_label("E-mail").fill("claire@example.org")
    page.get_by_label("Nom affiché").fill("Claire Fabmanageuse")
    page.locator("#id_password1").fill("un-mot-de-passe-solide")
    page.locator("#id_password2").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert "Vérifiez votre adresse e-mail" in page.content()

    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.goto(live_site + "/accounts/profile/")
    assert page.get_by_role("heading", name="Mon profil").is_visible()

    page.get_by_label("Nom affiché").fill("C")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("au moins 2 caractères").is_visible()
    page.get_by_label("Nom affiché").fill("Claire F.")
    page.get_by_label("Commune").select_option(label="Roubaix")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Votre profil est enregistré.").is_visible()
    user = User.objects.get(email="claire@example.org")
    assert (user.display_name, user.commune.name) == ("Claire F.", "Roubaix")


def test_log_in_log_out_and_switch_language(page, live_site, member):
    from tests.factories.members import PASSWORD

    page.goto(live_site + "/accounts/login/")
    page.get_by_label("E-mail").fill(member.email)
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_text("L’adresse e-mail ou le mot de passe sont incorrects.").is_visible()
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_site + "/")
    assert page.get_by_role("link", name="Mon profil").is_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Venues").first.is_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Log in").is_visible()
