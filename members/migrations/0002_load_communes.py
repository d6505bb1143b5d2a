"""Load the 95 MEL communes from members/data/mel_communes.csv (see its README)."""

import csv
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "mel_communes.csv"


def _float_or_none(value):
    value = (value or "").strip()
    return float(value) if value else None


def load_communes(apps, schema_editor):
    Commune = apps.get_model("members", "Commune")
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            Commune.objects.update_or_create(
                insee_code=row["insee_code"].strip(),
                defaults={
                    "name": row["name"].strip(),
                    "postcodes": row["postcodes"].strip(),
                    "population": int(row["population"] or 0),
                    "latitude": _float_or_none(row["latitude"]),
                    "longitude": _float_or_none(row["longitude"]),
                },
            )


def unload_communes(apps, schema_editor):
    apps.get_model("members", "Commune").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(load_communes, unload_communes)]
