import json

import pytest
from django.test import Client

from tests.events.conftest import (  # noqa: F401  (fixtures)
    agenda,
    event,
    make_event,
    manager,
    other_venue,
    venue,
    venue_event,
    venue_index,
)


@pytest.fixture
def api_client():
    return Client(HTTP_ACCEPT_LANGUAGE="fr")


@pytest.fixture
def openapi(api_client, db):
    """The OpenAPI document the API serves."""
    response = api_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)
