"""Schemathesis against the OpenAPI document with every check it has (server errors, status
codes, content types, headers, response schemas, negative data rejected, positive data
accepted, missing headers, unsupported methods, ignored auth, ...), on valid and on invalid
requests: every answer, errors included, is as the document says."""

from __future__ import annotations

import pytest
import schemathesis
import schemathesis.specs.openapi.checks
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

from apps.api.app import create_app
from tests.apps.api.conftest import make_settings

EXAMPLES = 20


@pytest.mark.parametrize(
    ("mode", "backend"),
    [
        (GenerationMode.POSITIVE, "sqlite"),
        (GenerationMode.POSITIVE, "postgresql"),
        # Refusing bad input is the web layer's; one store is enough for it.
        (GenerationMode.NEGATIVE, "sqlite"),
    ],
)
def test_api_conforms_to_its_schema(seeded_url: str, mode: GenerationMode) -> None:
    """Every operation, with an admin key, answers as its OpenAPI document says."""
    app = create_app(
        make_settings(seeded_url, rate_limit_per_minute=100_000, dispatch_max_seconds=0.3)
    )
    checks = CHECKS.get_all()
    assert len(checks) >= 12
    with TestClient(app):
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 8
        tried = 0
        for operation in operations:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
            def check(case: schemathesis.Case) -> None:
                case.call_and_validate(headers={"X-API-Key": "admin-key"}, checks=checks)

            try:
                check()
            except Unsatisfiable:
                # An operation with nothing to send wrong has no negative case.
                assert mode is GenerationMode.NEGATIVE, operation.label
                continue
            tried += 1
        assert tried >= (8 if mode is GenerationMode.POSITIVE else 5)
