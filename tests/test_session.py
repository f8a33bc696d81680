import json

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_session_state_is_private_and_describes_only_the_requesting_reader(client):
    anonymous = client.get(reverse("session_state"))
    assert (
        anonymous["Cache-Control"].startswith("max-age=0")
        or "no-store" in anonymous["Cache-Control"]
    )
    assert "private" in anonymous["Cache-Control"]
    data = json.loads(anonymous.content)
    assert data["user"] is None
    assert data["csrf"]

    client.force_login(UserFactory(username="rosa", first_name="Rosa", last_name="Vale"))
    data = json.loads(client.get(reverse("session_state")).content)
    assert data["user"]["name"] == "Rosa Vale"
