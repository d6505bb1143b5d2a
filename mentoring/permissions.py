"""Who may see and do what in the compagnonnage.

``access_*`` helpers fetch and authorize in one step and raise ``Http404`` for a
missing object and a forbidden one alike, so nobody learns what exists.

The staff's screens (``mentoring.admin_views``) and actions follow two Wagtail
permission policies over Django model permissions, granted to the "Équipe du
réseau" group (``members.services.ensure_staff_group``):

- ``request_policy``: "view" the open requests, their ranked suggestions and the
  figures;
- ``proposal_policy``: "add" propose a pairing (one or in a batch), "change"
  approve or discard a proposal; its "change" holders get the staff's mail.
"""

from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy

from network.permissions import has_verified_email, is_staff_member

request_policy = ModelPermissionPolicy("mentoring.MentoringRequest")
proposal_policy = ModelPermissionPolicy("mentoring.Proposal")


def is_verified_member(user):
    return has_verified_email(user)


def is_manager_of(user, venue):
    """A member of the venue's managers group (the people a mentor proposal goes to)."""
    if not user.is_authenticated or venue.manager_group_id is None:
        return False
    return user.groups.filter(pk=venue.manager_group_id).exists()


def can_edit_mentor_profile(user, venue):
    """The venue's editors in Wagtail (its managers) and staff."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_staff_member(user) or venue.permissions_for_user(user).can_edit()


def access_venue_for_mentoring(user, venue_id):
    from members.models import VenuePage

    venue = VenuePage.objects.select_related("commune").filter(pk=venue_id).first()
    if venue is None or not can_edit_mentor_profile(user, venue):
        raise Http404
    return venue


def access_own_request(user, pk):
    """A request, for its applicant only."""
    from mentoring.models import MentoringRequest

    if not user.is_authenticated:
        raise Http404
    found = MentoringRequest.objects.for_listing().filter(pk=pk, applicant=user).first()
    if found is None:
        raise Http404
    return found


def access_proposal_for_answer(user, pk):
    """A proposal awaiting (or once awaiting) the mentor's answer, for that venue's managers."""
    from mentoring.models import Proposal

    found = (
        Proposal.objects.for_listing()
        .for_managers_of(user)
        .filter(pk=pk)
        .exclude(status__in=[Proposal.Status.PENDING_REVIEW, Proposal.Status.DISCARDED])
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_pairing(user, pk):
    """A pairing, for the newcomer, the mentor venue's managers and staff."""
    from mentoring.models import Pairing

    found = Pairing.objects.for_listing().visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def is_party(user, pairing):
    """The newcomer or a manager of the mentor venue (staff are not a party)."""
    return user.pk == pairing.request.applicant_id or is_manager_of(user, pairing.mentor.venue)


def can_close_pairing(user, pairing):
    """Who ends a pairing: either side of the pair, the newcomer or a manager of the mentor
    venue, who write its feedback. Staff follow it (they see the page and moderate its room)
    but do not close it for them; nobody else, whatever their role."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_party(user, pairing)
