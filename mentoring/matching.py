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


@dataclass(frozen=True)
class Pairing:
    request_id: int
    mentor_id: int
    score: float
    explanation: str


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


def _labels(codes: Iterable[str], vocabulary: dict[str, str]) -> list[str]:
    """Labels in vocabulary order (stable, readable); unknown codes last, as they are."""
    codes = set(codes)
    known = [label for code, label in vocabulary.items() if code in codes]
    return known + sorted(codes - vocabulary.keys())


def _needs_phrase(request: MentoringRequest, mentor: MentorProfile) -> str | None:
    total = len(request.needs)
    if not total:
        return None
    covered = _labels(request.needs & mentor.expertise, EXPERTISE)
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
    parts = []
    if needs := _needs_phrase(request, mentor):
        parts.append(needs)
    if shared := _labels(request.activities & mentor.activities, ACTIVITIES):
        parts.append(("même activité : " if len(shared) == 1 else "mêmes activités : ") + ", ".join(shared))
    if request.stage in mentor.stages:
        parts.append(f"a connu l'étape « {STAGES.get(request.stage, request.stage)} »")
    if request.legal_form is not None and request.legal_form in mentor.legal_forms:
        parts.append(f"connaît le statut « {LEGAL_FORMS.get(request.legal_form, request.legal_form)} »")
    parts.append(_distance_phrase(haversine_km(request.place, mentor.place)))
    wanted = request.preferred_format
    if wanted is not None and mentor.formats and wanted not in mentor.formats:
        offered = " ou ".join(_labels(mentor.formats, FORMATS))
        parts.append(f"uniquement {offered}")
    small = is_small_commune(request.place)
    priority = " et ".join(
        label for label, on in (("en QPV", request.in_qpv), ("en petite commune", small)) if on
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
    return Suggestion(mentor.id, weighted_score(components, weights), components, explain(request, mentor))


def is_open(mentor: MentorProfile) -> bool:
    """A mentor who can take a new pairing now."""
    return mentor.available and mentor.remaining > 0


def suggest(
    request: MentoringRequest,
    mentors: Iterable[MentorProfile],
    weights: Weights = DEFAULT_WEIGHTS,
    limit: int | None = 5,
) -> list[Suggestion]:
    """Best acceptable mentors for one request: open, scoring at least ``weights.min_score``.

    Ranked by score, then by mentor id, so equal scores always come in the same order.
    """
    scored = ((weighted_score(score_components(request, m), weights), m) for m in mentors if is_open(m))
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
    (below ``min_score``, or no open mentor) stays unmatched. Inputs are put in id order first,
    so ties always resolve the same way whatever the order the caller passed them in.
    """
    requests = _unique_by_id(requests, "request")
    mentors = _unique_by_id(mentors, "mentor")
    slots = [(mentor, k) for mentor in mentors if is_open(mentor) for k in range(mentor.remaining)]
    if not requests or not slots:
        return Assignment(pairs=[], unmatched=[r.id for r in requests])

    open_mentors = [m for m in mentors if is_open(m)]
    scores = {
        (r.id, m.id): weighted_score(score_components(r, m), weights) for r in requests for m in open_mentors
    }
    value = np.zeros((len(requests), len(slots)))
    acceptable = np.zeros((len(requests), len(slots)), dtype=bool)
    forbidden = set(forbidden)
    for i, request in enumerate(requests):
        for j, (mentor, k) in enumerate(slots):
            score = scores[request.id, mentor.id]
            if score >= weights.min_score and (request.id, mentor.id) not in forbidden:
                acceptable[i, j] = True
                value[i, j] = round(slot_value(score, mentor, k, weights), 9)

    # Unacceptable cells are worth 0, like staying unmatched: taking one never beats an
    # acceptable cell, and it is dropped below. The matrix is complete, so the optimum of this
    # rectangular problem is the optimum of the partial assignment.
    rows, cols = linear_sum_assignment(value, maximize=True)
    pairs, matched = [], set()
    for i, j in zip(rows, cols, strict=True):
        if acceptable[i, j]:
            request, (mentor, _k) = requests[i], slots[j]
            score = scores[request.id, mentor.id]
            pairs.append(Pairing(request.id, mentor.id, score, explain(request, mentor)))
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
