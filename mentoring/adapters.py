"""Django models -> the pure engine's dataclasses (``mentoring.matching``), and back.

The engine never sees a model; this module is the only bridge.
"""

from mentoring import conf, matching


def place_from_commune(commune, position=None):
    """A ``matching.Place`` for a commune; ``position`` (lat, lng) overrides the commune's centre."""
    if commune is None:
        return None
    latitude, longitude = position if position else (commune.latitude, commune.longitude)
    return matching.Place(
        insee_code=commune.insee_code,
        name=commune.name,
        latitude=latitude,
        longitude=longitude,
        population=commune.population or None,
    )


def mentor_from_model(profile):
    """Needs ``MentorProfile.objects.for_matching()`` (venue, commune and load annotations)."""
    venue = profile.venue
    load = getattr(profile, "active_count", 0) + getattr(profile, "live_count", 0)
    return matching.MentorProfile(
        id=profile.pk,
        venue_name=venue.title,
        expertise=frozenset(profile.expertise),
        activities=frozenset(venue.activities),
        stages=frozenset(profile.stages),
        legal_forms=frozenset(profile.legal_forms),
        place=place_from_commune(venue.commune, venue.position),
        capacity=profile.capacity,
        active_pairings=load,
        available=profile.is_active and venue.live,
        formats=frozenset(profile.formats),
    )


def request_from_model(request):
    return matching.MentoringRequest(
        id=request.pk,
        project_name=request.project_name,
        needs=frozenset(request.needs),
        activities=frozenset(request.activities),
        stage=request.stage,
        legal_form=request.legal_form or None,
        place=place_from_commune(request.commune),
        in_qpv=request.in_qpv,
        preferred_format=request.preferred_format or None,
        submitted_at=request.submitted_at,
    )


def tried_pairs(request_ids):
    """``{(request_id, mentor_id)}`` already proposed and not to be proposed again."""
    from mentoring.models import Proposal

    rows = Proposal.objects.filter(
        request_id__in=list(request_ids),
        status__in=[Proposal.Status.DECLINED, Proposal.Status.EXPIRED, Proposal.Status.DISCARDED],
    ).values_list("request_id", "mentor_id")
    return set(rows)


def load_mentors():
    """``{id: (model, dataclass)}`` of every available mentor, in one query."""
    from mentoring.models import MentorProfile

    return {p.pk: (p, mentor_from_model(p)) for p in MentorProfile.objects.for_matching()}


def suggestions_for(request, *, mentors=None, tried=None, limit=None):
    """Ranked ``[(MentorProfile model, matching.Suggestion)]`` for one request model."""
    mentors = load_mentors() if mentors is None else mentors
    tried = tried_pairs([request.pk]) if tried is None else tried
    candidates = [m for mid, (_model, m) in mentors.items() if (request.pk, mid) not in tried]
    limit = conf.suggestion_count() if limit is None else limit
    found = matching.suggest(request_from_model(request), candidates, conf.weights(), limit=limit)
    return [(mentors[s.mentor_id][0], s) for s in found]


def batch_assignment(requests=None):
    """The engine's proposal for every open request: ``(Assignment, requests_by_id, mentors)``."""
    from mentoring.models import MentoringRequest

    if requests is None:
        requests = MentoringRequest.objects.open().for_listing()
    by_id = {r.pk: r for r in requests}
    mentors = load_mentors()
    assignment = matching.assign(
        [request_from_model(r) for r in by_id.values()],
        [m for _model, m in mentors.values()],
        conf.weights(),
        forbidden=tried_pairs(by_id),
    )
    return assignment, by_id, mentors
