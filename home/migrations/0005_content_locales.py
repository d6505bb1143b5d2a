"""The site's content languages as Wagtail locales, now that Wagtail's i18n is on.

Every existing page is French: Wagtail's first migration made one locale from
``LANGUAGE_CODE`` ("fr"). A database whose single locale has another code
(made with another setting) has it renamed to "fr", its pages with it; then
the English locale is added, for the translations staff make in the admin
(docs/i18n.md). The staff group, if it exists, may submit translations.
"""

from django.conf import settings
from django.db import migrations


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    default = settings.LANGUAGE_CODE
    if not Locale.objects.filter(language_code=default).exists():
        existing = list(Locale.objects.all()[:2])
        if len(existing) == 1:
            existing[0].language_code = default
            existing[0].save(update_fields=["language_code"])
        else:
            Locale.objects.create(language_code=default)
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)

    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=settings.STAFF_GROUP_NAME).first()
    if group is not None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        content_type, _created = ContentType.objects.get_or_create(
            app_label="simple_translation", model="simpletranslation"
        )
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename="submit_translation",
            defaults={"name": "Can submit translations"},
        )
        group.permissions.add(permission)


def remove_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    for locale in Locale.objects.exclude(language_code=settings.LANGUAGE_CODE):
        if not Page.objects.filter(locale=locale).exists():
            locale.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_french_workflow_names"),
        ("wagtailcore", "0094_alter_page_locale"),
        ("simple_translation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(add_locales, remove_locales)]
