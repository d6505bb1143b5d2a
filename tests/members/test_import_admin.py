"""The staff's import screen in the Wagtail admin: upload, preview, untick, confirm, follow, report."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from members.models import VenueImport, VenueIndexPage, VenuePage
from members.services import create_venue_import, run_venue_import, start_venue_import
from tests.members.test_import_duplicates import census_file

DENIED = (302, 403, 404)


@pytest.fixture
def census(tmp_path):
    return census_file(
        tmp_path,
        [
            {"ID": "1", "NOM_TL": "LA COROUTINE DE LILLE", "ADRESSE": "3 rue Nationale"},
            {"ID": "2", "NOM_TL": "L'ATELIER", "ADRESSE": "8 place du Théâtre"},
            {"ID": "3", "NOM_TL": "COWORKIN'LILLE", "ADRESSE": "12 rue de Paris", "WEB": "cowork.example"},
            {"ID": "4", "NOM_TL": "Ailleurs", "INSEECOM": "44109"},
        ],
    )


@pytest.fixture
def existing(make_venue):
    return make_venue(title="Cowork'in Lille", street_address="12 rue de Paris", website="")


def upload(client, path):
    with path.open("rb") as handle:
        return client.post("/admin/venue-imports/", {"file": SimpleUploadedFile(path.name, handle.read())})


def test_upload_preview_untick_confirm_and_download_the_report(
    client, staff_user, census, existing, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    response = upload(client, census)
    venue_import = VenueImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/venue-imports/{venue_import.pk}/"
    assert not VenuePage.objects.exclude(pk=existing.pk).exists()  # a preview writes nothing

    # The plan was made once, at the upload: the preview does not read the file again.
    kept = VenueImport.objects.filter(pk=venue_import.pk)
    kept.update(data=b"\x00 not a venue file")
    page = client.get(response["Location"]).content.decode()
    kept.update(data=census.read_bytes())  # the import itself plans again, against the venues of then
    assert "La Coroutine de Lille" in page and "L&#x27;Atelier" in page
    assert "Fusion proposée" in page and "même lieu que « Cowork&#x27;in Lille » (même adresse)" in page
    assert "complète website : https://cowork.example" in page
    assert "commune hors de la métropole (code INSEE 44109)" in page
    assert page.count('name="lines"') == 3  # create, create, merge; the skipped row has no box
    assert page.count("checked") == 2  # a merge proposal waits for a yes
    assert 'src="/static/js/venue_import.js"' in page

    # Untick "L'Atelier" (line 3), tick the merge (line 4).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {"lines": ["2", "4"]})
    assert response.status_code == 302

    venue_import.refresh_from_db()
    assert venue_import.status == VenueImport.Status.DONE
    assert (venue_import.done, venue_import.total) == (2, 2)
    assert set(VenuePage.objects.values_list("title", flat=True)) == {
        "La Coroutine de Lille",
        "Cowork'in Lille",
    }
    existing.refresh_from_db()
    assert existing.website == "https://cowork.example"

    status = client.get(f"/admin/venue-imports/{venue_import.pk}/status/").json()
    assert status["status"] == "done" and status["percent"] == 100
    assert status["report_url"] == f"/admin/venue-imports/{venue_import.pk}/report.csv"
    page = client.get(f"/admin/venue-imports/{venue_import.pk}/").content.decode()
    assert "Télécharger le compte rendu (CSV)" in page

    response = client.get(status["report_url"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["ligne", "action", "lieu", "résultat", "détail", "avertissements", "emplacement"]
    by_line = {row[0]: row for row in rows[1:]}
    assert by_line["2"][1:4] == ["créer", "La Coroutine de Lille", "créé (brouillon)"]
    assert by_line["3"][3] == "non retenue"
    assert by_line["4"][1:4] == ["fusion proposée", "Coworkin'lille", "publié"]
    assert "même lieu que « Cowork'in Lille »" in by_line["4"][4]
    assert by_line["5"][3] == "ignorée" and "44109" in by_line["5"][4]
    assert by_line["5"][6] == "ligne 5"

    # Confirming twice does not run it again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/venue-imports/{venue_import.pk}/", {"lines": ["3"]})
    assert not VenuePage.objects.filter(title="L'Atelier").exists()


def test_the_page_script_sends_the_ticked_lines_as_one_field(
    client, staff_user, census, site_tree, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    location = upload(client, census)["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location, {"lines_csv": "3", "publish": "on"})
    assert list(VenuePage.objects.values_list("title", "live")) == [("L'Atelier", True)]


def test_nothing_ticked_or_a_bad_file_is_a_form_error(client, staff_user, census, site_tree, tmp_path):
    client.force_login(staff_user)
    location = upload(client, census)["Location"]
    response = client.post(location, {"lines_csv": ""})
    assert response.status_code == 400
    assert "Cochez au moins une ligne à importer." in response.content.decode()
    assert VenueImport.objects.get().status == VenueImport.Status.PREVIEW

    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    response = upload(client, bad)
    assert response.status_code == 400
    assert "Fichier illisible : colonnes CSV inconnues (a, b)" in response.content.decode()
    assert VenueImport.objects.count() == 1


@pytest.fixture
def actors(member, manager, staff_user):
    return {"anonymous": None, "member": member, "manager": manager, "staff": staff_user}


@pytest.mark.parametrize(
    ("actor", "allowed"), [("anonymous", False), ("member", False), ("manager", False), ("staff", True)]
)
def test_only_the_staff_may_import(client, actors, actor, allowed, census, staff_user):
    venue_import = create_venue_import(census.name, census.read_bytes(), by=staff_user)
    client.logout()
    if actors[actor] is not None:
        client.force_login(actors[actor])
    for url in (
        "/admin/venue-imports/",
        f"/admin/venue-imports/{venue_import.pk}/",
        f"/admin/venue-imports/{venue_import.pk}/status/",
    ):
        response = client.get(url)
        assert (response.status_code == 200) is allowed, url
        if not allowed:
            assert response.status_code in DENIED
    response = upload(client, census)
    assert (VenueImport.objects.count() == 2) is allowed
    response = client.post(f"/admin/venue-imports/{venue_import.pk}/", {"lines": ["2"]})
    venue_import.refresh_from_db()
    assert (venue_import.status != VenueImport.Status.PREVIEW) is allowed
    if not allowed:
        assert response.status_code in DENIED


def test_a_fresh_site_fails_loudly_before_writing(db, census, django_capture_on_commit_callbacks):
    from members.services import ensure_staff_group
    from tests.factories import VerifiedUserFactory

    assert not VenueIndexPage.objects.exists()
    with pytest.raises(CommandError, match="pas de page d'annuaire des lieux"):
        call_command("import_venues", str(census), "--commit", stdout=io.StringIO(), stderr=io.StringIO())

    staff = VerifiedUserFactory()
    staff.groups.add(ensure_staff_group())
    venue_import = create_venue_import(census.name, census.read_bytes(), by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        start_venue_import(venue_import, {2, 3}, publish=False, by=staff)
    venue_import.refresh_from_db()
    assert venue_import.status == VenueImport.Status.FAILED
    assert "Il n'y a pas de page « Les lieux »" in venue_import.error
    assert not VenuePage.objects.exists()
    run_venue_import(venue_import.pk)  # a finished import is not run again
    assert not VenuePage.objects.exists()
