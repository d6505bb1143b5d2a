"""Hostile values on the registration form and the e-mail links: form errors
in the visitor's language, never a 500, nothing stored."""

from html import unescape

import pytest

from events.models import Registration, RegistrationQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def asking_event(make_event):
    event = make_event(title="Visite", slug="visite", capacity=5, max_guests=2)
    RegistrationQuestion.objects.create(
        page=event, label="Atelier", kind="choice", choices="Bois\nMétal", required=True
    )
    RegistrationQuestion.objects.create(page=event, label="Besoins", kind="text")
    return event


def post(client, event, **fields):
    occurrence = event.occurrences.get()
    choice, text = event.questions.order_by("pk")
    data = {
        "occurrence": occurrence.pk,
        "name": "Zoé",
        "email": "zoe@example.org",
        "guests": "0",
        f"q_{choice.pk}": "Bois",
        f"q_{text.pk}": "",
        **fields,
    }
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"{event.url}inscription/", data, HTTP_ACCEPT_LANGUAGE="fr")


def field(event, kind):
    return f"q_{event.questions.get(kind=kind).pk}"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "pas-une-adresse"}, "adresse de courriel valide"),
        ({"email": "a@" + "b" * 300 + ".org"}, "caractères"),
        ({"name": ""}, "Champ requis"),
        ({"name": "   "}, "Champ requis"),
        ({"name": "x" * 151}, "150 caractères"),
        ({"name": "Zo\x00é"}, "caractère nul"),
        ({"guests": "99"}, "Sélectionnez un choix valide"),
        ({"guests": "-1"}, "Sélectionnez un choix valide"),
        ({"guests": "deux"}, "Sélectionnez un choix valide"),
        ({"choice": "Plastique"}, "Sélectionnez un choix valide"),
        ({"choice": None}, "Champ requis"),
        ({"text": "x" * 501}, "500 caractères"),
        ({"text": "a\x00b"}, "caractère nul"),
    ],
)
def test_bad_fields_answer_form_errors(client, asking_event, fields, message):
    fields = dict(fields)
    if "choice" in fields:
        fields[field(asking_event, "choice")] = fields.pop("choice")
    if "text" in fields:
        fields[field(asking_event, "text")] = fields.pop("text")
    response = post(client, asking_event, **fields)
    assert response.status_code == 400
    assert message in unescape(response.content.decode()).replace("’", "'")
    assert not Registration.objects.exists()


@pytest.mark.parametrize("raw", ["", "abc", "²", "0", "99999999999999999999999", "\x00"])
def test_a_bad_date_is_explained(client, asking_event, raw, make_event):
    make_event(title="Autre")  # a second event: its dates are not this one's
    asking_event.repeat, asking_event.repeat_count = "weekly", 2
    asking_event.save_revision().publish()
    response = client.post(
        f"{asking_event.url}inscription/", {"occurrence": raw, "name": "Zoé", "email": "z@example.org"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert (
        "Choisissez une date." in page
        or "Cette date n’existe pas." in page
        or "Cette date n&#x27;existe pas." in page
    )
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "token", ["1-" + "0" * 64, "1-abc", "99999999999999999999-" + "a" * 64, "0-" + "f" * 64, "1-" + "a" * 128]
)
@pytest.mark.parametrize("action", ["confirmer", "annuler"])
def test_a_forged_link_is_explained(client, asking_event, token, action):
    for method in (client.get, client.post):
        response = method(f"{asking_event.url}inscription/{action}/{token}/")
        assert response.status_code == 302
        assert "Ce lien n'est pas valable." in unescape(client.get(response["Location"]).content.decode())


def test_the_errors_speak_the_visitors_language(client, asking_event):
    occurrence = asking_event.occurrences.get()
    response = client.post(
        f"/en{asking_event.url}inscription/",  # the event's English address
        {"occurrence": occurrence.pk, "name": "Zoe", "email": "nope"},
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in unescape(response.content.decode())


def test_a_filled_honeypot_is_refused_with_a_neutral_error(client, asking_event):
    from django.core import mail

    response = post(client, asking_event, site_web="http://spam.example")
    assert response.status_code == 400
    assert "Votre envoi n'a pas pu être accepté" in unescape(response.content.decode())
    assert not Registration.objects.exists() and not mail.outbox


def test_the_honeypot_is_hidden_from_people(client, asking_event):
    html = client.get(f"{asking_event.url}inscription/").content.decode()
    assert 'class="field honeypot" aria-hidden="true' in html


def test_visitors_registrations_are_rate_limited_per_client(client, asking_event, settings):
    settings.EVENTS_VISITOR_RATE_LIMIT = (2, 3600)
    statuses = [post(client, asking_event, email=f"p{n}@example.org").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert Registration.objects.count() == 2
    assert (
        "Trop d&#x27;envois depuis votre connexion"
        in post(client, asking_event, email="x@example.org").content.decode()
    )
