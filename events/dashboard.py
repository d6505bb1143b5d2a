"""Events on the Wagtail dashboard: the proposals staff have to decide, and the
next dates at a venue manager's venues."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState

from network.admin_panels import DashboardPanel

UPCOMING_LIMIT = 10


def proposals_awaiting_approval():
    """Event proposals whose moderation task is in progress (the workflow waits for a decision)."""
    from events.models import ProposalModerationTask

    return TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        task__in=ProposalModerationTask.objects.values("pk"),
    )


def upcoming_at(venues, now=None):
    """The next dates held at these venues (their own events, published or not, and meetups hosted there)."""
    from django.db.models import Q

    from events.models import Occurrence
    from members.dashboard import under

    if not venues:
        return []
    return list(
        Occurrence.objects.upcoming(now)
        .filter(under(venues, "event__path") | Q(event__venue__in=[v.pk for v in venues]))
        .select_related("event")
        .only("pk", "start", "end", "status", "event__title", "event__live", "event__id")[:UPCOMING_LIMIT]
    )


class UpcomingEventsPanel(DashboardPanel):
    """The next ``occurrences`` at the manager's venues."""

    name = "events_upcoming_at_my_venues"
    order = 45
    template_name = "events/admin/upcoming_panel.html"
    heading = _("Prochains événements de mes lieux")
