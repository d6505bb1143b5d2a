"""Panels of the Wagtail dashboard that gather what each app has to show.

The staff's "À traiter" panel lists one row per app (pending claims, mentoring
requests, event proposals, reports): each app registers a function under the
``STAFF_TODO_HOOK`` hook returning a ``TodoItem`` (or ``None``), so this module
knows no app. A row costs its app one counting query.
"""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

STAFF_TODO_HOOK = "register_network_staff_todo"


class TodoItem(NamedTuple):
    label: str
    count: int
    url: str
    order: int = 100


def staff_todo_items(request):
    """Every app's row, in their ``order``."""
    found = (fn(request) for fn in hooks.get_hooks(STAFF_TODO_HOOK))
    return sorted((item for item in found if item is not None), key=lambda item: item.order)


class DashboardPanel(Component):
    """A panel of the dashboard: its template reads ``heading`` and the keyword
    arguments the panel was built with (what the hook already read)."""

    heading = ""

    def __init__(self, **context):
        self.context = context

    def get_context_data(self, parent_context):
        return {"heading": self.heading, **self.context}


class StaffTodoPanel(DashboardPanel):
    """What waits for the network's team, with counts and links (``items``: ``TodoItem``)."""

    name = "network_staff_todo"
    order = 50
    template_name = "network/admin/staff_todo_panel.html"
    heading = _("À traiter par l'équipe du réseau")
