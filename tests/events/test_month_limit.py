"""The month view lists a few dates a day and links to the rest: a national network's
month holds thousands of dates, and its grid stays the same size."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.calendar import MONTH_DAY_LIMIT
from tests.factories.events import in_days

pytestmark = pytest.mark.django_db


def test_a_busy_day_shows_the_first_dates_and_links_to_the_others(client, agenda, make_event):
    day = timezone.localtime(in_days(7, hour=8))
    events = [
        make_event(
            title=f"Rencontre {n:02d}", slug=f"rencontre-{n:02d}", start=day + timedelta(minutes=30 * n)
        )
        for n in range(MONTH_DAY_LIMIT + 3)
    ]
    quiet = make_event(title="Le lendemain", slug="le-lendemain", start=day + timedelta(days=1))

    html = client.get(f"{agenda.url}{day.year}/{day.month}/").content.decode()

    shown = [event.title for event in events[:MONTH_DAY_LIMIT]]
    hidden = [event.title for event in events[MONTH_DAY_LIMIT:]]
    assert all(title in html for title in shown)  # the first by time of day
    assert not any(title in html for title in hidden)
    assert quiet.title in html  # another day keeps its own dates
    iso = day.date().isoformat()
    assert f"?start={iso}&amp;end={iso}" in html
    assert "et 3 autres dates" in html

    # The link lists that day, hidden dates included.
    listed = client.get(agenda.url, {"start": iso, "end": iso}).content.decode()
    assert all(title in listed for title in hidden)
    assert quiet.title not in listed
