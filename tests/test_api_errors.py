"""One JSON error shape for every status the API answers with, pinned here."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.errors import CODES, ApiError

TOKEN = "errors-token"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """An empty store (the ontology only): error paths do not need articles."""
    from graph.store import open_store
    from graph.vocab import ontology_files

    path = tmp_path_factory.mktemp("api-errors") / "store"
    with open_store(path) as store:
        store.load_ontology(ontology_files())
    return path


@pytest.fixture(scope="module")
def client(store_path):
    from api.app import create_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TKG_WRITE_TOKEN", TOKEN)
        patch.setenv("TKG_MAX_BODY", "2000")
        app = create_app(store_path)

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/busy", include_in_schema=False)
    def busy() -> None:
        raise ApiError(503, "busy now")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _shape(response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "detail"}
    assert error["status"] == status and error["code"] == CODES[status]
    assert isinstance(error["message"], str) and error["message"]
    return error


AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize(("status", "method", "url", "kwargs"), [
    (400, "GET", "/relations?type=friendship", {}),
    (400, "GET", "/export?format=docx", {}),
    (400, "GET", "/statements?since=2022-10-10&until=2022-10-01", {}),
    (401, "POST", "/articles", {"json": {"id": "a", "text": "b"}}),
    (403, "POST", "/articles", {"json": {"id": "a", "text": "b"},
                                "headers": {"Authorization": "Bearer nope"}}),
    (404, "GET", "/no/such/route", {}),
    (404, "GET", "/statements/ffff", {}),
    (404, "GET", "/articles/missing", {}),
    (404, "GET", "/events/ffff", {}),
    (404, "GET", "/queries/nothing", {}),
    (405, "PUT", "/articles", {}),
    (406, "GET", "/export?format=turtle", {"headers": {"Accept": "application/json"}}),
    (413, "POST", "/articles", {"json": {"id": "a", "text": "x" * 5000}, "headers": AUTH}),
    (415, "POST", "/articles", {"content": b"id=a", "headers": {
        **AUTH, "Content-Type": "application/x-www-form-urlencoded"}}),
    (422, "GET", "/statements?limit=0", {}),
    (422, "GET", "/statements?since=yesterday", {}),
    (422, "POST", "/articles", {"content": b"{not json", "headers": {
        **AUTH, "Content-Type": "application/json"}}),
    (422, "POST", "/articles", {"json": {"text": "no id"}, "headers": AUTH}),
    (500, "GET", "/boom", {}),
    (503, "GET", "/busy", {}),
])
def test_every_error_has_the_one_shape(client, status, method, url, kwargs):
    _shape(client.request(method, url, **kwargs), status)


def test_401_asks_for_a_bearer_token(client):
    response = client.post("/articles", json={"id": "a", "text": "b"})
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_validation_errors_carry_their_locations(client):
    error = _shape(client.get("/statements?limit=abc"), 422)
    assert error["detail"][0]["loc"] == ["query", "limit"]
    assert "limit" in error["message"]


def test_a_chunked_body_over_the_limit_is_413(client):
    def chunks():
        for _ in range(10):
            yield b" " * 500

    response = client.post("/articles", content=chunks(),
                           headers={**AUTH, "Content-Type": "application/json"})
    _shape(response, 413)


def test_a_store_being_written_answers_503_to_writes_while_reads_and_health_answer(store_path):
    import threading

    from api.app import create_app
    from graph.store import open_store

    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with open_store(store_path):
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(30)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("TKG_WRITE_TOKEN", TOKEN)
            patch.setenv("TKG_LOCK_TIMEOUT", "0.2")
            second = TestClient(create_app(store_path))
            response = second.post("/articles", json={"id": "x", "text": "Putin said so."},
                                   headers={"Authorization": f"Bearer {TOKEN}"})
        error = _shape(response, 503)
        assert "being written by pid" in error["message"]
        assert response.headers.get("retry-after") == "5"
        assert second.get("/statements").status_code == 200
        assert second.get("/health").status_code == 200
    finally:
        release.set()
        thread.join()

@pytest.mark.parametrize("key", ["%7F", "a%20b", "%5Bx%5D", "statement%2F%25zz", "..%2F..%2Fetc", "%EE%80%80"])
def test_a_node_key_that_cannot_be_an_id_is_not_found(client, key: str) -> None:
    for route in ("statements", "events"):
        response = client.get(f"/{route}/{key}")
        assert response.status_code == 404, (route, key, response.text)
