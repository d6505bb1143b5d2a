from tests.events.conftest import (  # noqa: F401 (fixtures)
    agenda,
    make_event,
    manager,
    other_venue,
    venue,
    venue_index,
)
