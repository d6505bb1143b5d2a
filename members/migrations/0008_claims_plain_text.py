"""A claim's message and decision reason are plain text: undo the HTML
sanitizing they used to be stored through ("R&amp;D" -> "R&D")."""

import html

from django.db import migrations
from django.utils.html import strip_tags


def to_plain_text(apps, schema_editor):
    VenueClaim = apps.get_model("members", "VenueClaim")
    for claim in VenueClaim.objects.only("message", "reason"):
        message = html.unescape(strip_tags(claim.message))
        reason = html.unescape(strip_tags(claim.reason))
        if (message, reason) != (claim.message, claim.reason):
            claim.message, claim.reason = message, reason
            claim.save(update_fields=["message", "reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_venue_search_document"),
    ]

    operations = [
        migrations.RunPython(to_plain_text, migrations.RunPython.noop),
    ]
