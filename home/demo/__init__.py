"""The demo page tree of ``manage.py seed_demo`` (DESIGN.md, "Page tree"), from ``pages.toml``."""

from pathlib import Path

from django.apps import apps
from wagtail.models import Page

from home.models import HomePage
from network.demo_data import DemoDataError, Table, read, text
from network.site_url import sync_site_with_site_url

PAGES = Path(__file__).with_name("pages.toml")


def _page_model(label):
    model = apps.get_model(text(label))
    if not issubclass(model, Page):
        raise DemoDataError(f"{label} is not a page model")
    return model


def _row_model(row):
    return _page_model(row.get("model", "wagtailcore.Page"))


TABLES = (
    Table("home", model=HomePage, many=False, required=("title", "slug")),
    Table("pages", keys={"model": _page_model}, model=_row_model, required=("model", "title", "slug")),
)
FILES = {PAGES: TABLES}  # what seed_demo --check and the tests validate


def _publish_child(parent, fields):
    existing = parent.get_children().filter(slug=fields["slug"]).first()
    if existing is not None:
        return existing.specific, False
    fields = dict(fields)
    page = fields.pop("model")(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def seed_pages(stdout=None):
    """Build the page tree; pages that already exist are left as they are."""
    data = read(PAGES, *TABLES)
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a placeholder "Welcome" page: ours replaces it.
        for placeholder in root.get_children().filter(content_type__model="page", slug="home"):
            placeholder.delete()
        home = HomePage(**data["home"])
        root.add_child(instance=home)
        home.save_revision().publish()
        if stdout:
            stdout.write(f"  page {home.title}")
    sync_site_with_site_url(root_page=home)
    pages = {"home": home}
    for fields in data["pages"]:
        page, created = _publish_child(home, fields)
        pages[fields["slug"]] = page
        if stdout and created:
            stdout.write(f"  page {page.title}")
    return pages
