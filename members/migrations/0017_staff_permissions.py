"""Staff screens and actions check Django permissions, no longer the group's name:
grant them to the "Équipe du réseau" group (created here if it does not exist yet).

The list is frozen here; ``members.services.STAFF_PERMISSIONS`` is the living one
(``ensure_staff_group``). Permissions are created before they are granted: Django
only makes them after ``migrate`` (post_migrate), too late for a fresh database.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP_NAME = "Équipe du réseau"

GRANTED = (
    ("wagtailadmin", "access_admin"),
    ("members", "act_as_network_staff"),
    ("members", "view_venueclaim"),
    ("members", "change_venueclaim"),
    ("members", "view_venueimport"),
    ("members", "add_venueimport"),
    ("mentoring", "view_mentoringrequest"),
    ("mentoring", "add_proposal"),
    ("mentoring", "change_proposal"),
    ("exchanges", "view_post"),
    ("exchanges", "change_post"),
)


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    for app_label in {app_label for app_label, _codename in GRANTED} - {"wagtailadmin"}:
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    for app_label, codename in GRANTED:
        found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if found is not None:
            yield found


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=STAFF_GROUP_NAME).first()
    if group is not None:
        kept = {("wagtailadmin", "access_admin")}
        group.permissions.remove(
            *(p for p in _permissions(apps) if (p.content_type.app_label, p.codename) not in kept)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0016_french_group_names"),
        ("mentoring", "0003_pairing_visit_event"),
        ("exchanges", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "ordering": ["display_name"],
                "permissions": [("act_as_network_staff", "Agir pour l'équipe du réseau sur le site")],
                "verbose_name": "membre",
                "verbose_name_plural": "membres",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
