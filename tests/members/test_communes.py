import pytest

from members.models import Commune

pytestmark = pytest.mark.django_db


def test_the_95_mel_communes_are_loaded():
    assert Commune.objects.count() == 95
    lille = Commune.objects.get(insee_code="59350")
    assert lille.name == "Lille"
    assert "59000" in lille.postcode_list
    assert lille.population > 200_000
    assert lille.position == pytest.approx((50.63297, 3.05858))


def test_communes_without_a_known_position_have_none():
    missing = Commune.objects.filter(latitude__isnull=True)
    assert missing.count() == 14
    assert all(commune.position is None for commune in missing)
