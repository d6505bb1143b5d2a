"""Why a mentor venue was suggested, written to whoever reads it.

The engine (``mentoring.matching.reasons``) gives the facts as codes; this module
words them, translatable, for three readers:

- ``NEWCOMER``: "Ce lieu vous est proposé parce qu'il couvre vos 2 besoins…";
- ``VENUE`` (the mentor venue's team): "Ce porteur de projet a besoin de…";
- ``STAFF``: a neutral summary, "Couvre 2 des 3 besoins du projet…".
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mentoring import matching
from mentoring.vocabulary import (
    ACTIVITY_CHOICES,
    EXPERTISE_CHOICES,
    FORMAT_CHOICES,
    LEGAL_FORM_CHOICES,
    STAGE_CHOICES,
)

NEWCOMER, VENUE, STAFF = "newcomer", "venue", "staff"
AUDIENCES = (NEWCOMER, VENUE, STAFF)


def _label(code, choices):
    return str(dict(choices).get(code, code))


def _list(codes, choices):
    return ", ".join(_label(code, choices) for code in codes)


def _distance(km):
    if km is None:
        return None
    if km < 1:
        return _("moins d'1 km")
    return _("%(km)s km") % {"km": number_format(round(km))}


def _priority(why):
    if why.in_qpv and why.small_commune:
        return _("en QPV et en petite commune")
    if why.in_qpv:
        return _("en QPV")
    if why.small_commune:
        return _("en petite commune")
    return None


def _facts(why):
    """``{name: values}`` of the facts beyond the needs that hold for this match, in reading order."""
    facts = {}
    if why.shared_activities:
        facts["activities"] = {"activities": _list(why.shared_activities, ACTIVITY_CHOICES)}
    if why.shared_stage:
        facts["stage"] = {"stage": _label(why.shared_stage, STAGE_CHOICES)}
    if why.known_legal_form:
        facts["legal_form"] = {"form": _label(why.known_legal_form, LEGAL_FORM_CHOICES)}
    distance = _distance(why.distance_km)
    facts["distance" if distance else "no_distance"] = {"distance": distance}
    if why.formats_only:
        facts["formats"] = {"formats": _list(why.formats_only, FORMAT_CHOICES)}
    if priority := _priority(why):
        facts["priority"] = {"where": priority}
    return facts


# Each fact, worded for each reader (``None``: not worth telling that reader).
_PHRASES = {
    NEWCOMER: {
        "activities": gettext_lazy("il a la même activité que votre projet : %(activities)s"),
        "stage": gettext_lazy("il est passé par l'étape où vous en êtes (« %(stage)s »)"),
        "legal_form": gettext_lazy("il connaît le statut que vous envisagez (« %(form)s »)"),
        "distance": gettext_lazy("il est à %(distance)s de votre projet"),
        "no_distance": None,
        "formats": gettext_lazy("il accompagne uniquement %(formats)s"),
        "priority": gettext_lazy("il accompagne en priorité les projets comme le vôtre (%(where)s)"),
    },
    VENUE: {
        "activities": gettext_lazy("imagine la même activité que votre lieu : %(activities)s"),
        "stage": gettext_lazy("en est à l'étape « %(stage)s », que votre lieu a connue"),
        "legal_form": gettext_lazy("envisage le statut « %(form)s », que votre lieu connaît"),
        "distance": gettext_lazy("est à %(distance)s de votre lieu"),
        "no_distance": None,
        "formats": gettext_lazy("souhaite un autre format que le vôtre (%(formats)s)"),
        "priority": gettext_lazy("porte un projet %(where)s, prioritaire pour le réseau"),
    },
    STAFF: {
        "activities": gettext_lazy("même activité : %(activities)s"),
        "stage": gettext_lazy("a connu l'étape « %(stage)s »"),
        "legal_form": gettext_lazy("connaît le statut « %(form)s »"),
        "distance": gettext_lazy("à %(distance)s"),
        "no_distance": gettext_lazy("distance inconnue"),
        "formats": gettext_lazy("uniquement %(formats)s"),
        "priority": gettext_lazy("projet %(where)s : prioritaire"),
    },
}


def _needs(why, audience):
    """The needs clause for ``audience``, or ``None`` when there is nothing to say."""
    covered, total = len(why.needs_covered), why.needs_total
    values = {"covered": covered, "total": total, "needs": _list(why.needs_covered, EXPERTISE_CHOICES)}
    if not total:
        return None
    if audience == NEWCOMER:
        if not covered:
            return None
        if covered == total:
            return (
                ngettext(
                    "il couvre votre besoin : %(needs)s", "il couvre vos %(total)s besoins : %(needs)s", total
                )
                % values
            )
        return _("il couvre %(covered)s de vos %(total)s besoins : %(needs)s") % values
    if audience == VENUE:
        if not covered:
            return None
        if covered == total:
            return _("a besoin de ce que votre lieu transmet : %(needs)s") % values
        return (
            _(
                "a besoin, entre autres, de ce que votre lieu transmet : %(needs)s"
                " (%(covered)s sur %(total)s besoins)"
            )
            % values
        )
    if not covered:
        return _("ne couvre aucun besoin du projet")
    if covered == total:
        return (
            ngettext(
                "couvre le besoin du projet : %(needs)s",
                "couvre les %(total)s besoins du projet : %(needs)s",
                total,
            )
            % values
        )
    return _("couvre %(covered)s des %(total)s besoins du projet : %(needs)s") % values


def _clauses(why, audience):
    clauses = [needs] if (needs := _needs(why, audience)) else []
    for name, values in _facts(why).items():
        if (phrase := _PHRASES[audience][name]) is not None:
            clauses.append(str(phrase) % values)
    # Translators: between the clauses of an explanation (French typography: a space before).
    return _(" ; ").join(clauses)


def _newcomer(why):
    if not (text := _clauses(why, NEWCOMER)):
        return _("Ce lieu vous est proposé par l'équipe du réseau.")
    return _("Ce lieu vous est proposé parce qu'%(reasons)s.") % {"reasons": text}


def _venue(why):
    if not (text := _clauses(why, VENUE)):
        return _("Ce porteur de projet vous est proposé par l'équipe du réseau.")
    return _("Ce porteur de projet %(reasons)s.") % {"reasons": text}


def _staff(why):
    text = _clauses(why, STAFF)
    return text[:1].upper() + text[1:] + "."


_WRITERS = {NEWCOMER: _newcomer, VENUE: _venue, STAFF: _staff}


def reasons_of(obj):
    """The ``matching.Reasons`` of a suggestion, an assignment's pair or a ``Proposal``.

    A proposal's are computed from the request and the mentor as they are now
    (``Proposal.objects.for_listing()`` joins what that reads).
    """
    if isinstance(obj, matching.Reasons):
        return obj
    if (found := getattr(obj, "reasons", None)) is not None:
        return found
    from mentoring.adapters import mentor_from_model, request_from_model

    return matching.reasons(request_from_model(obj.request), mentor_from_model(obj.mentor))


def explain_to(obj, audience):
    """The explanation of ``obj`` (see ``reasons_of``) worded for ``audience``."""
    if audience not in _WRITERS:
        raise ValueError(f"Unknown audience {audience!r}.")
    return _WRITERS[audience](reasons_of(obj))
