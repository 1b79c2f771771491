"""schemathesis against the OpenAPI document, in process: no request makes a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings


@pytest.fixture(scope="module")
def app(seeds_copy):
    from api.app import create_app

    path = seeds_copy()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TKG_WRITE_TOKEN", raising=False)
        application = create_app(path)
    yield application
    application.state.store.close()


#: The media types the REST routes answer with.
MEDIA_TYPES = {"application/json", "text/turtle", "application/n-triples", "application/n-quads",
               "application/trig", "application/ld+json", "application/rdf+xml",
               "application/graphml+xml", "application/sparql-query"}


def test_no_server_errors(app):
    """Every REST operation, 30 generated requests each (the SPARQL endpoint has its own tests)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/sparql"):
            continue
        tried += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            response = case.call()
            media = (response.headers.get("content-type") or [""])[0].split(";")[0]
            if response.status_code >= 500 or media not in MEDIA_TYPES:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: "
                                f"{response.status_code} {media}")

        check()
    assert tried >= 10
    assert failures == []
