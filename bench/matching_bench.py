"""Timing and memory of the matching engine on synthetic MEL-sized loads (prints figures; not a test).

Usage: .venv/bin/python bench/matching_bench.py [--quick]

Instances are random but seeded: requests sit at the centre of one of the 95 MEL communes
(as ``adapters.request_from_model`` places them; a few communes have no position), mentor
venues a few hundred metres around a commune centre (their own position), capacities 1 to 5
with 0 to 2 pairings already running, 0 to 4 needs out of 11.

Prints, for 100 x 20, 1,000 x 200 and 5,000 x 500 (requests x mentors): the median time of
``assign`` and its peak memory, measured with ``tracemalloc`` (peak of the Python and numpy
allocations traced during one separate call, above what was allocated before it; scipy's C++
solver's own buffers are not traced, they are O(rows + columns)). Then the median time of
``suggest`` for one request among 500 mentors.

Targets (issue 6): 1,000 x 200 under 1 s; one request's suggestions under 50 ms.
Figures on the development container (Python 3.11, numpy 2.4, scipy 1.x, one core):

    requests x mentors    free slots    assign (median)    peak memory (tracemalloc)
    100 x 20                      44            1.3 ms           0.2 MiB
    1,000 x 200                  410            237 ms          17.4 MiB
    5,000 x 500                  985            2.3 s          208 MiB
    suggest, one request among 500 mentors: 1.8 ms (median)

Before the arrays (a Python loop per request-mentor pair and per slot cell), 1,000 x 200
took about 2.6 s.
"""

import csv
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentoring.matching import (  # noqa: E402
    ACTIVITIES,
    EXPERTISE,
    LEGAL_FORMS,
    STAGES,
    MentoringRequest,
    MentorProfile,
    Place,
    Weights,
    assign,
    suggest,
)

SIZES = [(100, 20), (1_000, 200), (5_000, 500)]


def mel_communes():
    with open(ROOT / "members" / "data" / "mel_communes.csv", encoding="utf-8") as f:
        return [
            Place(
                row["insee_code"],
                row["name"],
                float(row["latitude"]) if row["latitude"] else None,
                float(row["longitude"]) if row["longitude"] else None,
                int(row["population"]) if row["population"] else None,
            )
            for row in csv.DictReader(f)
        ]


def venue_place(rng, commune):
    """A venue's own position: a few hundred metres around its commune centre."""
    if commune.latitude is None:
        return commune
    return Place(
        commune.insee_code,
        commune.name,
        commune.latitude + rng.uniform(-0.005, 0.005),
        commune.longitude + rng.uniform(-0.008, 0.008),
        commune.population,
    )


def build(n_requests, n_mentors, seed=42):
    rng = random.Random(seed)
    communes = mel_communes()
    mentors = [
        MentorProfile(
            id=i,
            venue_name=f"Lieu {i}",
            expertise=frozenset(rng.sample(list(EXPERTISE), rng.randint(2, 5))),
            activities=frozenset(rng.sample(list(ACTIVITIES), 2)),
            stages=frozenset(rng.sample(list(STAGES), 3)),
            legal_forms=frozenset(rng.sample(list(LEGAL_FORMS), 2)),
            place=venue_place(rng, rng.choice(communes)),
            capacity=rng.randint(1, 5),
            active_pairings=rng.randint(0, 2),
            available=rng.random() < 0.9,
            formats=frozenset(rng.choice([{"sur_place"}, {"visio"}, {"sur_place", "visio"}])),
        )
        for i in range(1, n_mentors + 1)
    ]
    requests = [
        MentoringRequest(
            id=i,
            project_name=f"Projet {i}",
            needs=frozenset(rng.sample(list(EXPERTISE), rng.randint(0, 4))),
            activities=frozenset(rng.sample(list(ACTIVITIES), 1)),
            stage=rng.choice(list(STAGES)),
            legal_form=rng.choice([None, *LEGAL_FORMS]),
            place=rng.choice(communes),
            in_qpv=rng.random() < 0.2,
            preferred_format=rng.choice([None, "sur_place", "visio"]),
            submitted_at=None,
        )
        for i in range(1, n_requests + 1)
    ]
    return requests, mentors


def timed(fn, repeat):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return result, statistics.median(runs)


def peak_memory(fn):
    """Peak traced allocation (bytes) during one call, above what was traced before it."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def main():
    quick = "--quick" in sys.argv
    weights = Weights()
    print("batch assignment (median time; peak memory traced by tracemalloc)")
    for n_requests, n_mentors in SIZES:
        requests, mentors = build(n_requests, n_mentors)
        slots = sum(m.remaining for m in mentors if m.available)
        repeat = 1 if quick or n_requests >= 5_000 else 3
        result, seconds = timed(lambda r=requests, m=mentors: assign(r, m, weights), repeat)
        peak = peak_memory(lambda r=requests, m=mentors: assign(r, m, weights))
        print(
            f"  {n_requests:>5,} x {n_mentors:<4,} {slots:>5} free slots  "
            f"{seconds * 1000:9.1f} ms  {peak / 2**20:8.1f} MiB  "
            f"paired {len(result.pairs)}, mean score "
            f"{statistics.fmean(p.score for p in result.pairs) if result.pairs else 0:.3f}"
        )
    requests, mentors = build(1_000, 500, seed=7)
    _, one = timed(lambda: suggest(requests[0], mentors, weights), 20)
    _, each = timed(lambda: [suggest(r, mentors, weights) for r in requests[:100]], 1)
    print(
        f"suggest, one request among 500 mentors: {one * 1000:.2f} ms (median; mean over 100 requests "
        f"{each * 10:.2f} ms)"
    )


if __name__ == "__main__":
    main()
