"""Property-based fuzzing of every documented endpoint: whatever the input, never a 500.

Schemathesis generates requests (valid and invalid) from the OpenAPI schema that
drf-spectacular serves, and sends them through the WSGI app to the real views.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient

from aethex.wsgi import application
from tests.factories import PASSWORD

schema = schemathesis.pytest.from_fixture("api_schema")


@contextmanager
def keep_test_connection():
    """Called straight through WSGI, each request's start and end would close the test's connection
    with its transaction open; Django's test client switches the same handler off."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


@pytest.fixture
def api_schema(db):
    with keep_test_connection():
        return schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def session_token(user) -> str:
    response = APIClient().post(
        "/_allauth/app/v1/auth/login", {"username": user.username, "password": PASSWORD}
    )
    return response.json()["meta"]["session_token"]


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_a_server_error(case, session_token):
    with keep_test_connection():
        response = case.call(headers={"X-Session-Token": session_token})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
    if response.status_code >= 400 and case.path.startswith("/api/v1/"):
        body = response.json()
        assert set(body["error"]) == {"code", "message", "fields"}, body
