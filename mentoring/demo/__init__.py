"""Demo compagnonnage for ``manage.py seed_demo`` (idempotent), from the files beside this module.

- ``mentors.toml``: mentor profiles on about a third of the live demo venues: the four
  described there, the venues flagged "offers mentoring", the ones that already have a
  profile, then every third venue by title until a third is reached (saved through
  ``save_mentor_profile`` so the directory flag follows);
- ``requests.toml``: 20 requests (one by porteur@example.org, the others by demo newcomers
  porteur2@ ... porteur20@example.org) across the MEL, at every stage: open, proposed
  (pending staff review or awaiting the mentor's answer), paired (check-ins, one planned
  visit), withdrawn, closed with feedback.

Everything goes through ``mentoring.services``, so states stay consistent. A request is
keyed by applicant and project name: an existing one is left as it is.
"""

import datetime
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from members.models import Commune, User, VenuePage
from mentoring import services
from mentoring.errors import ServiceError
from mentoring.models import MentoringRequest, MentorProfile
from network.demo_data import (
    Table,
    clock,
    flag,
    insee_code,
    integer,
    one_of,
    read,
    relative_datetime,
    text,
    texts,
)

HERE = Path(__file__).parent
MENTORS = HERE / "mentors.toml"
REQUESTS = HERE / "requests.toml"


def _text_lists(value):
    if not isinstance(value, list):
        raise TypeError("a list of lists of strings was expected")
    return [texts(item) for item in value]


def _expertise_by_activity(value):
    if not isinstance(value, dict):
        raise TypeError("a table was expected")
    return {activity: texts(codes) for activity, codes in value.items()}


# The lists the profiles of the other chosen venues are drawn from (_generated_profile).
GENERATED = {
    "extra_expertise": texts,
    "default_expertise": texts,
    "stage_sets": _text_lists,
    "legal_form_sets": _text_lists,
    "format_sets": _text_lists,
    "availabilities": texts,
    "expertise_by_activity": _expertise_by_activity,
}
MENTOR_TABLES = (
    Table("mentors", keys={"venue": text}, required=("venue",), model=MentorProfile, label="venue"),
    Table("generated", keys=GENERATED, required=tuple(GENERATED), many=False),
    Table(
        "teams",
        keys={"venue": text, "email": text, "display_name": text},
        required=("venue", "email", "display_name"),
        label="venue",
    ),
)
STAGES = ("open", "review", "awaiting", "paired", "closed", "withdrawn")
REQUEST_TABLES = (
    Table(
        "requests",
        keys={
            "email": text,
            "display_name": text,
            "commune": insee_code,
            "then": one_of(*STAGES),
            "mentor": text,
            "checkins": integer,
            "visit": flag,
            "feedback": text,
        },
        required=("email", "project_name", "commune"),
        model=MentoringRequest,
        label="project_name",
    ),
    Table("checkins", keys={"notes": text, "next_steps": text}, required=("notes",), label="notes"),
    Table(
        "visit",
        keys={"days_from_today": integer, "at": clock, "visit_notes": text},
        required=("days_from_today", "at"),
        many=False,
    ),
)

FILES = {MENTORS: MENTOR_TABLES, REQUESTS: REQUEST_TABLES}


def seed_mentoring(stdout=None):
    staff = User.objects.filter(email="equipe@example.org").first()
    if staff is None:
        return {}
    mentors = read(MENTORS, *MENTOR_TABLES)
    plans = read(REQUESTS, *REQUEST_TABLES)
    profiles = _seed_profiles(mentors, staff, stdout)
    # What every pairing draws on: the venue teams, the check-in notes, the planned visit.
    shared = {
        "teams": {team["venue"]: team for team in mentors["teams"]},
        "checkins": plans["checkins"],
        "visit": plans["visit"],
    }
    requests = plans["requests"]
    communes = {
        c.insee_code: c for c in Commune.objects.filter(insee_code__in=[r["commune"] for r in requests])
    }
    # Pairings first, so the proposals suggested afterwards see the slots they hold.
    ordered = sorted(requests, key=lambda spec: spec.get("then") not in ("paired", "closed"))
    for spec in ordered:
        spec = dict(spec)
        email, name, then = spec.pop("email"), spec.pop("display_name", None), spec.pop("then", "open")
        mentor_slug = spec.pop("mentor", None)
        plan = {key: spec.pop(key) for key in ("checkins", "visit", "feedback") if key in spec}
        commune = communes.get(spec["commune"])
        applicant = _account(email, name, commune) if name else User.objects.filter(email=email).first()
        if (
            applicant is None
            or commune is None
            or MentoringRequest.objects.filter(
                applicant=applicant, project_name=spec["project_name"]
            ).exists()
        ):
            continue
        spec["commune"] = commune
        request = services.submit_request(spec, by=applicant)
        if stdout:
            stdout.write(f"  mentoring request {request.project_name}")
        try:
            _advance(
                request,
                then,
                profiles.get(mentor_slug),
                plan,
                staff=staff,
                applicant=applicant,
                shared=shared,
            )
        except ServiceError as error:  # e.g. a mentor left full by hand-made demo data: stay open
            if stdout:
                stdout.write(f"    left as is: {error.message}")
    return profiles


def _seed_profiles(mentors, staff, stdout):
    """Profiles on about a third of the live venues (deterministic); existing ones are left alone."""
    described = {spec["venue"]: spec for spec in mentors["mentors"]}
    venues = list(VenuePage.objects.live().order_by("title", "pk"))
    existing = {p.venue_id: p for p in MentorProfile.objects.filter(venue__in=venues)}
    chosen = [v for v in venues if v.slug in described or v.offers_mentoring or v.pk in existing]
    target = round(len(venues) / 3)
    for venue in venues[::3] + venues:
        if len(chosen) >= target:
            break
        if venue not in chosen:
            chosen.append(venue)
    profiles = {}
    for venue in sorted(chosen, key=venues.index):
        profile = existing.get(venue.pk)
        if profile is None:
            if venue.slug in described:
                data = {key: value for key, value in described[venue.slug].items() if key != "venue"}
            else:
                data = _generated_profile(venue, venues.index(venue), mentors["generated"])
            profile = services.save_mentor_profile(venue, data, by=staff)
            if stdout:
                stdout.write(f"  mentor venue {venue.title}")
        profiles[venue.slug] = profile
    return profiles


def _generated_profile(venue, rank, lists):
    """A profile varied by the venue's rank in the title order, from the lists of ``[generated]``."""
    expertise = lists["expertise_by_activity"].get(venue.main_activity, lists["default_expertise"])
    extra = lists["extra_expertise"][rank % len(lists["extra_expertise"])]

    def nth(name):
        return lists[name][rank % len(lists[name])]

    return {
        "expertise": list(dict.fromkeys([*expertise[: 2 + rank % 2], extra])),
        "stages": nth("stage_sets"),
        "legal_forms": nth("legal_form_sets"),
        "capacity": 1 + rank % 4,
        "formats": nth("format_sets"),
        "availability": nth("availabilities"),
        "accepts_visits": rank % 5 != 4,
    }


def _account(email, name, commune):
    """A demo account (email verified, demo password), created once."""
    user, _created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "commune": commune}
    )
    if _created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _manager(profile, staff, teams):
    """Someone who answers for the mentor venue: its first manager, or its demo team account."""
    from members.services import attach_manager

    venue = profile.venue
    if venue.manager_group_id:
        manager = User.objects.filter(groups=venue.manager_group_id, is_active=True).order_by("pk").first()
        if manager is not None:
            return manager
    team = teams.get(venue.slug)
    if team is None:
        return None
    manager = _account(team["email"], team["display_name"], venue.commune)
    attach_manager(venue, manager, by=staff)
    venue.refresh_from_db(fields=["manager_group"])
    return manager


def _advance(request, then, profile, plan, *, staff, applicant, shared):
    from mentoring.adapters import suggestions_for

    if then == "withdrawn":
        services.withdraw_request(request, by=applicant)
    elif then in ("review", "awaiting"):
        found = suggestions_for(request, limit=1)
        if found:
            proposal = services.propose_pairing(request, found[0][0], by=staff)
            if then == "awaiting":
                services.approve_proposal(proposal, by=staff)
    elif then in ("paired", "closed") and profile is not None:
        manager = _manager(profile, staff, shared["teams"])
        if manager is not None:
            _pair(
                request,
                profile,
                plan,
                shared,
                staff=staff,
                manager=manager,
                applicant=applicant,
                close=then == "closed",
            )


def _pair(request, profile, plan, shared, *, staff, manager, applicant, close):
    proposal = services.approve_proposal(services.propose_pairing(request, profile, by=staff), by=staff)
    pairing = services.accept_proposal(proposal, by=manager)
    count = plan.get("checkins", 1)
    for n, checkin in enumerate(shared["checkins"][:count]):
        services.log_checkin(
            pairing,
            {
                "date": timezone.localdate() - datetime.timedelta(days=7 * (count - n)),
                "notes": checkin["notes"],
                "next_steps": checkin.get("next_steps", ""),
            },
            by=applicant if n % 2 == 0 else manager,
        )
    visit = shared["visit"]
    if plan.get("visit") and profile.accepts_visits:
        services.plan_visit(
            pairing,
            {
                "visit_at": relative_datetime(visit["days_from_today"], visit["at"]),
                "visit_notes": visit.get("visit_notes", ""),
            },
            by=manager,
        )
    if close:
        services.close_pairing(pairing, by=applicant, feedback=plan.get("feedback", ""), project_opened=True)
    return pairing
