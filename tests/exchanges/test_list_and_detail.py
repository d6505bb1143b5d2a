"""The list (filters, pagination, map data), the detail page, and what leaves the list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exchanges.services import close_post, hide_post
from tests.factories import UserFactory, VerifiedUserFactory
from tests.factories.exchanges import PostFactory
from tests.factories.venues import commune

LIST = "/besoins-et-ressources/"


def titles(response):
    return [post.title for post in response.context["posts"]]


@pytest.fixture
def board(db):
    return {
        "local": PostFactory(
            title="Local à Lille", kind="besoin", category="locaux", commune=commune("59350")
        ),
        "laser": PostFactory(
            title="Découpeuse laser à prêter",
            kind="ressource",
            category="materiel",
            commune=commune("59512"),
            description="<p>Une machine Trotec, formation incluse.</p>",
        ),
        "benevoles": PostFactory(
            title="Bénévoles pour la fête", kind="besoin", category="benevoles", commune=commune("59599")
        ),
    }


def test_everyone_reads_the_list_newest_first(client, board):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Bénévoles pour la fête", "Découpeuse laser à prêter", "Local à Lille"]
    page = response.content.decode()
    assert "3 annonces" in page and "Se connecter pour publier une annonce" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("kind=ressource", ["Découpeuse laser à prêter"]),
        ("kind=besoin", ["Bénévoles pour la fête", "Local à Lille"]),
        ("category=benevoles", ["Bénévoles pour la fête"]),
        ("commune=59512", ["Découpeuse laser à prêter"]),
        ("q=trotec", ["Découpeuse laser à prêter"]),  # the description too
        ("q=LOCAL lille", ["Local à Lille"]),  # every word, any case
        ("kind=besoin&commune=59350", ["Local à Lille"]),
        ("kind=ressource&category=locaux", []),
    ],
)
def test_each_filter(client, board, params, expected):
    response = client.get(f"{LIST}?{params}")
    assert titles(response) == expected
    if not expected:
        assert "Aucune annonce ne correspond à ces critères." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        "kind=cadeau",
        "category=%00",
        "commune=99999",
        "commune=" + "9" * 300,
        "q=" + "a" * 500,
        "q=%00abc",
        "page=-1",
        "page=abc",
        "page=99999",
        "kind=besoin&kind[]=x&commune[]=1",
    ],
)
def test_crafted_query_strings_never_break_the_list(client, board, params):
    response = client.get(f"{LIST}?{params}")
    assert response.status_code == 200
    geojson = client.get(f"{LIST}annonces.geojson?{params}")
    assert geojson.status_code == 200


def test_a_bad_filter_is_explained_in_french_and_ignored(client, board):
    response = client.get(f"{LIST}?commune=99999&kind=ressource")
    page = response.content.decode()
    assert "Certains filtres ne sont pas valides et ont été ignorés" in page
    assert "Commune inconnue : « 99999 »." in page
    assert titles(response) == ["Découpeuse laser à prêter"]  # the valid filter still applies


def test_cards_show_an_excerpt_as_plain_text(client, db):
    PostFactory(title="Atelier", description="<p>R&amp;D <strong>l'atelier</strong> &lt;script&gt;</p>")
    page = client.get(LIST).content.decode()
    assert "R&amp;D l&#x27;atelier &lt;script&gt;" in page
    assert "&amp;amp;" not in page and "<strong>l" not in page


def test_pagination_keeps_the_filters(client, db):
    for number in range(25):
        PostFactory(title=f"Besoin {number:02}", kind="besoin")
    PostFactory(title="Une ressource", kind="ressource")
    first = client.get(f"{LIST}?kind=besoin")
    assert len(titles(first)) == 20
    assert 'href="?kind=besoin&amp;page=2"' in first.content.decode()
    second = client.get(f"{LIST}?kind=besoin&page=2")
    assert len(titles(second)) == 5 and "Une ressource" not in titles(second)


def test_the_list_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries, db):
    for number in range(3):
        PostFactory(title=f"Annonce {number}")
    with django_assert_max_num_queries(4) as few:
        client.get(LIST)
    for number in range(30):
        PostFactory(title=f"Autre annonce {number}", venue=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


def test_the_map_data_places_posts_at_their_commune(client, board):
    data = client.get(f"{LIST}annonces.geojson?kind=ressource").json()
    (feature,) = data["features"]
    assert feature["geometry"]["coordinates"] == [3.17456, 50.69421]  # Roubaix
    assert feature["properties"]["name"] == "Découpeuse laser à prêter"
    assert feature["properties"]["url"] == f"/besoins-et-ressources/{board['laser'].pk}/"
    page = client.get(f"{LIST}?kind=ressource").content.decode()
    assert 'data-geojson-url="/besoins-et-ressources/annonces.geojson?kind=ressource"' in page


def test_expired_closed_and_hidden_posts_leave_the_list_and_the_map(client, board, staff_user):
    board["local"].expires_on = timezone.localdate() - timedelta(days=1)
    board["local"].save()
    close_post(board["laser"], by=board["laser"].author)
    hide_post(board["benevoles"], by=staff_user, reason="Hors sujet")
    assert titles(client.get(LIST)) == []
    assert client.get(f"{LIST}annonces.geojson").json()["features"] == []


def test_a_post_expiring_today_is_still_listed(client, db):
    PostFactory(title="Dernier jour", expires_on=timezone.localdate())
    assert titles(client.get(LIST)) == ["Dernier jour"]


# -- the detail page ------------------------------------------------------------------


def test_anyone_reads_an_open_post_and_is_invited_to_log_in_to_contact(client, post):
    response = client.get(post.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert post.title in page and "Nous cherchons un local de 50 m²" in page and "Camille Atelier" in page
    assert "Se connecter pour contacter" in page
    assert "camille@example.org" not in page  # the author's address is never shown


def test_a_member_sees_contact_and_report_links(client, post, other_member):
    client.force_login(other_member)
    page = client.get(post.get_absolute_url()).content.decode()
    assert f"/besoins-et-ressources/{post.pk}/contacter/" in page
    assert f"/besoins-et-ressources/{post.pk}/signaler/" in page
    assert "camille@example.org" not in page


def test_an_unverified_member_is_asked_to_confirm_their_address(client, post):
    client.force_login(UserFactory())
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Confirmez l&#x27;adresse e-mail de votre compte pour contacter" in page or (
        "Confirmez l'adresse e-mail de votre compte pour contacter" in page
    )
    assert f"/besoins-et-ressources/{post.pk}/contacter/" not in page


def test_the_author_sees_their_actions(client, post, author):
    client.force_login(author)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Modifier" in page and "Prolonger de trois mois" in page and "Clôturer l" in page
    assert f"/besoins-et-ressources/{post.pk}/contacter/" not in page


@pytest.mark.parametrize(
    ("state", "notice"),
    [
        ("expired", "Cette annonce a expiré le"),
        ("closed", "Cette annonce est clôturée"),
        ("hidden", "Cette annonce a été retirée par l"),
    ],
)
def test_a_post_that_left_the_list_says_so_with_410(client, post, author, staff_user, state, notice):
    if state == "expired":
        post.expires_on = timezone.localdate() - timedelta(days=2)
        post.save()
    elif state == "closed":
        close_post(post, by=author)
    else:
        hide_post(post, by=staff_user, reason="Annonce commerciale")
    response = client.get(post.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 410
    assert notice in page and "Nous cherchons un local" not in page and "noindex" in page
    assert client.get(f"/besoins-et-ressources/{post.pk}/contacter/").status_code in (302, 404)

    # Its author (and staff) still read it, with the notice.
    for reader in (author, staff_user):
        client.force_login(reader)
        response = client.get(post.get_absolute_url())
        assert response.status_code == 200
        assert notice in response.content.decode() and "Nous cherchons un local" in response.content.decode()
    client.force_login(VerifiedUserFactory())
    assert client.get(post.get_absolute_url()).status_code == 410
    assert client.get(f"/besoins-et-ressources/{post.pk}/contacter/").status_code == 404


def test_a_missing_post_is_404(client, db):
    assert client.get("/besoins-et-ressources/999999/").status_code == 404


def test_the_section_is_linked_from_the_navigation_the_footer_and_the_site_map(client, site_tree):
    page = client.get("/plan-du-site/").content.decode()
    assert page.count('href="/besoins-et-ressources/"') == 3  # header, site map, footer
    assert 'href="/besoins-et-ressources/publier/"' in page


def test_my_posts_lists_every_state(client, author):
    PostFactory(author=author, title="En cours")
    PostFactory(author=author, title="Ancienne", expires_on=timezone.localdate() - timedelta(days=9))
    PostFactory(title="Pas à moi")
    client.force_login(author)
    page = client.get("/besoins-et-ressources/mes-annonces/").content.decode()
    assert "En cours" in page and "Ancienne" in page and "Expirée" in page and "Pas à moi" not in page
