import pytest

from members.demo import seed_accounts
from network.discussion.demo import seed_rooms
from network.discussion.models import Message, Room

pytestmark = pytest.mark.django_db


def test_demo_rooms_and_messages_are_idempotent():
    seed_accounts()
    seed_rooms()
    seed_rooms()
    assert set(Room.objects.values_list("title", flat=True)) == {
        "Général",
        "Fab labs",
        "Médiation numérique",
        "Financements et appels à projets",
    }
    assert Message.objects.count() == 4
    assert Message.objects.filter(mentions__user__email="membre@example.org").exists()
