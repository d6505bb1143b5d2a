"""The interface's words: real empty choices, the French plural rule, one date
format, French everywhere in the French interface, figures that agree."""

import re
from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Task, Workflow

from tests.factories.events import EventPageFactory
from tests.factories.venues import VenuePageFactory

DATE_FILTER = re.compile(r"""\|date:["']([^"']*)["']""")
# The display formats (network/formats) and the machine ones (datetime attributes, URLs).
ALLOWED_DATE_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "l j N Y",
    r"l j N Y, H\hi",
    "l j N",
    "F Y",
    "F",
    "j",
    "l",
    "Y-m-d",
    r"Y-m-d\TH:i:sO",
}


def render(source, **context):
    return Template(source).render(Context(context))


def test_french_dates_use_one_format():
    moment = timezone.make_aware(datetime(2026, 12, 1, 19, 0))
    with translation.override("fr"):
        assert render('{{ d|date:"DATE_FORMAT" }}', d=date(2026, 12, 1)) == "1 déc. 2026"
        assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=date(2026, 12, 1)) == "1 déc. 2026"
        assert render('{{ d|date:"DATETIME_FORMAT" }}', d=moment) == "1 déc. 2026, 19h00"
        assert render('{{ d|date:"l j N Y"|capfirst }}', d=date(2026, 12, 1)) == "Mardi 1 déc. 2026"
    with translation.override("en"):
        assert render('{{ d|date:"DATE_FORMAT" }}', d=date(2026, 12, 1)) == "1 Dec. 2026"


def test_every_template_date_uses_a_known_format(settings):
    from pathlib import Path

    root = Path(settings.BASE_DIR) / "templates"
    unknown = {
        (str(path.relative_to(root)), found)
        for path in root.rglob("*.*")
        if path.suffix in {".html", ".txt"}
        for found in DATE_FILTER.findall(path.read_text())
        if found not in ALLOWED_DATE_FORMATS
    }
    assert unknown == set()


def test_datetime_attributes_have_no_microseconds():
    moment = timezone.make_aware(datetime(2026, 12, 1, 19, 0, 5, 123456))
    assert render(r"{{ d|date:'Y-m-d\TH:i:sO' }}", d=moment) == "2026-12-01T19:00:05+0100"


COUNTED = (
    "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} lieu"
    "{% plural %}{{ counter }} lieux{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("count", "french", "english"),
    [(0, "0 lieu", "0 venues"), (1, "1 lieu", "1 venue"), (2, "2 lieux", "2 venues")],
)
def test_french_plural_rule_counts_zero_as_singular(count, french, english):
    with translation.override("fr"):
        assert render(COUNTED, n=count) == french
    with translation.override("en"):
        assert render(COUNTED, n=count) == english


@pytest.mark.django_db
def test_an_empty_directory_says_0_lieu(client, site_tree):
    response = client.get("/lieux/?q=introuvable")
    assert "0 lieu<" in response.content.decode().replace("\n", "").replace("  ", "")


@pytest.mark.django_db
def test_forms_offer_a_real_empty_choice(member_client, site_tree):
    pages = [
        "/lieux/",
        "/agenda/",
        reverse("venue_claim"),
        reverse("profile"),
        reverse("embed_builder"),
        "/compagnonnage/demande/",
    ]
    for path in pages:
        response = member_client.get(path, follow=True)
        assert response.status_code == 200, path
        assert "---------" not in response.content.decode(), path


LABELS = re.compile(r"<(label|option|legend)\b[^>]*>(.*?)</\1>", re.S)


@pytest.mark.django_db
def test_form_labels_and_choices_are_capitalised(member_client, site_tree):
    pages = [
        "/lieux/",
        reverse("venue_claim"),
        reverse("profile"),
        reverse("embed_builder"),
        "/compagnonnage/demande/",
        reverse("exchanges:create"),
        "/agenda/proposer/",
    ]
    for path in pages:
        html = member_client.get(path, follow=True).content.decode()
        texts = [" ".join(re.sub(r"<[^>]+>", " ", inner).split()) for _tag, inner in LABELS.findall(html)]
        assert [text for text in texts if text[:1].islower()] == [], path
    html = member_client.get("/compagnonnage/demande/", follow=True).content.decode()
    # The checkbox sits inside its label, before the words.
    checkbox = r'<label for="id_needs_0"><input type="checkbox"[^>]*>\s*Modèle économique</label>'
    assert re.search(checkbox, html)


@pytest.mark.django_db
def test_admin_edit_forms_offer_a_real_empty_choice(client, staff_user, site_tree):
    client.force_login(staff_user)
    venue = VenuePageFactory(parent=site_tree["lieux"], slug="lieu-des-mots")
    event = EventPageFactory(parent=site_tree["agenda"])
    pages = [
        f"/admin/pages/{venue.pk}/edit/",
        f"/admin/pages/add/members/venuepage/{site_tree['lieux'].pk}/",
        f"/admin/pages/{event.pk}/edit/",
        f"/admin/pages/add/events/eventpage/{site_tree['agenda'].pk}/",
        reverse("calendar_subscriptions:add"),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "---------" not in response.content.decode(), path
    html = client.get(f"/admin/pages/{venue.pk}/edit/").content.decode()
    assert "— Non précisée —" in html and "Choisir un jour" in html
    assert "— Choisissez une commune —" in html


@pytest.mark.django_db
def test_the_mentoring_request_form_offers_choisir():
    from mentoring.forms import MentoringRequestForm

    assert MentoringRequestForm().fields["stage"].choices[0] == ("", "Choisir…")


@pytest.mark.django_db
def test_the_publish_workflow_has_a_french_name():
    names = {*Workflow.objects.values_list("name", flat=True), *Task.objects.values_list("name", flat=True)}
    assert "Moderators approval" not in names
    assert "Validation par l'équipe du réseau" in names


@pytest.mark.django_db
def test_wagtail_groups_have_french_names():
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {"Modérateurs", "Éditeurs"} <= names
    assert not names & {"Moderators", "Editors"}


@pytest.mark.django_db
def test_the_group_renaming_is_reversible():
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    migration = import_module("members.migrations.0016_french_group_names")
    migration.rename_back(apps, None)
    assert set(Group.objects.values_list("name", flat=True)) >= {"Moderators", "Editors"}
    migration.rename(apps, None)
    assert set(Group.objects.values_list("name", flat=True)) >= {"Modérateurs", "Éditeurs"}


@pytest.mark.django_db
def test_account_pages_speak_french(client, site_tree):
    english = re.compile(r"\b(Password|Remember|Sign (in|up)|Forgot|E-mail address|Username|Email)\b")
    for name in ["account_login", "account_signup", "account_reset_password"]:
        html = client.get(reverse(name)).content.decode()
        visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))
        assert english.findall(visible) == [], name
        assert "au préalable" not in visible and "donc vous connecter" not in visible, name


@pytest.mark.django_db
def test_home_page_quotes_the_directory_count(client, site_tree):
    for number in range(3):
        VenuePageFactory(parent=site_tree["lieux"], slug=f"lieu-{number}")
    html = client.get("/").content.decode()
    assert "3 lieux de la métropole sont référencés dans l'annuaire." in html
    assert "centaine" not in html


def test_the_french_catalogue_has_every_plural_of_the_interface():
    """``make messages`` writes it (network/french_plurals.py): run it after adding a plural."""
    import polib

    from network.french_plurals import LOCALE, french_plurals

    english = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    french = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    expected = {(e.msgctxt, e.msgid, e.msgid_plural) for e in french_plurals(english)}
    assert {(e.msgctxt, e.msgid, e.msgid_plural) for e in french} == expected
    assert french.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
