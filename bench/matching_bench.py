"""Timing of the matching engine on a synthetic MEL-sized load (prints figures; not a test).

Usage: .venv/bin/python bench/matching_bench.py [requests] [mentors]
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mentoring.matching import (
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


def random_place(rng):
    if rng.random() < 0.1:
        return None  # some communes have no position: must not crash
    return Place(
        f"59{rng.randint(0, 999):03d}",
        "Commune",
        50.63 + rng.uniform(-0.2, 0.2),
        3.06 + rng.uniform(-0.3, 0.3),
        rng.choice([2_000, 8_000, 15_000, 60_000, 230_000]),
    )


def build(n_requests, n_mentors, seed=42):
    rng = random.Random(seed)
    mentors = [
        MentorProfile(
            id=i,
            venue_name=f"Lieu {i}",
            expertise=frozenset(rng.sample(list(EXPERTISE), 4)),
            activities=frozenset(rng.sample(list(ACTIVITIES), 2)),
            stages=frozenset(rng.sample(list(STAGES), 3)),
            legal_forms=frozenset(rng.sample(list(LEGAL_FORMS), 2)),
            place=random_place(rng),
            capacity=rng.randint(1, 4),
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
            needs=frozenset(rng.sample(list(EXPERTISE), rng.randint(1, 4))),
            activities=frozenset(rng.sample(list(ACTIVITIES), 1)),
            stage=rng.choice(list(STAGES)),
            legal_form=rng.choice([None, *LEGAL_FORMS]),
            place=random_place(rng),
            in_qpv=rng.random() < 0.2,
            preferred_format=rng.choice([None, "sur_place", "visio"]),
            submitted_at=None,
        )
        for i in range(1, n_requests + 1)
    ]
    return requests, mentors


def timed(fn, repeat=5):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return result, statistics.median(runs)


def main():
    n_requests = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    n_mentors = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    requests, mentors = build(n_requests, n_mentors)
    weights = Weights()
    slots = sum(m.remaining for m in mentors if m.available)
    print(f"{n_requests} requests x {n_mentors} mentors ({slots} free slots)")

    _, one = timed(lambda: suggest(requests[0], mentors, weights))
    print(f"suggest, one request:        {one * 1000:8.2f} ms")
    _, every = timed(lambda: [suggest(r, mentors, weights) for r in requests], repeat=3)
    print(f"suggest, every request:      {every * 1000:8.2f} ms")
    result, batch = timed(lambda: assign(requests, mentors, weights), repeat=3)
    print(f"assign, whole batch:         {batch * 1000:8.2f} ms")
    print(
        f"paired {len(result.pairs)}, unmatched {len(result.unmatched)}, "
        f"mean score {statistics.fmean(p.score for p in result.pairs):.3f}"
        if result.pairs
        else "nobody paired"
    )


if __name__ == "__main__":
    main()
