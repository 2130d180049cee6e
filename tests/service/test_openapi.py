"""The OpenAPI document describes the API, and schemathesis, generating requests from it (a
bounded number per operation), gets no server error and answers that match the document."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import positive_data_acceptance

from service.openapi import OPERATIONS
from tests.service_factory import client_as, running_app


class Held(Executor):
    """Runs asked for stay queued: generated requests may ask for day-long solves."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return Future()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with running_app(tmp_path_factory.mktemp("openapi"), 100, 14, executor_factory=Held) as app:
        yield app


@pytest.fixture(scope="module")
def admin_token(app: Flask) -> str:
    return client_as(app, "admin").environ_base["HTTP_AUTHORIZATION"]


@pytest.fixture(scope="module")
def api_schema(app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def test_the_document_lists_every_route_of_the_api(app: Flask) -> None:
    documented = {(op.method.upper(), op.path) for op in OPERATIONS}
    routes = set()
    for rule in app.url_map.iter_rules():
        if (
            rule.endpoint.startswith(("api.", "rooms_api.", "attestation_api."))
            and rule.endpoint != "api.openapi"
        ):
            path = str(rule).replace("<int:", "{").replace("<path:", "{").replace("<", "{").replace(">", "}")
            routes |= {
                (method, path)
                for method in rule.methods or ()
                if method in ("GET", "POST", "PUT", "PATCH", "DELETE")
            }
    assert routes == documented
    served = app.test_client().get("/api/openapi.json").get_json()
    assert served["openapi"].startswith("3.1") and len(served["paths"]) == len({op.path for op in OPERATIONS})
    assert "413" in served["paths"]["/api/runs"]["post"]["responses"]  # a body too large


@pytest.mark.parametrize("operation", [f"{op.method.upper()} {op.path}" for op in OPERATIONS])
def test_generated_requests_get_no_server_error(api_schema: Any, admin_token: str, operation: str) -> None:
    method, path = operation.split(" ", 1)
    found = api_schema[path][method]

    @given(case=found.as_strategy())
    @settings(
        max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), phases=[Phase.generate]
    )
    def answered_well(case: Any) -> None:
        # a schema-valid request may still be refused for what is stored (an unknown semester,
        # a user name taken): that is a 4xx by design, so only that check is left out
        case.call_and_validate(
            headers={"Authorization": admin_token}, excluded_checks=[positive_data_acceptance]
        )

    answered_well()
