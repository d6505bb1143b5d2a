"""Matching engine of the compagnonnage: scores, explanations, batch assignment.

Pure Python on purpose: it imports nothing from Django nor from any project app, so
it can be tested as plain functions and reused by the admin, a management command
or a notebook. The Django side turns its models into the frozen dataclasses below
and reads weight overrides from settings (``Weights(**settings.MENTORING_WEIGHTS)``).

A score is a weighted mean of named components, each in [0, 1], so staff can see
*why* a mentor is suggested and tune the weights without touching the code.
"""

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from scipy.optimize import linear_sum_assignment

# Vocabularies: code -> French label. The Django models use the same codes (``*_CHOICES``).
EXPERTISE = {
    "modele_economique": "modèle économique",
    "animation_communaute": "animation de communauté",
    "statut_juridique": "statut juridique",
    "financement": "financement et appels à projets",
    "amenagement": "aménagement du lieu",
    "fabrication_numerique": "fabrication numérique",
    "mediation_numerique": "médiation numérique",
    "programmation_culturelle": "programmation culturelle",
    "gouvernance": "gouvernance",
    "partenariats_collectivites": "partenariats avec les collectivités",
    "communication": "communication",
}
STAGES = {
    "idee": "idée",
    "recherche_lieu": "recherche de lieu",
    "prefiguration": "préfiguration",
    "ouvert_moins_1an": "ouvert depuis moins d'un an",
    "ouvert_1_3ans": "ouvert depuis 1 à 3 ans",
}
ACTIVITIES = {
    "coworking": "coworking / bureaux partagés",
    "atelier_partage": "atelier partagé",
    "fablab": "fab lab",
    "culture_cafe": "lieu culturel / café / commerce",
    "accompagnement": "espace d'accompagnement",
    "mediation_numerique": "espace de médiation numérique",
    "living_lab": "living lab",
    "autre": "autre",
}
LEGAL_FORMS = {
    "commune": "commune",
    "entreprise": "entreprise privée",
    "association": "association",
    "etablissement_public": "établissement public",
    "cooperative": "coopérative",
    "autre": "autre",
}
FORMATS = {"sur_place": "sur place", "visio": "en visio"}

EXPERTISE_CHOICES = list(EXPERTISE.items())
STAGE_CHOICES = list(STAGES.items())
ACTIVITY_CHOICES = list(ACTIVITIES.items())
LEGAL_FORM_CHOICES = list(LEGAL_FORMS.items())
FORMAT_CHOICES = list(FORMATS.items())

# Communes of the MEL under this population are its peri-urban and rural ones (priority projects).
SMALL_COMMUNE_POPULATION = 10_000
# Proximity falls linearly from 1 at 0 km to 0 at this distance (about the width of the MEL).
PROXIMITY_RANGE_KM = 40.0
EARTH_RADIUS_KM = 6371.0088
NEUTRAL = 0.5  # value of a component nobody can judge (missing data): neither helps nor hurts

COMPONENTS = ("needs", "activities", "stage", "legal_form", "proximity", "capacity", "priority", "format")


@dataclass(frozen=True)
class Place:
    insee_code: str
    name: str
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None


@dataclass(frozen=True)
class MentorProfile:
    id: int
    venue_name: str
    expertise: frozenset[str] = frozenset()
    activities: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    legal_forms: frozenset[str] = frozenset()
    place: Place | None = None
    capacity: int = 1
    active_pairings: int = 0
    available: bool = True
    formats: frozenset[str] = frozenset({"sur_place", "visio"})

    @property
    def remaining(self) -> int:
        """Free slots; never negative even if a staff override overfilled the mentor."""
        return max(0, self.capacity - self.active_pairings)


@dataclass(frozen=True)
class MentoringRequest:
    id: int
    project_name: str
    needs: frozenset[str] = frozenset()
    activities: frozenset[str] = frozenset()
    stage: str = "idee"
    legal_form: str | None = None
    place: Place | None = None
    in_qpv: bool = False
    preferred_format: str | None = None
    submitted_at: datetime | None = None


@dataclass(frozen=True)
class Weights:
    """Weight of each component (names as in ``COMPONENTS``), plus two tuning knobs.

    ``min_score``: below it a mentor is not acceptable (not suggested, never assigned).
    ``slot_penalty``: in batch assignment, slot k of a mentor already holding n pairings
    is worth ``score * (1 - slot_penalty) ** (n + k)``, so load spreads over venues
    instead of piling on the same few.
    """

    needs: float = 4.0
    activities: float = 1.5
    stage: float = 1.5
    legal_form: float = 0.5
    proximity: float = 2.0
    capacity: float = 1.0
    priority: float = 1.0
    format: float = 1.5
    min_score: float = 0.35
    slot_penalty: float = 0.03

    def __post_init__(self):
        if any(getattr(self, name) < 0 for name in COMPONENTS) or self.total <= 0:
            raise ValueError("Component weights must be non-negative with a positive sum.")
        if not 0 <= self.min_score <= 1 or not 0 <= self.slot_penalty < 1:
            raise ValueError("min_score must be in [0, 1] and slot_penalty in [0, 1).")

    @property
    def total(self) -> float:
        return sum(getattr(self, name) for name in COMPONENTS)


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Suggestion:
    mentor_id: int
    score: float
    components: dict[str, float]
    explanation: str
    reasons: "Reasons | None" = None


@dataclass(frozen=True)
class Pairing:
    request_id: int
    mentor_id: int
    score: float
    explanation: str
    reasons: "Reasons | None" = None


@dataclass(frozen=True)
class Assignment:
    pairs: list[Pairing]
    unmatched: list[int]

    @property
    def total_score(self) -> float:
        return sum(p.score for p in self.pairs)


# --- components --------------------------------------------------------------------------------


def is_small_commune(place: Place | None) -> bool:
    """A peri-urban or rural commune of the MEL; an unknown population is not small."""
    return place is not None and place.population is not None and place.population < SMALL_COMMUNE_POPULATION


def haversine_km(a: Place | None, b: Place | None) -> float | None:
    """Great-circle distance between two communes, or None when a position is missing."""
    if a is None or b is None or None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def proximity(distance_km: float | None) -> float:
    """1 at 0 km, falling linearly to 0 at ``PROXIMITY_RANGE_KM``; unknown distance is neutral."""
    if distance_km is None:
        return NEUTRAL
    return max(0.0, 1.0 - distance_km / PROXIMITY_RANGE_KM)


def _share(wanted: frozenset[str], offered: frozenset[str]) -> float:
    """Share of what the project asks for that the mentor offers; asking nothing is neutral."""
    return len(wanted & offered) / len(wanted) if wanted else NEUTRAL


def score_components(request: MentoringRequest, mentor: MentorProfile) -> dict[str, float]:
    """Each component in [0, 1]:

    - needs: share of the request's needs within the mentor's expertise (no needs -> 0.5);
    - activities: share of the request's activities the mentor's venue also runs (none -> 0.5);
    - stage: 1 if the mentor went through the request's stage, else 0;
    - legal_form: 1 if the mentor knows that legal form, 0 if not, 0.5 if the project has none yet;
    - proximity: see ``proximity()`` (missing position on either side -> 0.5);
    - capacity: share of the mentor's slots still free (favours the less loaded);
    - priority: 1 for a project in a QPV or a small commune, else 0 (same for every mentor of a
      request: it does not reorder suggestions but lifts priority projects above the threshold
      and wins them scarce slots in batch assignment);
    - format: 1 if the mentor offers the preferred format (or none is preferred), 0 if not
      (e.g. "sur_place" wanted, "visio" only offered), 0.5 if the mentor declared no format.
    """
    legal_form = NEUTRAL if request.legal_form is None else float(request.legal_form in mentor.legal_forms)
    if request.preferred_format is None:
        fmt = 1.0
    elif not mentor.formats:
        fmt = NEUTRAL
    else:
        fmt = float(request.preferred_format in mentor.formats)
    return {
        "needs": _share(request.needs, mentor.expertise),
        "activities": _share(request.activities, mentor.activities),
        "stage": float(request.stage in mentor.stages),
        "legal_form": legal_form,
        "proximity": proximity(haversine_km(request.place, mentor.place)),
        "capacity": mentor.remaining / mentor.capacity if mentor.capacity > 0 else 0.0,
        "priority": float(request.in_qpv or is_small_commune(request.place)),
        "format": fmt,
    }


def weighted_score(components: dict[str, float], weights: Weights = DEFAULT_WEIGHTS) -> float:
    """Weighted mean of the components: stays in [0, 1] whatever the weights."""
    total = sum(getattr(weights, name) * components[name] for name in COMPONENTS)
    return round(total / weights.total, 9)  # rounding makes equal-looking scores exactly equal


# --- explanation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reasons:
    """Why a mentor fits a request, as plain data: the codes each side has in common.

    Every wording of an explanation (for staff, the newcomer, the mentor venue, in
    any language) is written from these; ``explain()`` is the engine's own French one.
    """

    needs_total: int
    needs_covered: tuple[str, ...]  # vocabulary order
    shared_activities: tuple[str, ...]
    shared_stage: str | None  # the request's stage, when the mentor went through it
    known_legal_form: str | None  # the request's legal form, when the mentor knows it
    distance_km: float | None
    formats_only: tuple[str, ...]  # the mentor's formats, when the preferred one is not among them
    in_qpv: bool
    small_commune: bool


def _codes(codes: Iterable[str], vocabulary: dict[str, str]) -> tuple[str, ...]:
    """Codes in vocabulary order (stable, readable); unknown codes last, sorted."""
    codes = set(codes)
    return tuple([code for code in vocabulary if code in codes] + sorted(codes - vocabulary.keys()))


def reasons(request: MentoringRequest, mentor: MentorProfile) -> Reasons:
    wanted = request.preferred_format
    mismatch = wanted is not None and mentor.formats and wanted not in mentor.formats
    return Reasons(
        needs_total=len(request.needs),
        needs_covered=_codes(request.needs & mentor.expertise, EXPERTISE),
        shared_activities=_codes(request.activities & mentor.activities, ACTIVITIES),
        shared_stage=request.stage if request.stage in mentor.stages else None,
        known_legal_form=request.legal_form
        if request.legal_form is not None and request.legal_form in mentor.legal_forms
        else None,
        distance_km=haversine_km(request.place, mentor.place),
        formats_only=_codes(mentor.formats, FORMATS) if mismatch else (),
        in_qpv=request.in_qpv,
        small_commune=is_small_commune(request.place),
    )


def covers_a_need(request: MentoringRequest, mentor: MentorProfile) -> bool:
    """The mentor covers at least one of the request's needs (a request with none asks nothing)."""
    return not request.needs or bool(request.needs & mentor.expertise)


def _needs_phrase(why: Reasons) -> str | None:
    total = why.needs_total
    if not total:
        return None
    covered = [EXPERTISE.get(code, code) for code in why.needs_covered]
    if not covered:
        return "ne couvre aucun de vos besoins"
    listed = ", ".join(covered)
    if len(covered) == total:
        return f"couvre votre besoin : {listed}" if total == 1 else f"couvre vos {total} besoins : {listed}"
    return f"couvre {len(covered)} de vos {total} besoins : {listed}"


def _distance_phrase(distance_km: float | None) -> str:
    if distance_km is None:
        return "distance inconnue"
    if distance_km < 1:
        return "à moins d'1 km"
    return f"à {round(distance_km)} km"


def explain(request: MentoringRequest, mentor: MentorProfile) -> str:
    """A short French sentence saying why this mentor fits (or what is missing)."""
    why = reasons(request, mentor)
    parts = []
    if needs := _needs_phrase(why):
        parts.append(needs)
    if shared := [ACTIVITIES.get(code, code) for code in why.shared_activities]:
        parts.append(("même activité : " if len(shared) == 1 else "mêmes activités : ") + ", ".join(shared))
    if why.shared_stage is not None:
        parts.append(f"a connu l'étape « {STAGES.get(why.shared_stage, why.shared_stage)} »")
    if why.known_legal_form is not None:
        parts.append(f"connaît le statut « {LEGAL_FORMS.get(why.known_legal_form, why.known_legal_form)} »")
    parts.append(_distance_phrase(why.distance_km))
    if why.formats_only:
        parts.append("uniquement " + " ou ".join(FORMATS.get(code, code) for code in why.formats_only))
    priority = " et ".join(
        label for label, on in (("en QPV", why.in_qpv), ("en petite commune", why.small_commune)) if on
    )
    if priority:
        parts.append(f"projet {priority} : prioritaire")
    text = " ; ".join(parts)
    return text[:1].upper() + text[1:]


# --- suggestions and assignment ----------------------------------------------------------------


def evaluate(
    request: MentoringRequest, mentor: MentorProfile, weights: Weights = DEFAULT_WEIGHTS
) -> Suggestion:
    """Score and explain one request-mentor pair, whatever the mentor's availability."""
    components = score_components(request, mentor)
    return Suggestion(
        mentor.id,
        weighted_score(components, weights),
        components,
        explain(request, mentor),
        reasons(request, mentor),
    )


def is_open(mentor: MentorProfile) -> bool:
    """A mentor who can take a new pairing now."""
    return mentor.available and mentor.remaining > 0


def suggest(
    request: MentoringRequest,
    mentors: Iterable[MentorProfile],
    weights: Weights = DEFAULT_WEIGHTS,
    limit: int | None = 5,
) -> list[Suggestion]:
    """Best acceptable mentors for one request: open, covering at least one of its needs
    (``covers_a_need``) and scoring at least ``weights.min_score``.

    Ranked by score, then by mentor id, so equal scores always come in the same order.
    """
    scored = (
        (weighted_score(score_components(request, m), weights), m)
        for m in mentors
        if is_open(m) and covers_a_need(request, m)
    )
    ranked = sorted((sm for sm in scored if sm[0] >= weights.min_score), key=lambda sm: (-sm[0], sm[1].id))
    # Explaining costs more than scoring: explain only what is shown.
    return [evaluate(request, m, weights) for _score, m in ranked[:limit]]


def slot_value(score: float, mentor: MentorProfile, slot: int, weights: Weights = DEFAULT_WEIGHTS) -> float:
    """Worth of giving a mentor's ``slot``-th free slot (0-based) to a pair scoring ``score``.

    Multiplicative, so it stays positive: an acceptable pairing is always worth making.
    """
    return score * (1.0 - weights.slot_penalty) ** (mentor.active_pairings + slot)


def _unique_by_id(items: Iterable, kind: str) -> list:
    """Canonical order by id (the tie-breaker) and a guard against a request or mentor given twice."""
    ordered = sorted(items, key=lambda item: item.id)
    if len({item.id for item in ordered}) != len(ordered):
        raise ValueError(f"Duplicate {kind} id.")
    return ordered


def _round9(values: np.ndarray, exact=None) -> np.ndarray:
    """``round(x, 9)`` of every element, as Python's ``round`` does it.

    ``np.round`` scales by 1e9 first, which can only land on the wrong side of a half when
    the scaled value is within rounding error of ``.5``: those few cells are redone by
    ``exact(i, j)`` (default: Python's ``round`` of the same value).
    """
    scaled = values * 1e9
    out = np.rint(scaled) / 1e9
    near_half = np.argwhere(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for i, j in near_half.tolist():
        out[i, j] = exact(i, j) if exact is not None else round(float(values[i, j]), 9)
    return out


def _proximity_matrix(a: Sequence[Place | None], b: Sequence[Place | None]) -> np.ndarray:
    """``proximity(haversine_km(x, y))`` for every pair, in arrays (equal to within a few ulps)."""

    def radians(places):
        coords = [
            (p.latitude, p.longitude)
            if p is not None and None not in (p.latitude, p.longitude)
            else (np.nan, np.nan)
            for p in places
        ]
        return np.radians(np.array(coords, dtype=float).reshape(len(places), 2))

    ra, rb = radians(a), radians(b)
    lat1, lon1 = ra[:, :1], ra[:, 1:]
    lat2, lon2 = rb[:, 0][None, :], rb[:, 1][None, :]
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return np.where(np.isnan(distance), NEUTRAL, np.maximum(0.0, 1.0 - distance / PROXIMITY_RANGE_KM))


def _share_matrix(wanted: Sequence[frozenset[str]], offered: Sequence[frozenset[str]]) -> np.ndarray:
    """``_share`` for every (wanted, offered) pair: one matrix product of membership matrices."""
    vocabulary: dict[str, int] = {}
    for codes in (*wanted, *offered):
        for code in codes:
            vocabulary.setdefault(code, len(vocabulary))
    a = np.zeros((len(wanted), len(vocabulary) or 1))
    b = np.zeros((len(offered), len(vocabulary) or 1))
    for matrix, sets in ((a, wanted), (b, offered)):
        for i, codes in enumerate(sets):
            matrix[i, [vocabulary[c] for c in codes]] = 1.0
    sizes = a.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = (a @ b.T) / sizes[:, None]  # small integers: exact in floating point
    shares[sizes == 0] = NEUTRAL
    return shares


def _membership(values: Sequence[str | None], sets: Sequence[frozenset[str]]) -> np.ndarray:
    """``value in set`` for every (value, set) pair, as 0.0 / 1.0 (a None value is in no set)."""
    vocabulary = {v: i for i, v in enumerate(dict.fromkeys(v for v in values if v is not None))}
    member = np.zeros((len(sets), len(vocabulary) + 1))  # last column: the None / unknown value
    for j, codes in enumerate(sets):
        member[j, [vocabulary[c] for c in codes if c in vocabulary]] = 1.0
    columns = [vocabulary.get(v, len(vocabulary)) if v is not None else len(vocabulary) for v in values]
    return member[:, columns].T


def score_matrix(
    requests: Sequence[MentoringRequest], mentors: Sequence[MentorProfile], weights: Weights = DEFAULT_WEIGHTS
) -> np.ndarray:
    """``weighted_score(score_components(r, m), weights)`` for every pair, as an array.

    The same numbers, without a Python loop over the pairs: sets become membership matrices,
    shares a matrix product, all in the float operations and order of ``score_components``
    and ``weighted_score``. Only numpy's trigonometry may differ from ``math``'s by an ulp
    (about 1e-17 on a score); that changes the 9-decimal rounding only for a raw score within
    rounding error of a half, and such cells are recomputed by ``weighted_score`` itself.
    So the matrix equals the scalar scores exactly.
    """
    n, m = len(requests), len(mentors)
    request_places = list(dict.fromkeys(r.place for r in requests))
    mentor_places = list(dict.fromkeys(mt.place for mt in mentors))
    r_index = {place: i for i, place in enumerate(request_places)}
    m_index = {place: j for j, place in enumerate(mentor_places)}
    near = _proximity_matrix(request_places, mentor_places)[
        np.ix_([r_index[r.place] for r in requests], [m_index[mt.place] for mt in mentors])
    ]

    legal = _membership([r.legal_form for r in requests], [mt.legal_forms for mt in mentors])
    legal[[r.legal_form is None for r in requests]] = NEUTRAL
    fmt = _membership([r.preferred_format for r in requests], [mt.formats for mt in mentors])
    fmt[:, [not mt.formats for mt in mentors]] = NEUTRAL
    fmt[[r.preferred_format is None for r in requests]] = 1.0
    components = {
        "needs": _share_matrix([r.needs for r in requests], [mt.expertise for mt in mentors]),
        "activities": _share_matrix([r.activities for r in requests], [mt.activities for mt in mentors]),
        "stage": _membership([r.stage for r in requests], [mt.stages for mt in mentors]),
        "legal_form": legal,
        "proximity": near,
        "capacity": np.array(
            [[mt.remaining / mt.capacity if mt.capacity > 0 else 0.0 for mt in mentors]]
        ).reshape(1, m),
        "priority": np.array([[float(r.in_qpv or is_small_commune(r.place))] for r in requests]).reshape(
            n, 1
        ),
        "format": fmt,
    }
    total = np.zeros((n, m))
    for name in COMPONENTS:  # the order of weighted_score's sum, so rounding errors match too
        total = total + getattr(weights, name) * components[name]
    return _round9(
        total / weights.total, lambda i, j: weighted_score(score_components(requests[i], mentors[j]), weights)
    )


def assign(
    requests: Iterable[MentoringRequest],
    mentors: Iterable[MentorProfile],
    weights: Weights = DEFAULT_WEIGHTS,
    forbidden: Collection[tuple[int, int]] = (),
) -> Assignment:
    """Pair all open requests at once, maximizing the total slot value under capacities.

    ``forbidden`` holds ``(request_id, mentor_id)`` pairs never to make (e.g. a mentor who
    already declined that request): they count as unacceptable.

    Exact: one column per free slot of each open mentor, solved by
    ``scipy.optimize.linear_sum_assignment``. A request whose every option is unacceptable
    (below ``min_score``, covering none of its needs, or no open mentor) stays unmatched.
    Inputs are put in id order first, so ties always resolve the same way whatever the
    order the caller passed them in.
    Scores come from ``score_matrix`` (the scores of ``weighted_score``, computed in arrays).
    """
    requests = _unique_by_id(requests, "request")
    mentors = _unique_by_id(mentors, "mentor")
    open_mentors = [m for m in mentors if is_open(m)]
    remaining = np.array([m.remaining for m in open_mentors], dtype=np.int64)
    if not requests or not remaining.sum():
        return Assignment(pairs=[], unmatched=[r.id for r in requests])

    scores = score_matrix(requests, open_mentors, weights)
    # A mentor covering none of a request's needs is never proposed, whatever the other components.
    covered = _share_matrix([r.needs for r in requests], [m.expertise for m in open_mentors]) > 0
    acceptable = (scores >= weights.min_score) & covered
    if forbidden:
        r_index = {r.id: i for i, r in enumerate(requests)}
        m_index = {m.id: j for j, m in enumerate(open_mentors)}
        cells = [(r_index[r], m_index[m]) for r, m in forbidden if r in r_index and m in m_index]
        if cells:
            acceptable[tuple(np.array(cells).T)] = False

    # Slot columns: mentor j appears remaining[j] times, its k-th slot worth a factor
    # (1 - penalty) ** (load + k), computed once per exponent in Python (as slot_value does).
    slot_mentor = np.repeat(np.arange(len(open_mentors)), remaining)
    starts = np.repeat(np.cumsum(remaining) - remaining, remaining)
    exponent = np.array([m.active_pairings for m in open_mentors])[slot_mentor] + (
        np.arange(len(slot_mentor)) - starts
    )
    powers = {e: (1.0 - weights.slot_penalty) ** e for e in np.unique(exponent).tolist()}
    factor = np.array([powers[e] for e in exponent.tolist()])
    value = np.where(acceptable[:, slot_mentor], _round9(scores[:, slot_mentor] * factor), 0.0)

    # Unacceptable cells are worth 0, like staying unmatched: taking one never beats an
    # acceptable cell, and it is dropped below. The matrix is complete, so the optimum of this
    # rectangular problem is the optimum of the partial assignment.
    rows, cols = linear_sum_assignment(value, maximize=True)
    pairs, matched = [], set()
    for i, j in zip(rows.tolist(), slot_mentor[cols].tolist(), strict=True):
        if acceptable[i, j]:
            request, mentor = requests[i], open_mentors[j]
            pairs.append(
                Pairing(
                    request.id,
                    mentor.id,
                    float(scores[i, j]),
                    explain(request, mentor),
                    reasons(request, mentor),
                )
            )
            matched.add(request.id)
    pairs.sort(key=lambda p: p.request_id)
    return Assignment(pairs=pairs, unmatched=[r.id for r in requests if r.id not in matched])


def total_slot_value(
    pairs: Sequence[Pairing], mentors: Iterable[MentorProfile], weights: Weights = DEFAULT_WEIGHTS
) -> float:
    """The objective ``assign`` maximizes, for any feasible set of pairs (best scores in early slots)."""
    by_id = {m.id: m for m in mentors}
    total = 0.0
    for mentor_id in {p.mentor_id for p in pairs}:
        scores = sorted((p.score for p in pairs if p.mentor_id == mentor_id), reverse=True)
        total += sum(slot_value(s, by_id[mentor_id], k, weights) for k, s in enumerate(scores))
    return total
