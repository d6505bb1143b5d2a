"""A newcomer asks for mentoring, corrects a mistake, and follows the request."""

import pytest
from django.test import Client

from mentoring.models import MentoringRequest
from tests.factories import VerifiedUserFactory

pytestmark = pytest.mark.browser


def test_newcomer_submits_and_follows_a_mentoring_request(page, live_site):
    newcomer = VerifiedUserFactory(display_name="Dominique")
    client = Client()
    client.force_login(newcomer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site}]
    )

    page.goto(live_site + "/compagnonnage/")
    page.get_by_role("link", name="Décrire mon projet").click()
    page.get_by_label("Nom du projet").fill("La Ruche de Wattrelos")
    page.get_by_label("Description du projet").fill("Trop court")
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert page.get_by_text("au moins 20 caractères").is_visible()
    assert page.get_by_text("Cochez au moins un besoin.").is_visible()
    assert page.get_by_label("Nom du projet").input_value() == "La Ruche de Wattrelos"  # nothing lost

    description = "Un atelier partagé et un café dans une ancienne filature."
    page.get_by_label("Description du projet").fill(description)
    page.get_by_label("État d'avancement").select_option(index=2)
    page.get_by_label("modèle économique").check()
    page.get_by_label("statut juridique").check()
    page.get_by_label("Commune du projet").select_option(label="Wattrelos")
    page.get_by_role("button", name="Envoyer ma demande").click()

    page.get_by_role("heading", name="La Ruche de Wattrelos").wait_for()
    request = MentoringRequest.objects.get(project_name="La Ruche de Wattrelos")
    assert request.applicant == newcomer
    assert request.commune.name == "Wattrelos"
