"""Schemathesis against the OpenAPI document, default checks: no server error, every response
matching its documented schema, status code and content type."""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from apps.api.app import create_app
from tests.apps.api.conftest import make_settings

EXAMPLES = 25


def test_api_conforms_to_its_schema(seeded_url: str) -> None:
    """Every operation, with an admin key, answers as its OpenAPI document says."""
    app = create_app(
        make_settings(seeded_url, rate_limit_per_minute=100_000, dispatch_max_seconds=0.3)
    )
    with TestClient(app):
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 8
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
            def check(case: schemathesis.Case) -> None:
                case.call_and_validate(headers={"X-API-Key": "admin-key"})

            check()
