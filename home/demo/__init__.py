"""The demo page tree of ``manage.py seed_demo`` (DESIGN.md, "Page tree"), from ``pages.toml``,
and its English: translations of the pages that have an ``[<page>.en]`` table, made as staff
make them in the admin, and the ``*_en`` fields of the index pages, which stay in French
(docs/i18n.md)."""

from pathlib import Path

from django.apps import apps
from wagtail.models import Locale, Page

from home.models import HomePage
from network.demo_data import (
    DemoDataError,
    Table,
    read,
    text,
    translation_languages,
    untranslated_fields,
)
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
    Table("home", model=HomePage, many=False, required=("title", "slug"), translated=True),
    Table(
        "pages",
        keys={"model": _page_model},
        model=_row_model,
        required=("model", "title", "slug"),
        translated=True,
    ),
)
FILES = {PAGES: TABLES}  # what seed_demo --check and the tests validate


def _own_fields(fields):
    """The row's own fields, without its translations' sub-tables."""
    return {name: value for name, value in fields.items() if name not in translation_languages()}


def _publish_child(parent, fields):
    existing = parent.get_children().filter(slug=fields["slug"]).first()
    if existing is not None:
        existing = existing.specific
        missing = untranslated_fields(existing, fields)
        if missing:  # a page seeded before it had English fields gets them
            for name, value in missing.items():
                setattr(existing, name, value)
            existing.save_revision().publish()
        return existing, False
    fields = _own_fields(fields)
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
        home = HomePage(**_own_fields(data["home"]))
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


def seed_translations(stdout=None):
    """Translate the home and content pages that have a translation table, as staff do in the
    admin: Wagtail's ``copy_for_translation``, the translated fields, published. A page that has
    its translation already is left alone."""
    data = read(PAGES, *TABLES)
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        return
    children = {page.slug: page for page in home.get_children().specific()}
    rows = [(home, data["home"]), *((children.get(row["slug"]), row) for row in data["pages"])]
    for language in translation_languages():
        locale, _created = Locale.objects.get_or_create(language_code=language)
        for page, fields in rows:
            if page is None or language not in fields or page.get_translation_or_none(locale):
                continue
            translation = page.copy_for_translation(locale, copy_parents=True)
            for name, value in fields[language].items():
                setattr(translation, name, value)
            translation.save_revision().publish()
            if stdout:
                stdout.write(f"  page {translation.title} ({language})")
