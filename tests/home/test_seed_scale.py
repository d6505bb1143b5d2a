"""``manage.py seed_scale``: realistic data in bulk, a tree Wagtail accepts, pages that render."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.html import escape
from wagtail.models import Page

from events.models import EventPage, Occurrence, Registration
from members.models import User, VenuePage
from mentoring.models import MentoringRequest
from network.discussion.models import Message, Room

pytestmark = pytest.mark.django_db


def test_seed_scale_fills_every_part_with_a_valid_page_tree(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_scale", venues=30, occurrences=120, members=60, messages=400, stdout=None)
    assert VenuePage.objects.live().count() == 30
    assert EventPage.objects.live().count() == 12
    assert Occurrence.objects.count() == 120
    assert Registration.objects.filter(status="confirmed").count() == 12 * 5
    assert User.objects.filter(email__endswith="@scale.example", emailaddress__verified=True).count() == 60
    assert MentoringRequest.objects.count() == 1
    assert Message.objects.count() == 400
    assert not any(Page.find_problems())
    # Every room's messages are numbered 1..n, and the room knows its last number.
    for room in Room.objects.filter(messages__isnull=False).distinct():
        seqs = sorted(room.messages.values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert room.last_seq == len(seqs)

    client = Client()
    venue = VenuePage.objects.live().order_by("pk").last()
    event = EventPage.objects.live().first()
    assert client.get("/lieux/").status_code == 200
    assert escape(venue.title) in client.get("/lieux/", {"q": venue.title}).content.decode()
    assert client.get(venue.url).status_code == 200
    assert client.get(event.url).status_code == 200
    agenda = client.get("/agenda/").content.decode()
    assert any(escape(title) in agenda for title in EventPage.objects.live().values_list("title", flat=True))


def test_seed_scale_refuses_production_settings(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_scale", venues=1, occurrences=1, members=1, messages=1)
