"""The demo content files (``<app>/demo/*.toml``) and the loader that ``seed_demo`` runs."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from freezegun import freeze_time

from home.management.commands.seed_demo import demo_files
from network.demo_data import DemoDataError, moment, read, weekly_hours

ROOT = Path(settings.BASE_DIR)


def _rows(module_path, name):
    path, tables = next((p, t) for p, t in demo_files().items() if p.name == module_path)
    return read(path, *tables)[name]


def test_every_demo_data_file_is_read_by_the_loader_and_valid():
    files = demo_files()
    on_disk = {path.resolve() for path in ROOT.glob("**/demo/*.toml") if ".venv" not in path.parts}
    assert on_disk == {path.resolve() for path in files}  # no file the loader would ignore
    for path, tables in files.items():
        data = read(path, *tables)
        assert any(data.values()), path


def test_the_demo_files_refer_to_each_other_consistently():
    venues = {row["slug"] for row in _rows("venues.toml", "venues")}
    venues |= {row.get("slug") for row in _rows("census_venues.toml", "venues")}
    accounts = {row["email"] for row in _rows("accounts.toml", "accounts")}
    requests = _rows("requests.toml", "requests")
    newcomers = {row["email"] for row in requests if row.get("display_name")}
    assert accounts.isdisjoint(newcomers)
    assert {row["email"] for row in requests} - newcomers <= accounts
    events = _rows("events.toml", "events")
    assert {row["venue_page"] for row in events if "venue_page" in row} <= venues
    assert {row["venue"] for row in events if "venue" in row} <= venues
    assert {row["email"] for row in _rows("events.toml", "registrations")} <= accounts
    attendees = {email for row in _rows("events.toml", "past_attendance") for email in row["emails"]}
    assert attendees <= accounts
    mentors = {row["venue"] for row in _rows("mentors.toml", "mentors")}
    assert mentors <= venues
    assert {row["venue"] for row in _rows("mentors.toml", "teams")} <= mentors
    paired = [row for row in requests if row.get("then") in ("paired", "closed")]
    assert paired and all(row["mentor"] in mentors for row in paired)
    assert {row.get("managed_by") for row in _rows("venues.toml", "venues")} - {None} <= accounts
    rooms = {row["title"] for row in _rows("rooms.toml", "rooms")}
    messages = _rows("rooms.toml", "messages")
    assert {row["room"] for row in messages} <= rooms
    assert {row["author"] for row in messages} <= accounts


BAD_VENUE_ENTRIES = [
    # (line of Le Comptoir Partagé's row, its broken version, what the error says)
    ('summary = "Un', 'sumary = "Un', "unknown key 'sumary' (summary?)"),
    ('main_activity = "coworking"', 'main_activity = "cowork"', "main_activity: "),
    ('hours = ["mon-fri 08:30-19:00"]', 'hours = ["lun-ven 08:30-19:00"]', "hours: a day among mon"),
    ('commune = "59350"', "commune = 59350", "commune: a string was expected"),
    ('{ illustration = "coworking"', '{ illustration = "bureau"', "gallery: #1, illustration: no"),
]


@pytest.mark.parametrize(("good", "bad", "message"), BAD_VENUE_ENTRIES)
def test_a_bad_entry_is_refused_with_its_file_row_and_key(tmp_path, good, bad, message):
    from members.demo import VENUE_TABLE, VENUES

    text = VENUES.read_text()
    second = text.index("[[venues]]", text.index("[[venues]]") + 1)  # Le Comptoir Partagé
    head, row = text[:second], text[second:]
    assert good in row
    broken = tmp_path / "venues.toml"
    broken.write_text(head + row.replace(good, bad, 1))
    with pytest.raises(DemoDataError) as error:
        read(broken, VENUE_TABLE)
    assert f"{broken}, [[venues]] #2 (le-comptoir-partage)" in str(error.value)
    assert message in str(error.value)


BAD_ENGLISH_ENTRIES = [
    # (file, the row's slug, a line of its English, its broken version, where and what the error says)
    (
        "home/demo/pages.toml",
        "le-reseau",
        'title = "The network"',
        'titel = "The network"',
        "[[pages]] #6 (le-reseau), [pages.en]: unknown key 'titel' (title?)",
    ),
    (
        "home/demo/pages.toml",
        "le-reseau",
        '{ heading = "What the network does" }',
        '{ header = "What the network does" }',
        "[[pages]] #6 (le-reseau), [pages.en], body: block #1: one key among",
    ),
    (
        "home/demo/pages.toml",
        "le-reseau",
        "[pages.en]",
        "[pages.de]",
        "[[pages]] #6 (le-reseau): unknown key 'de' (translations: en)",
    ),
    (
        "home/demo/pages.toml",
        "lieux",
        'title_en = "Venues"',
        'title_english = "Venues"',
        "[[pages]] #1 (lieux): unknown key 'title_english' (title_en?)",
    ),
    (
        "members/demo/venues.toml",
        "le-comptoir-partage",
        'summary_en = "A',
        'sumary_en = "A',
        "[[venues]] #2 (le-comptoir-partage): unknown key 'sumary_en' (summary_en?)",
    ),
    (
        "members/demo/venues.toml",
        "le-comptoir-partage",
        'summary_en = "A neighbourhood',
        f'summary_en = "{"A" * 301}" #',  # longer than the field allows
        "[[venues]] #2 (le-comptoir-partage), summary_en: ",
    ),
]


@pytest.mark.parametrize(("name", "slug", "good", "bad", "message"), BAD_ENGLISH_ENTRIES)
def test_a_bad_english_entry_is_refused_with_its_file_and_key(tmp_path, name, slug, good, bad, message):
    path, tables = next((p, t) for p, t in demo_files().items() if p.resolve() == (ROOT / name).resolve())
    text = path.read_text()
    row = text.index(f'slug = "{slug}"')
    head, tail = text[:row], text[row:]
    assert good in tail
    broken = tmp_path / path.name
    broken.write_text(head + tail.replace(good, bad, 1))
    with pytest.raises(DemoDataError) as error:
        read(broken, *tables)
    assert str(error.value).startswith(f"{broken}, {message}")


def test_seed_demo_check_names_the_bad_english_key(tmp_path, monkeypatch):
    from home import demo

    broken = tmp_path / "pages.toml"
    broken.write_text(demo.PAGES.read_text().replace('seo_title = "The network', 'seo_titel = "The network'))
    monkeypatch.setattr(demo, "FILES", {broken: demo.TABLES})
    with pytest.raises(CommandError, match=r"pages.toml, \[home\], \[home.en\]: unknown key 'seo_titel'"):
        call_command("seed_demo", "--check")


def test_a_missing_key_or_an_unknown_table_is_refused(tmp_path):
    from network.discussion.demo import TABLES

    broken = tmp_path / "rooms.toml"
    broken.write_text('[[rooms]]\ndescription = "Sans titre"\n')
    with pytest.raises(DemoDataError, match=r"rooms.toml, \[\[rooms\]\] #1: the key 'title' is missing"):
        read(broken, *TABLES)
    broken.write_text('[[salons]]\ntitle = "Général"\n')
    with pytest.raises(DemoDataError, match="unknown table 'salons'"):
        read(broken, *TABLES)


def test_seed_demo_check_names_the_bad_file(settings, tmp_path, monkeypatch):
    from network.discussion import demo

    broken = tmp_path / "rooms.toml"
    broken.write_text('[[rooms]]\ntitle = "Général"\ncolour = "bleu"\n')
    monkeypatch.setattr(demo, "FILES", {broken: demo.TABLES})
    with pytest.raises(CommandError, match=r"rooms.toml, \[\[rooms\]\] #1 \(Général\): unknown key 'colour'"):
        call_command("seed_demo", "--check")


@freeze_time("2026-12-01 10:00")  # a Tuesday
def test_dates_are_relative_to_the_day_of_seeding():
    thursday = moment({"days_from_today": 5, "weekday": "thu", "at": "18:30"})
    assert thursday.date() == datetime.date(2026, 12, 10)  # Sunday 6th, then the next Thursday
    assert thursday.strftime("%H:%M") == "18:30" and thursday.tzinfo is not None
    past = moment({"days_from_today": -12, "weekday": "fri", "at": "11:00"})
    assert past.date() == datetime.date(2026, 11, 20)
    assert moment({"days_from_today": 10, "at": "14:00"}).date() == datetime.date(2026, 12, 11)


def test_weekly_hours_spell_out_each_day():
    rows = weekly_hours(["mon-wed 09:00-12:00", "sat 10:00-17:00"])
    assert [row["weekday"] for row in rows] == [0, 1, 2, 5]
    assert rows[-1]["opens"] == datetime.time(10) and rows[-1]["closes"] == datetime.time(17)
    with pytest.raises(ValueError, match="wrong order"):
        weekly_hours(["fri-mon 09:00-12:00"])


# What seed_demo has always built on an empty database (counted on main before the demo
# content became data files): users see the same venues, events, rooms and mentoring.
DEMO_COUNTS = {
    "members.VenuePage": 40,
    "members.OpeningHours": 135,
    "members.VenueTag": 100,
    "members.VenueGalleryImage": 8,
    "members.User": 62,
    "account.EmailAddress": 62,
    "events.EventPage": 18,  # 17 in events.toml, and the planned visit of a pairing
    "events.EventTag": 17,
    "events.Occurrence": 29,
    "events.Registration": 29,
    "discussion.Room": 67,
    "discussion.RoomMembership": 82,
    "discussion.Message": 4,
    "mentoring.MentorProfile": 13,
    "mentoring.MentoringRequest": 20,
    "mentoring.Proposal": 11,
    "mentoring.Pairing": 6,
    "mentoring.CheckIn": 12,
    "home.StandardPage": 6,  # three, and their English translations ([pages.en] in pages.toml)
    "wagtailcore.Page": 70,
    "wagtailimages.Image": 8,
}


def _counts():
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in DEMO_COUNTS}


def _tree():
    from wagtail.models import Page

    return [(p.depth, p.slug, p.specific_class.__name__, p.live) for p in Page.objects.order_by("path")]


@pytest.mark.django_db
def test_seed_demo_builds_the_demo_once(django_user_model):
    call_command("seed_demo")
    assert _counts() == DEMO_COUNTS
    first_tree = _tree()
    first_english = _english()
    for slug in ("lieux", "agenda", "compagnonnage", "quest-ce-quun-tiers-lieu"):
        assert slug in {slug for _, slug, _, _ in first_tree}
    for email in ("equipe@example.org", "membre@example.org", "lieu@example.org", "porteur@example.org"):
        assert django_user_model.objects.filter(email=email).exists()

    call_command("seed_demo")  # a second run creates nothing
    assert _counts() == DEMO_COUNTS
    assert _tree() == first_tree
    assert _english() == first_english


def _english():
    """What English visitors read: the translated pages and every English field."""
    from wagtail.models import Page

    from members.models import VenueIndexPage, VenuePage
    from mentoring.models import MentoringPage

    translated = Page.objects.filter(locale__language_code="en").specific()
    return {
        "pages": sorted((page.url_path, page.title, page.seo_title) for page in translated),
        "summaries": dict(VenuePage.objects.exclude(summary_en="").values_list("slug", "summary_en")),
        "directory": VenueIndexPage.objects.values_list("title_en", "intro_en").get(),
        "mentoring": MentoringPage.objects.values_list("title_en", "body_en").get(),
    }


@pytest.mark.django_db
def test_seed_demo_gives_an_older_demo_its_english(django_capture_on_commit_callbacks):
    """A demo seeded before the data files had English gets it on the next run, as a new revision."""
    from members.models import VenueIndexPage, VenuePage

    call_command("seed_demo")
    english = _english()
    assert len(english["pages"]) == 4 and len(english["summaries"]) == 24
    assert ("/accueil-en/le-reseau/", "The network", "") in english["pages"]
    comptoir = "A neighbourhood coworking space above a community café."
    assert english["summaries"]["le-comptoir-partage"] == comptoir
    assert english["directory"][0] == "Venues"
    VenuePage.objects.filter(slug="le-comptoir-partage").update(summary_en="")
    VenueIndexPage.objects.update(title_en="", intro_en="")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert _english() == english
    assert _counts() == DEMO_COUNTS
    venue = VenuePage.objects.get(slug="le-comptoir-partage")
    assert venue.get_latest_revision().as_object().summary_en == venue.summary_en
