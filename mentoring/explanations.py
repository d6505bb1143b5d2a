"""Why a mentor venue was suggested, written to whoever reads it.

The engine (``mentoring.matching.reasons``) gives the facts as codes; this module
words them, translatable, for three readers:

- ``NEWCOMER``: "Ce lieu vous est proposé parce qu'il couvre vos 2 besoins…";
- ``VENUE`` (the mentor venue's team): "Ce porteur de projet a besoin de…";
- ``STAFF``: a neutral summary, "Couvre 2 des 3 besoins du projet…".
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def _newcomer(why):
    parts = []
    covered, total = len(why.needs_covered), why.needs_total
    if total and covered == total:
        parts.append(
            ngettext(
                "il couvre votre besoin : %(needs)s",
                "il couvre vos %(total)s besoins : %(needs)s",
                total,
            )
            % {"total": total, "needs": _list(why.needs_covered, EXPERTISE_CHOICES)}
        )
    elif covered:
        parts.append(
            _("il couvre %(covered)s de vos %(total)s besoins : %(needs)s")
            % {"covered": covered, "total": total, "needs": _list(why.needs_covered, EXPERTISE_CHOICES)}
        )
    if why.shared_activities:
        parts.append(
            _("il a la même activité que votre projet : %(activities)s")
            % {"activities": _list(why.shared_activities, ACTIVITY_CHOICES)}
        )
    if why.shared_stage:
        parts.append(
            _("il est passé par l'étape où vous en êtes (« %(stage)s »)")
            % {"stage": _label(why.shared_stage, STAGE_CHOICES)}
        )
    if why.known_legal_form:
        parts.append(
            _("il connaît le statut que vous envisagez (« %(form)s »)")
            % {"form": _label(why.known_legal_form, LEGAL_FORM_CHOICES)}
        )
    if (distance := _distance(why.distance_km)) is not None:
        parts.append(_("il est à %(distance)s de votre projet") % {"distance": distance})
    if why.formats_only:
        parts.append(
            _("il accompagne uniquement %(formats)s") % {"formats": _list(why.formats_only, FORMAT_CHOICES)}
        )
    if priority := _priority(why):
        parts.append(
            _("il accompagne en priorité les projets comme le vôtre (%(where)s)") % {"where": priority}
        )
    if not parts:
        return _("Ce lieu vous est proposé par l'équipe du réseau.")
    return _("Ce lieu vous est proposé parce qu'%(reasons)s.") % {"reasons": " ; ".join(parts)}


def _venue(why):
    parts = []
    covered, total = len(why.needs_covered), why.needs_total
    if covered:
        parts.append(
            ngettext(
                "a besoin de ce que votre lieu transmet : %(needs)s",
                "a besoin de ce que votre lieu transmet : %(needs)s (%(covered)s besoins sur %(total)s)",
                covered,
            )
            % {"covered": covered, "total": total, "needs": _list(why.needs_covered, EXPERTISE_CHOICES)}
        )
    if why.shared_activities:
        parts.append(
            _("imagine la même activité que votre lieu : %(activities)s")
            % {"activities": _list(why.shared_activities, ACTIVITY_CHOICES)}
        )
    if why.shared_stage:
        parts.append(
            _("en est à l'étape « %(stage)s », que votre lieu a connue")
            % {"stage": _label(why.shared_stage, STAGE_CHOICES)}
        )
    if why.known_legal_form:
        parts.append(
            _("envisage le statut « %(form)s », que votre lieu connaît")
            % {"form": _label(why.known_legal_form, LEGAL_FORM_CHOICES)}
        )
    if (distance := _distance(why.distance_km)) is not None:
        parts.append(_("est à %(distance)s de votre lieu") % {"distance": distance})
    if why.formats_only:
        parts.append(
            _("souhaite un autre format que le vôtre (%(formats)s)")
            % {"formats": _list(why.formats_only, FORMAT_CHOICES)}
        )
    if priority := _priority(why):
        parts.append(_("porte un projet %(where)s, prioritaire pour le réseau") % {"where": priority})
    if not parts:
        return _("Ce porteur de projet vous est proposé par l'équipe du réseau.")
    return _("Ce porteur de projet %(reasons)s.") % {"reasons": " ; ".join(parts)}


def _staff(why):
    parts = []
    covered, total = len(why.needs_covered), why.needs_total
    if total and not covered:
        parts.append(_("ne couvre aucun besoin du projet"))
    elif total and covered == total:
        parts.append(
            ngettext(
                "couvre le besoin du projet : %(needs)s",
                "couvre les %(total)s besoins du projet : %(needs)s",
                total,
            )
            % {"total": total, "needs": _list(why.needs_covered, EXPERTISE_CHOICES)}
        )
    elif total:
        parts.append(
            _("couvre %(covered)s des %(total)s besoins du projet : %(needs)s")
            % {"covered": covered, "total": total, "needs": _list(why.needs_covered, EXPERTISE_CHOICES)}
        )
    if why.shared_activities:
        parts.append(
            _("même activité : %(activities)s")
            % {"activities": _list(why.shared_activities, ACTIVITY_CHOICES)}
        )
    if why.shared_stage:
        parts.append(_("a connu l'étape « %(stage)s »") % {"stage": _label(why.shared_stage, STAGE_CHOICES)})
    if why.known_legal_form:
        parts.append(
            _("connaît le statut « %(form)s »") % {"form": _label(why.known_legal_form, LEGAL_FORM_CHOICES)}
        )
    distance = _distance(why.distance_km)
    parts.append(_("à %(distance)s") % {"distance": distance} if distance else _("distance inconnue"))
    if why.formats_only:
        parts.append(_("uniquement %(formats)s") % {"formats": _list(why.formats_only, FORMAT_CHOICES)})
    if priority := _priority(why):
        parts.append(_("projet %(where)s : prioritaire") % {"where": priority})
    text = " ; ".join(parts)
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
