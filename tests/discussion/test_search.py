"""The discussion search (``/discussions/recherche/``): what a member finds, and never finds."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from network.discussion import services
from network.discussion.models import Message, Room
from tests.factories import VerifiedUserFactory
from tests.factories.discussion import MessageFactory, RoomFactory

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="French full-text search runs on PostgreSQL"
)
URL = reverse("discussion:search")


def _search(client, **params):
    return client.get(URL, params)


def _found(response):
    return [result.message.body for result in response.context["results"]]


@pytest.fixture
def author(db):
    return VerifiedUserFactory(display_name="Camille Hérault")


def _post(room, author, body):
    return services.post_message(room, by=author, body=body)[0]


def test_finds_a_message_and_links_to_it_in_context(client, member, room, author, no_rate_limit):
    message = _post(room, author, "La réunion de lundi est déplacée")
    _post(room, author, "Rien à voir")
    client.force_login(member)
    response = _search(client, q="réunion")
    assert response.status_code == 200
    assert _found(response) == ["La réunion de lundi est déplacée"]
    link = reverse("discussion:message_link", args=[room.slug, message.pk])
    assert f'href="{link}"' in response.content.decode()
    assert "<mark>réunion</mark>" in response.content.decode()


@postgres_only
def test_accents_case_and_plurals_do_not_matter(client, member, room, author, no_rate_limit):
    _post(room, author, "Compte rendu des Réunions du réseau")
    _post(room, author, "Un café à Roubaix")
    client.force_login(member)
    assert _found(_search(client, q="reunion")) == ["Compte rendu des Réunions du réseau"]
    assert _found(_search(client, q="RESEAUX")) == ["Compte rendu des Réunions du réseau"]
    assert _found(_search(client, q="cafe")) == ["Un café à Roubaix"]
    # The snippet highlights the word as written in the message.
    assert "<mark>Réunions</mark>" in _search(client, q="reunion").content.decode()


def test_the_snippet_is_escaped(client, member, room, author, no_rate_limit):
    _post(room, author, "<script>alert('piège')</script> atelier <b>bois</b> si 5 < 6 et plus")
    client.force_login(member)
    html = _search(client, q="atelier").content.decode()
    assert "<script>alert" not in html
    assert "<b>bois" not in html
    assert "5 &lt; 6" in html
    assert "<mark>atelier</mark>" in html


def test_rooms_the_member_cannot_read_never_appear(client, member, author, no_rate_limit):
    private = services.create_room(
        kind=Room.Kind.PRIVATE, visibility=Room.Visibility.MEMBERS, title="Binôme", by=None
    )
    services.add_room_member(private, author)
    _post(private, author, "Secret du binôme : atelier")
    open_room = services.create_room(kind=Room.Kind.TOPIC, title="Ouvert", by=None)
    _post(open_room, author, "Atelier ouvert")
    client.force_login(member)
    assert _found(_search(client, q="atelier")) == ["Atelier ouvert"]
    # Naming the private room is a form error, not a leak.
    response = _search(client, q="atelier", salon=private.slug)
    assert response.context["results"] == []
    assert "salon" in response.context["form"].errors
    # A member of it finds it.
    client.force_login(author)
    assert sorted(_found(_search(client, q="atelier"))) == ["Atelier ouvert", "Secret du binôme : atelier"]


def test_direct_conversations_are_searched_by_their_members_only(
    client, member, other_member, author, staff_user, no_rate_limit, django_capture_on_commit_callbacks
):
    mine, _ = services.start_direct_conversation([other_member], by=member)
    _post(mine, other_member, "Atelier entre nous deux")
    theirs, _ = services.start_direct_conversation([VerifiedUserFactory()], by=author)
    secret = _post(theirs, author, "Atelier des autres")
    open_room = services.create_room(kind=Room.Kind.TOPIC, title="Ouvert", by=None)
    _post(open_room, author, "Atelier ouvert")

    client.force_login(member)
    assert sorted(_found(_search(client, q="atelier"))) == ["Atelier entre nous deux", "Atelier ouvert"]
    assert _found(_search(client, q="atelier", salon=mine.slug)) == ["Atelier entre nous deux"]
    # Someone else's conversation, even named, is a form error, not a leak.
    response = _search(client, q="atelier", salon=theirs.slug)
    assert response.context["results"] == [] and "salon" in response.context["form"].errors
    assert "Atelier des autres" not in response.content.decode()

    # Staff search every public room, never a direct conversation, even one with a reported message.
    with django_capture_on_commit_callbacks(execute=True):
        services.report_message(secret, by=theirs.memberships.exclude(user=author).get().user, reason="")
    client.force_login(staff_user)
    assert _found(_search(client, q="atelier")) == ["Atelier ouvert"]
    for slug in (mine.slug, theirs.slug):
        response = _search(client, q="atelier", salon=slug)
        assert response.context["results"] == [] and "salon" in response.context["form"].errors


def _send_file(room, author, name, body=""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, b"%PDF-1.4 contenu", content_type="application/pdf")
    attachment = services.upload_attachment(room, by=author, upload=upload)
    return services.post_message(room, by=author, body=body, attachment_id=attachment.pk)[0]


def test_finds_a_message_by_the_name_of_its_file(client, member, room, author, no_rate_limit):
    _send_file(room, author, "plan-atelier.pdf", body="Voici le document")
    _send_file(room, author, "budget_2026.pdf")
    _post(room, author, "Le plan du quartier")
    _send_file(room, author, "brouillon.pdf")  # sent, then deleted: never found
    services.delete_message(Message.objects.get(attachment__name="brouillon.pdf"), by=author)
    _send_file(room, author, "atelier-brouillon.pdf")
    client.force_login(member)
    response = _search(client, q="plan atelier")
    assert _found(response) == ["Voici le document"]
    html = response.content.decode()
    assert "📎 <mark>plan</mark>-<mark>atelier</mark>.pdf" in html
    assert _found(_search(client, q="budget")) == [""]  # a file sent alone
    assert _found(_search(client, q="brouillon")) == [""]
    # A word of the body and one of the file's name do not combine.
    assert _found(_search(client, q="document budget")) == []
    # The body still matches as before, the file named beside it.
    assert sorted(_found(_search(client, q="plan"))) == ["Le plan du quartier", "Voici le document"]


def test_files_of_rooms_the_member_cannot_read_are_never_found(
    client, member, other_member, author, no_rate_limit
):
    theirs, _ = services.start_direct_conversation([other_member], by=author)
    _send_file(theirs, author, "plan-secret.pdf")
    private = services.create_room(
        kind=Room.Kind.PRIVATE, visibility=Room.Visibility.MEMBERS, title="Binôme", by=None
    )
    services.add_room_member(private, author)
    _send_file(private, author, "plan-binome.pdf")
    client.force_login(member)
    assert _found(_search(client, q="plan")) == []
    client.force_login(other_member)
    assert _found(_search(client, q="plan")) == [""]


def test_hidden_and_deleted_messages_never_appear(client, member, room, author, staff_user, no_rate_limit):
    hidden = _post(room, author, "Atelier masqué")
    deleted = _post(room, author, "Atelier supprimé")
    _post(room, author, "Atelier visible")
    services.hide_message(hidden, by=staff_user)
    services.delete_message(deleted, by=author)
    client.force_login(member)
    assert _found(_search(client, q="atelier")) == ["Atelier visible"]


def test_filters_by_room_author_and_date(client, member, room, author, no_rate_limit):
    other_room = services.create_room(kind=Room.Kind.TOPIC, title="Autre salon", by=None)
    someone = VerifiedUserFactory(display_name="Dominique Roux")
    old = _post(room, author, "Atelier ancien")
    Message.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=40))
    _post(room, author, "Atelier récent")
    _post(other_room, author, "Atelier ailleurs")
    _post(room, someone, "Atelier de Dominique")
    client.force_login(member)
    assert set(_found(_search(client, q="atelier", salon=other_room.slug))) == {"Atelier ailleurs"}
    by_camille = _found(_search(client, q="atelier", auteur="camille"))
    assert set(by_camille) == {"Atelier ancien", "Atelier récent", "Atelier ailleurs"}
    today = timezone.localdate().isoformat()
    recent = _found(_search(client, q="atelier", salon=room.slug, du=today, au=today))
    assert set(recent) == {"Atelier récent", "Atelier de Dominique"}
    month_ago = (timezone.localdate() - datetime.timedelta(days=35)).isoformat()
    assert _found(_search(client, q="atelier", salon=room.slug, au=month_ago)) == ["Atelier ancien"]
    # The French date format works too.
    french = timezone.localdate().strftime("%d/%m/%Y")
    assert "Atelier récent" in _found(_search(client, q="atelier", du=french))


@postgres_only
def test_author_filter_ignores_accents(client, member, room, author, no_rate_limit):
    _post(room, author, "Atelier de Camille")
    client.force_login(member)
    assert _found(_search(client, q="atelier", auteur="herault")) == ["Atelier de Camille"]


@pytest.mark.parametrize(
    ("params", "field", "error"),
    [
        ({"q": "atelier", "du": "31/02/2026"}, "du", "Saisissez une date valide"),
        ({"q": "atelier", "au": "pas une date"}, "au", "Saisissez une date valide"),
        ({"q": "atelier", "du": "0001-01-01"}, "du", "entre 1900 et 2100"),
        ({"q": "atelier", "du": "2026-05-02", "au": "2026-05-01"}, "au", "précède"),
        ({"auteur": "camille"}, "q", "mots à chercher"),
        ({"q": "atelier", "salon": "nexiste-pas"}, "salon", "Ce salon n'existe pas"),
        ({"q": "atelier", "salon": "../../etc"}, "salon", "lettres"),
        ({"q": "atelier", "avant": "-3"}, "avant", "supérieure ou égale"),
        ({"q": "a" * 201}, "q", "200"),
    ],
)
def test_bad_parameters_are_french_form_errors(client, member, room, params, field, error):
    client.force_login(member)
    response = _search(client, **params)
    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors[field])
    assert response.context["results"] == []


def test_odd_queries_answer_200(client, member, room, author, no_rate_limit):
    _post(room, author, "Atelier")
    client.force_login(member)
    for query in ['"', "'", "%", "-", "&|!():*", "\x00atelier", "le la les"]:
        assert _search(client, q=query).status_code == 200


def test_needs_a_login_and_a_verified_account(client, unverified_user, room, author, no_rate_limit):
    _post(room, author, "Atelier")
    response = _search(client, q="atelier")
    assert response.status_code == 302
    client.force_login(unverified_user)
    assert _found(_search(client, q="atelier")) == []


def test_pages_newest_first_in_bounded_queries(
    client, member, author, settings, django_assert_max_num_queries
):
    settings.DISCUSSION_SEARCH_PAGE_SIZE = 5
    rooms = [RoomFactory() for _ in range(3)]
    for index in range(12):
        MessageFactory(room=rooms[index % 3], author=author, body=f"Atelier numéro {index}")
    client.force_login(member)
    client.get(reverse("discussion:room_list"))  # the session and the e-mail check warmed
    # session, user, its e-mail, staff group, rooms, results (bodies, then file names on
    # PostgreSQL), and the header's venues ("Ma fiche") and permissions (user's, groups')
    with django_assert_max_num_queries(10):
        first = _search(client, q="atelier")
    assert _found(first) == [f"Atelier numéro {index}" for index in range(11, 6, -1)]
    next_url = first.context["next_url"]
    with django_assert_max_num_queries(10):
        second = client.get(URL + next_url)
    assert _found(second) == [f"Atelier numéro {index}" for index in range(6, 1, -1)]
    last = client.get(URL + second.context["next_url"])
    assert _found(last) == ["Atelier numéro 1", "Atelier numéro 0"]
    assert last.context["next_url"] is None


def test_inbox_offers_the_search(client, member):
    client.force_login(member)
    html = client.get(reverse("discussion:room_list")).content.decode()
    assert f'action="{URL}"' in html


def test_generated_vector_follows_edits_on_postgres(member, room, no_rate_limit):
    if connection.vendor != "postgresql":
        pytest.skip("the vector is PostgreSQL's")
    message = _post(room, member, "Premier texte")
    services.edit_message(message, by=member, body="Réunion demain")
    from django.contrib.postgres.search import SearchQuery

    query = SearchQuery("reunion", config="french_unaccent")
    assert list(Message.objects.filter(search_vector=query).values_list("pk", flat=True)) == [message.pk]
