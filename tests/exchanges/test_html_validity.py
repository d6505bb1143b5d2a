"""The pages of needs and offers are valid HTML for the Nu Html Checker (vnu)."""

import pytest

from tests.factories import VerifiedUserFactory
from tests.factories.exchanges import PostFactory
from tests.network.test_html_validity import vnu_errors


@pytest.mark.django_db
def test_exchange_pages_have_no_nu_html_checker_error(client, site_tree, tmp_path):
    author = VerifiedUserFactory()
    post = PostFactory(author=author, title="Un local pour un atelier vélo")
    pages = {}
    base = "/besoins-et-ressources/"
    for path in [base, f"{base}?kind=cadeau&q=vélo", post.get_absolute_url()]:
        pages[path] = client.get(path).content
    client.force_login(author)
    for path in [
        "/besoins-et-ressources/publier/",
        "/besoins-et-ressources/mes-annonces/",
        f"/besoins-et-ressources/{post.pk}/modifier/",
        post.get_absolute_url(),
    ]:
        pages[f"{path} (author)"] = client.get(path).content
    client.force_login(VerifiedUserFactory())
    for path in [f"{base}{post.pk}/contacter/", f"{base}{post.pk}/signaler/"]:
        pages[path] = client.get(path).content
    assert vnu_errors(pages, tmp_path) == {}
