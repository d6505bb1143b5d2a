"""Timing of ``import_venues`` on a large GeoJSON file (prints figures; not a test).

Usage (under the bench lock; PostgreSQL when DATABASE_URL points to one):
    flock /tmp/bench.lock env DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/import_bench.py [features] [commit_features]

The harness (bench/harness.py) creates a fresh database, migrated, with the
demo page tree, and drops it at the end. The file holds ``features`` points
(15,000 by default) a few hundred metres around the centres of the MEL
communes, with distinct names; one in twenty repeats an earlier venue under
another spelling at the same place (a merge proposal). The dry run plans the
whole file; the commit writes the first ``commit_features`` of them (all by
default) and the figure for the whole file is extrapolated when fewer.

Targets (issue 13): dry run <= 10 s, commit <= 2 min for 15,000 features.
Figures of 2026-12-01 16:05 UTC on this machine, idle (load average below 1),
in-process, so the CPU time includes SQLite's but not PostgreSQL's:

    database     dry run (15,000 features)   commit (14,060 creations)
    SQLite       0.9 s (0.9 s of CPU)         11.4 s (11.2 s of CPU), 0.8 ms per venue
    PostgreSQL   1.0 s (1.0 s of CPU)         22.4 s (17.7 s of CPU), 1.6 ms per venue

    rows: 14,060 to create, 665 merge proposals, 275 skipped (repeats of a repeat)
    before this work: dry run about 49 s, commit about 47 min (320-560 ms per venue)

The dry run looks the points up in the outlines in one
vectorised STRtree query; the commit creates the draft pages in bulk
(``members.services.create_draft_venues``: tree paths allocated at once,
rooms, revisions, log entries, tags and search index in a few inserts per
batch; one insert per venue for its own row).
"""

import csv
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import bench_database, run_python  # noqa: E402

METRE = 1 / 111_195


def generate(path, count, seed=13):
    random.seed(seed)
    with (ROOT / "members" / "data" / "mel_communes.csv").open(encoding="utf-8") as handle:
        centres = [
            (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
            if row.get("latitude") and row.get("longitude")
        ]
    features = []
    for number in range(count):
        if number % 20 == 19:  # an earlier venue at the same place, spelt otherwise in capitals
            earlier = features[random.randrange(len(features))]
            name = earlier["properties"]["name"].upper().replace("-", " ").replace("É", "E")
            props = dict(earlier["properties"], name=name, id=f"b{number}")
            features.append({**earlier, "properties": props})
            continue
        lat, lng = random.choice(centres)
        lat += random.uniform(-400, 400) * METRE
        lng += random.uniform(-400, 400) * METRE * 1.55
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
                "properties": {
                    "id": f"b{number}",
                    "name": f"Tiers-lieu numéro {number}",
                    "description": "Un lieu pour travailler et fabriquer ensemble.",
                    "address": f"{number % 200 + 1} rue du Banc d'Essai",
                },
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


TIMED = """
import os
import time
from django.db import connection
from home.demo import seed_pages
from members.imports import plan_file
from members.services import import_venues

seed_pages()
print("load average before:", " ".join(f"{{value:.2f}}" for value in os.getloadavg()))
start, cpu = time.perf_counter(), time.process_time()
source, plan = plan_file({path!r})
dry, dry_cpu = time.perf_counter() - start, time.process_time() - cpu
print(f"rows: {{len(plan.creates)}} to create, {{len(plan.merges)}} merge proposals, "
      f"{{len(plan.skips)}} skipped")
print(f"dry run ({total} features): {{dry:.1f}} s ({{dry_cpu:.1f}} s of CPU)")
plan.creates = plan.creates[:{commit}]
start, cpu = time.perf_counter(), time.process_time()
outcomes = import_venues(plan, by=None, lines=None, batch_size=200)
commit, commit_cpu = time.perf_counter() - start, time.process_time() - cpu
failed = sum(1 for outcome in outcomes if outcome.outcome == "failed")
print(f"commit ({{len(plan.creates)}} creations, {{failed}} failed): {{commit:.1f}} s "
      f"({{commit_cpu:.1f}} s of CPU in this process), "
      f"{{1000 * commit / max(len(plan.creates), 1):.1f}} ms per venue")
if len(plan.creates) < {creates_total}:
    print(f"commit, extrapolated to the whole file: {{commit * {creates_total} / len(plan.creates):.0f}} s")
print("database:", connection.vendor)
print("load average after:", " ".join(f"{{value:.2f}}" for value in os.getloadavg()))
"""


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 15_000
    commit = int(sys.argv[2]) if len(sys.argv) > 2 else total
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "venues.geojson"
        generate(path, total)
        creates_total = total - total // 20
        with bench_database("import") as env:
            code = TIMED.format(path=str(path), total=total, commit=commit, creates_total=creates_total)
            run_python(env, code)


if __name__ == "__main__":
    main()
