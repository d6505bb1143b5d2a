"""The matching engine as plain functions: no database, no Django model."""

import ast
import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring import matching
from mentoring.matching import (
    ACTIVITIES,
    COMPONENTS,
    EXPERTISE,
    EXPERTISE_CHOICES,
    LEGAL_FORMS,
    STAGES,
    Assignment,
    MentoringRequest,
    MentorProfile,
    Place,
    Weights,
    assign,
    covers_a_need,
    explain,
    haversine_km,
    is_open,
    is_small_commune,
    proximity,
    score_components,
    slot_value,
    suggest,
    total_slot_value,
    weighted_score,
)

LILLE = Place("59350", "Lille", 50.63297, 3.05858, 236_710)
ROUBAIX = Place("59512", "Roubaix", 50.69421, 3.17456, 98_892)
WATTIGNIES = Place("59648", "Wattignies", 50.58639, 3.04333, 14_500)
FOURNES = Place("59250", "Fournes-en-Weppes", 50.58444, 2.88778, 2_200)
NOWHERE = Place("59999", "Commune sans position", None, None, None)

NEEDS_ONLY = Weights(
    needs=1, activities=0, stage=0, legal_form=0, proximity=0, capacity=0, priority=0, format=0
)


def mentor(id=1, **kwargs):
    kwargs.setdefault("venue_name", f"Lieu {id}")
    kwargs.setdefault("capacity", 2)
    return MentorProfile(id=id, **kwargs)


def request(id=1, **kwargs):
    kwargs.setdefault("project_name", f"Projet {id}")
    return MentoringRequest(id=id, **kwargs)


# --- module boundaries and vocabularies ----------------------------------------------------------


def test_module_imports_nothing_from_django_or_the_project():
    tree = ast.parse(Path(matching.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported.isdisjoint({"django", "wagtail", "network", "home", "members", "events", "mentoring"})


def test_vocabularies_are_usable_as_choices():
    assert ("financement", "financement et appels à projets") in EXPERTISE_CHOICES
    assert STAGES["prefiguration"] == "préfiguration"
    assert ACTIVITIES["fablab"] == "fab lab"
    assert set(LEGAL_FORMS) == {
        "commune",
        "entreprise",
        "association",
        "etablissement_public",
        "cooperative",
        "autre",
    }
    assert all(isinstance(code, str) and isinstance(label, str) for code, label in EXPERTISE_CHOICES)


def test_weights_reject_nonsense():
    with pytest.raises(ValueError):
        Weights(needs=-1)
    with pytest.raises(ValueError):
        Weights(**dict.fromkeys(COMPONENTS, 0))
    with pytest.raises(ValueError):
        Weights(min_score=1.5)
    with pytest.raises(TypeError):
        Weights(unknown=1)


# --- components ----------------------------------------------------------------------------------


def test_haversine_lille_roubaix():
    assert 10 <= haversine_km(LILLE, ROUBAIX) <= 11
    assert haversine_km(LILLE, LILLE) == 0


def test_missing_position_gives_no_distance_and_neutral_proximity():
    assert haversine_km(LILLE, None) is None
    assert haversine_km(NOWHERE, LILLE) is None
    assert proximity(None) == 0.5
    assert score_components(request(place=NOWHERE), mentor(place=LILLE))["proximity"] == 0.5
    assert score_components(request(place=LILLE), mentor(place=None))["proximity"] == 0.5


def test_proximity_decays_to_zero_at_40_km():
    assert proximity(0) == 1
    assert proximity(20) == pytest.approx(0.5)
    assert proximity(40) == 0
    assert proximity(120) == 0
    assert proximity(haversine_km(LILLE, ROUBAIX)) == pytest.approx(1 - 10.6 / 40, abs=0.02)


def test_small_commune_threshold():
    assert is_small_commune(FOURNES)
    assert not is_small_commune(WATTIGNIES)
    assert not is_small_commune(replace(FOURNES, population=None))
    assert not is_small_commune(None)
    assert is_small_commune(replace(FOURNES, population=matching.SMALL_COMMUNE_POPULATION - 1))
    assert not is_small_commune(replace(FOURNES, population=matching.SMALL_COMMUNE_POPULATION))


def test_needs_component_is_the_share_of_needs_covered():
    m = mentor(expertise=frozenset({"modele_economique", "statut_juridique", "financement"}))
    four = frozenset({"modele_economique", "statut_juridique", "financement", "gouvernance"})
    assert score_components(request(needs=four), m)["needs"] == 0.75
    assert score_components(request(needs=frozenset({"gouvernance"})), m)["needs"] == 0
    assert score_components(request(needs=frozenset()), m)["needs"] == 0.5


def test_activities_stage_and_legal_form_components():
    m = mentor(
        activities=frozenset({"fablab", "coworking"}),
        stages=frozenset({"prefiguration"}),
        legal_forms=frozenset({"association"}),
    )
    c = score_components(
        request(activities=frozenset({"fablab", "living_lab"}), stage="prefiguration", legal_form="commune"),
        m,
    )
    assert (c["activities"], c["stage"], c["legal_form"]) == (0.5, 1.0, 0.0)
    c = score_components(request(stage="idee", legal_form="association"), m)
    assert (c["activities"], c["stage"], c["legal_form"]) == (0.5, 0.0, 1.0)
    assert score_components(request(legal_form=None), m)["legal_form"] == 0.5


def test_capacity_component_is_the_share_of_free_slots():
    assert score_components(request(), mentor(capacity=4, active_pairings=1))["capacity"] == 0.75
    assert score_components(request(), mentor(capacity=2, active_pairings=3))["capacity"] == 0
    assert score_components(request(), mentor(capacity=0))["capacity"] == 0


def test_priority_for_qpv_and_small_communes():
    m = mentor()
    assert score_components(request(in_qpv=True, place=LILLE), m)["priority"] == 1
    assert score_components(request(place=FOURNES), m)["priority"] == 1
    assert score_components(request(place=LILLE), m)["priority"] == 0
    assert score_components(request(place=None), m)["priority"] == 0


def test_format_compatibility():
    visio_only = mentor(formats=frozenset({"visio"}))
    both = mentor(formats=frozenset({"visio", "sur_place"}))
    assert score_components(request(preferred_format="sur_place"), visio_only)["format"] == 0
    assert score_components(request(preferred_format="sur_place"), both)["format"] == 1
    assert score_components(request(preferred_format=None), visio_only)["format"] == 1
    assert score_components(request(preferred_format="visio"), mentor(formats=frozenset()))["format"] == 0.5
    r = request(preferred_format="sur_place")
    assert weighted_score(score_components(r, visio_only)) < weighted_score(score_components(r, both))


def test_score_is_a_weighted_mean_in_unit_interval():
    assert weighted_score(dict.fromkeys(COMPONENTS, 1.0)) == 1
    assert weighted_score(dict.fromkeys(COMPONENTS, 0.0)) == 0
    components = dict.fromkeys(COMPONENTS, 0.0) | {"needs": 1.0}
    assert weighted_score(components, Weights()) == pytest.approx(4.0 / Weights().total)
    assert weighted_score(components, NEEDS_ONLY) == 1


# --- explanation ---------------------------------------------------------------------------------


def test_explanation_of_a_good_match():
    m = mentor(
        expertise=frozenset({"financement", "statut_juridique", "modele_economique"}),
        activities=frozenset({"fablab"}),
        stages=frozenset({"prefiguration"}),
        place=Place("59009", "Villeneuve-d'Ascq", 50.6233, 3.1450, 62_000),
    )
    r = request(
        needs=frozenset({"financement", "statut_juridique", "modele_economique", "gouvernance"}),
        activities=frozenset({"fablab", "coworking"}),
        stage="prefiguration",
        place=Place("59410", "Hem", 50.6550, 3.1880, 18_500),
        in_qpv=True,
    )
    assert explain(r, m) == (
        "Couvre 3 de vos 4 besoins : modèle économique, statut juridique, financement et appels à projets"
        " ; même activité : fab lab ; a connu l'étape « préfiguration » ; à 5 km"
        " ; projet en QPV : prioritaire"
    )


def test_explanation_variants():
    m = mentor(
        expertise=frozenset({"gouvernance"}),
        activities=frozenset({"fablab", "coworking"}),
        legal_forms=frozenset({"association"}),
        formats=frozenset({"visio"}),
    )
    r = request(
        needs=frozenset({"gouvernance"}),
        activities=frozenset({"fablab", "coworking"}),
        legal_form="association",
        place=FOURNES,
        preferred_format="sur_place",
    )
    assert explain(r, m) == (
        "Couvre votre besoin : gouvernance ; mêmes activités : coworking / bureaux partagés, fab lab"
        " ; connaît le statut « association » ; distance inconnue ; uniquement en visio"
        " ; projet en petite commune : prioritaire"
    )
    assert explain(request(needs=frozenset({"financement"}), place=LILLE), mentor(place=LILLE)) == (
        "Ne couvre aucun de vos besoins ; à moins d'1 km"
    )
    two = frozenset({"gouvernance", "financement"})
    assert explain(request(needs=two), mentor(expertise=two)).startswith("Couvre vos 2 besoins : financement")


# --- suggestions ---------------------------------------------------------------------------------


def test_suggest_ranks_by_score_and_skips_closed_or_weak_mentors():
    r = request(needs=frozenset({"financement", "gouvernance"}), place=LILLE)
    best = mentor(1, expertise=frozenset({"financement", "gouvernance"}), place=ROUBAIX)
    good = mentor(2, expertise=frozenset({"financement"}), place=LILLE)
    unavailable = mentor(3, expertise=frozenset({"financement", "gouvernance"}), available=False)
    full = mentor(4, expertise=frozenset({"financement", "gouvernance"}), capacity=1, active_pairings=1)
    weak = mentor(5, place=Place("62041", "Arras", 50.2910, 2.7775, 41_000))
    suggestions = suggest(r, [weak, full, unavailable, good, best], Weights())
    assert [s.mentor_id for s in suggestions] == [1, 2]
    assert suggestions[0].score > suggestions[1].score
    assert set(suggestions[0].components) == set(COMPONENTS)
    assert suggestions[0].explanation.startswith("Couvre vos 2 besoins")
    assert suggest(r, [weak], Weights(min_score=0)) == []  # and it covers none of the needs


def test_a_mentor_covering_none_of_the_needs_is_never_offered():
    r = request(1, needs=frozenset({"financement"}), place=LILLE, stage="idee", in_qpv=True)
    # Close, same stage, a priority project: a high score, but nothing of what the project asks.
    near_but_useless = mentor(
        1, expertise=frozenset({"gouvernance"}), stages=frozenset({"idee"}), place=LILLE
    )
    useful = mentor(
        2, expertise=frozenset({"financement"}), place=Place("62041", "Arras", 50.29, 2.78, 41_000)
    )
    assert weighted_score(score_components(r, near_but_useless)) >= Weights(min_score=0).min_score
    assert not covers_a_need(r, near_but_useless) and covers_a_need(r, useful)
    assert covers_a_need(request(2), near_but_useless)  # a request asking nothing is not filtered
    assert [s.mentor_id for s in suggest(r, [near_but_useless, useful], Weights(min_score=0))] == [2]
    assert suggest(r, [near_but_useless], Weights(min_score=0)) == []
    result = assign([r], [near_but_useless], Weights(min_score=0))
    assert result.pairs == [] and result.unmatched == [1]


def test_suggest_breaks_ties_by_mentor_id_and_respects_limit():
    mentors = [mentor(i) for i in (7, 3, 5, 1, 9, 2)]
    assert [s.mentor_id for s in suggest(request(), mentors, Weights(min_score=0), limit=3)] == [1, 2, 3]
    assert len(suggest(request(), mentors, Weights(min_score=0), limit=None)) == 6
    assert suggest(request(), [], Weights()) == []


def test_suggest_prefers_the_less_loaded_of_two_equal_mentors():
    busy, free = mentor(1, capacity=3, active_pairings=2), mentor(2, capacity=3)
    assert [s.mentor_id for s in suggest(request(), [busy, free], Weights(min_score=0))] == [2, 1]


# --- batch assignment ----------------------------------------------------------------------------


def test_assignment_beats_greedy_on_a_hand_checked_example():
    # m1 is the best for both; greedy gives it to r1 (1.0) and r2 is left with nobody (0 on m2).
    # Optimal: r1 -> m2 (0.5) and r2 -> m1 (2/3), total 1.17 > 1.0.
    m1 = mentor(1, capacity=1, expertise=frozenset({"modele_economique", "statut_juridique", "financement"}))
    m2 = mentor(2, capacity=1, expertise=frozenset({"modele_economique"}))
    r1 = request(1, needs=frozenset({"modele_economique", "statut_juridique"}))
    r2 = request(2, needs=frozenset({"statut_juridique", "financement", "gouvernance"}))
    weights = replace(NEEDS_ONLY, min_score=0.3, slot_penalty=0)
    assert greedy([r1, r2], [m1, m2], weights) == [(1, 1, 1.0)]
    result = assign([r1, r2], [m1, m2], weights)
    assert [(p.request_id, p.mentor_id) for p in result.pairs] == [(1, 2), (2, 1)]
    assert result.total_score == pytest.approx(0.5 + 2 / 3)
    assert result.unmatched == []
    assert (
        result.pairs[1].explanation
        == "Couvre 2 de vos 3 besoins : statut juridique, financement et appels à projets ; distance inconnue"
    )


def test_assignment_leaves_unmatched_who_has_no_acceptable_mentor():
    m = mentor(1, capacity=5, expertise=frozenset({"financement"}))
    fits, misfit = request(1, needs=frozenset({"financement"})), request(2, needs=frozenset({"gouvernance"}))
    result = assign([misfit, fits], [m], replace(NEEDS_ONLY, min_score=0.5))
    assert [(p.request_id, p.mentor_id) for p in result.pairs] == [(1, 1)]
    assert result.unmatched == [2]


def test_assignment_respects_capacity_and_availability():
    requests = [request(i) for i in range(1, 6)]
    mentors = [
        mentor(1, capacity=2, active_pairings=1),
        mentor(2, capacity=1, active_pairings=1),
        mentor(3, capacity=3, available=False),
        mentor(4, capacity=1),
    ]
    result = assign(requests, mentors, Weights(min_score=0))
    assert sorted(p.mentor_id for p in result.pairs) == [1, 4]
    assert len(result.unmatched) == 3


def test_assignment_spreads_load_over_equal_mentors():
    requests = [request(i) for i in range(1, 5)]
    mentors = [mentor(1, capacity=4), mentor(2, capacity=4)]
    result = assign(requests, mentors, Weights(min_score=0))
    assert sorted(p.mentor_id for p in result.pairs) == [1, 1, 2, 2]


def test_assignment_of_empty_inputs():
    assert assign([], [], Weights()) == Assignment(pairs=[], unmatched=[])
    assert assign([request(2), request(1)], [], Weights()) == Assignment(pairs=[], unmatched=[1, 2])
    assert assign([], [mentor(1)], Weights()) == Assignment(pairs=[], unmatched=[])
    assert assign([request(1)], [mentor(1, capacity=0)], Weights(min_score=0)).unmatched == [1]


def test_assignment_rejects_duplicate_ids():
    with pytest.raises(ValueError):
        assign([request(1), request(1)], [mentor(1)], Weights())


def test_slot_value_diminishes_with_slot_and_current_load():
    weights = Weights(slot_penalty=0.1)
    assert slot_value(0.8, mentor(capacity=3), 0, weights) == pytest.approx(0.8)
    assert slot_value(0.8, mentor(capacity=3), 2, weights) == pytest.approx(0.8 * 0.81)
    assert slot_value(0.8, mentor(capacity=3, active_pairings=1), 1, weights) == pytest.approx(0.8 * 0.81)


# --- properties ----------------------------------------------------------------------------------


def greedy(requests, mentors, weights):
    """Best remaining pair first (ties by ids): the baseline the exact assignment must match or beat."""
    options = sorted(
        (-weighted_score(score_components(r, m), weights), r.id, m.id)
        for r in requests
        for m in mentors
        if is_open(m) and covers_a_need(r, m)
    )
    left = {m.id: m.remaining for m in mentors}
    taken, pairs = set(), []
    for neg_score, request_id, mentor_id in options:
        if -neg_score >= weights.min_score and request_id not in taken and left[mentor_id] > 0:
            taken.add(request_id)
            left[mentor_id] -= 1
            pairs.append((request_id, mentor_id, -neg_score))
    return pairs


codes = st.frozensets(
    st.sampled_from(["modele_economique", "statut_juridique", "financement", "gouvernance"])
)
places = st.one_of(st.none(), st.sampled_from([LILLE, ROUBAIX, WATTIGNIES, FOURNES, NOWHERE]))
formats = st.frozensets(st.sampled_from(["sur_place", "visio"]))
stages = st.sampled_from(["idee", "prefiguration", "ouvert_moins_1an"])
mentor_fields = st.fixed_dictionaries(
    {
        "expertise": codes,
        "activities": st.frozensets(st.sampled_from(["fablab", "coworking", "atelier_partage"])),
        "stages": st.frozensets(stages),
        "legal_forms": st.frozensets(st.sampled_from(["association", "commune"])),
        "place": places,
        "capacity": st.integers(0, 4),
        "active_pairings": st.integers(0, 2),
        "available": st.sampled_from([True, True, True, False]),
        "formats": formats,
    }
)
request_fields = st.fixed_dictionaries(
    {
        "needs": codes,
        "activities": st.frozensets(st.sampled_from(["fablab", "coworking", "living_lab"])),
        "stage": stages,
        "legal_form": st.sampled_from([None, "association", "entreprise"]),
        "place": places,
        "in_qpv": st.booleans(),
        "preferred_format": st.sampled_from([None, "sur_place", "visio"]),
    }
)
problems = st.tuples(
    st.lists(request_fields, max_size=8).map(lambda rs: [request(i + 1, **f) for i, f in enumerate(rs)]),
    st.lists(mentor_fields, max_size=6).map(lambda ms: [mentor(i + 1, **f) for i, f in enumerate(ms)]),
    st.builds(
        Weights,
        min_score=st.sampled_from([0.0, 0.3, 0.35, 0.5]),
        slot_penalty=st.sampled_from([0, 0.03, 0.2]),
    ),
)
PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(problems)
def test_property_capacities_never_exceeded_and_nobody_paired_twice(problem):
    requests, mentors, weights = problem
    result = assign(requests, mentors, weights)
    by_id = {m.id: m for m in mentors}
    request_ids = [p.request_id for p in result.pairs]
    assert len(request_ids) == len(set(request_ids))
    assert sorted(request_ids + result.unmatched) == sorted(r.id for r in requests)
    for mentor_id in {p.mentor_id for p in result.pairs}:
        m = by_id[mentor_id]
        assert m.available
        assert sum(p.mentor_id == mentor_id for p in result.pairs) <= m.remaining
    assert all(0 <= p.score <= 1 and p.score >= weights.min_score for p in result.pairs)


@PROPERTY
@given(problems)
def test_property_batch_scores_at_least_as_well_as_greedy(problem):
    requests, mentors, weights = problem
    result = assign(requests, mentors, weights)
    greedy_pairs = [matching.Pairing(r, m, s, "") for r, m, s in greedy(requests, mentors, weights)]
    batch_value = total_slot_value(result.pairs, mentors, weights)
    assert batch_value >= total_slot_value(greedy_pairs, mentors, weights) - 1e-6
    if weights.slot_penalty == 0:
        assert result.total_score >= sum(p.score for p in greedy_pairs) - 1e-6


@PROPERTY
@given(problems, st.randoms(use_true_random=False))
def test_property_same_input_same_output_whatever_the_order(problem, rnd):
    requests, mentors, weights = problem
    first = assign(requests, mentors, weights)
    shuffled_requests, shuffled_mentors = list(requests), list(mentors)
    rnd.shuffle(shuffled_requests)
    rnd.shuffle(shuffled_mentors)
    assert assign(shuffled_requests, shuffled_mentors, weights) == first
    for r in requests[:2]:
        assert suggest(r, shuffled_mentors, weights) == suggest(r, mentors, weights)


def test_larger_batch_stays_consistent():
    rng = random.Random(7)
    expertise = list(EXPERTISE)
    requests = [request(i, needs=frozenset(rng.sample(expertise, 3)), place=LILLE) for i in range(1, 61)]
    mentors = [mentor(i, expertise=frozenset(rng.sample(expertise, 4)), capacity=2) for i in range(1, 16)]
    result = assign(requests, mentors, Weights())
    assert len(result.pairs) + len(result.unmatched) == 60
    assert len(result.pairs) <= 30
