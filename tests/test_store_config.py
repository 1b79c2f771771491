"""Choosing the store by configuration (:mod:`graph.config`, :mod:`graph.store_open`): the
``TKG_STORE`` and ``TKG_SPARQL_*`` settings, good and bad, and a SPARQL server that does not
answer, which the CLI and the API report at once instead of hanging. The same commands and
routes on a running server are tested in ``test_store_remote.py`` (they need Virtuoso).
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.cli import main
from graph.config import PROJECT_ROOT, settings
from graph.store import Store
from graph.store_open import location, open_reading, open_writing
from graph.store_remote import Endpoint

GOLD = Path(__file__).parent / "data" / "seeds.gold.json"
SPARQL_ENV = ("TKG_STORE", "TKG_SPARQL_UPDATE_URL", "TKG_SPARQL_USER", "TKG_SPARQL_PASSWORD",
              "TKG_SPARQL_AUTH", "TKG_SPARQL_TIMEOUT")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The environment with no store setting of its own."""
    for name in SPARQL_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(("variables", "expected"), [
    ({}, {"store": PROJECT_ROOT / "data" / "store", "store_url": None, "sparql_auth": "basic",
          "sparql_timeout_s": 60.0}),
    ({"TKG_STORE": "/srv/tkg/store"}, {"store": Path("/srv/tkg/store"), "store_url": None}),
    ({"TKG_STORE": "relative/http-store"}, {"store": Path("relative/http-store"),
                                            "store_url": None}),
    ({"TKG_STORE": "http://127.0.0.1:8890/sparql-auth"},
     {"store_url": "http://127.0.0.1:8890/sparql-auth", "store": PROJECT_ROOT / "data" / "store"}),
    ({"TKG_STORE": " https://db.example.org/news/query "},
     {"store_url": "https://db.example.org/news/query"}),
    ({"TKG_STORE": "https://h/q", "TKG_SPARQL_UPDATE_URL": "https://h/update",
      "TKG_SPARQL_USER": "tkg", "TKG_SPARQL_PASSWORD": "secret", "TKG_SPARQL_AUTH": "Digest",
      "TKG_SPARQL_TIMEOUT": "2.5"},
     {"sparql_update_url": "https://h/update", "sparql_user": "tkg",
      "sparql_password": "secret", "sparql_auth": "digest", "sparql_timeout_s": 2.5}),
])
def test_store_settings(env: pytest.MonkeyPatch, variables: dict[str, str],
                        expected: dict[str, object]) -> None:
    for name, value in variables.items():
        env.setenv(name, value)
    config = settings()
    assert {key: getattr(config, key) for key in expected} == expected


@pytest.mark.parametrize(("variables", "error"), [
    ({"TKG_STORE": "ftp://h/store"}, "TKG_STORE='ftp://h/store'.*http"),
    ({"TKG_STORE": "sparql://h"}, "not another kind of URL"),
    ({"TKG_SPARQL_UPDATE_URL": "h/update"}, "TKG_SPARQL_UPDATE_URL='h/update' is not an http"),
    ({"TKG_SPARQL_USER": "tkg"}, "both TKG_SPARQL_USER and TKG_SPARQL_PASSWORD"),
    ({"TKG_SPARQL_PASSWORD": "secret"}, "both TKG_SPARQL_USER and TKG_SPARQL_PASSWORD"),
    ({"TKG_SPARQL_AUTH": "ntlm"}, "'ntlm'; choose one of: basic, digest"),
    ({"TKG_SPARQL_TIMEOUT": "0"}, "TKG_SPARQL_TIMEOUT='0' is not a positive number"),
    ({"TKG_SPARQL_TIMEOUT": "soon"}, "TKG_SPARQL_TIMEOUT='soon'"),
    ({"TKG_SPARQL_TIMEOUT": "inf"}, "TKG_SPARQL_TIMEOUT='inf'"),
])
def test_bad_store_settings_are_named(env: pytest.MonkeyPatch, variables: dict[str, str],
                                      error: str) -> None:
    for name, value in variables.items():
        env.setenv(name, value)
    with pytest.raises(ValueError, match=error):
        settings()


def test_a_location_is_a_directory_or_an_endpoint(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert location(tmp_path) == tmp_path
    assert location(str(tmp_path)) == tmp_path
    env.setenv("TKG_SPARQL_USER", "tkg")
    env.setenv("TKG_SPARQL_PASSWORD", "secret")
    env.setenv("TKG_SPARQL_AUTH", "digest")
    env.setenv("TKG_SPARQL_TIMEOUT", "7")
    assert location("http://h:8890/sparql-auth") == Endpoint(
        "http://h:8890/sparql-auth", None, "tkg", "secret", "digest", 7.0)
    env.setenv("TKG_STORE", "https://h/query")
    assert location() == Endpoint("https://h/query", None, "tkg", "secret", "digest", 7.0)
    env.setenv("TKG_STORE", str(tmp_path))
    assert location() == tmp_path
    with pytest.raises(ValueError, match="'ftp://h/x': give a directory or the http"):
        location("ftp://h/x")


def test_readers_of_a_directory_are_published_generations(env: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    with open_writing(tmp_path / "store"):
        pass  # publishes the first generation
    with open_writing(tmp_path / "store") as writer:
        assert isinstance(writer, Store) and not writer.read_only
        with open_reading(tmp_path / "store") as reader:  # beside the running writer
            assert isinstance(reader, Store) and reader.read_only


# ---------------------------------------------------------------- a server that does not answer


@pytest.fixture
def silent_url() -> str:
    """The URL of a port on 127.0.0.1 where nothing listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/sparql"


@pytest.mark.parametrize("argv", [
    ["eval", str(GOLD)],
    ["timeline", "--speaker", "Putin"],
    ["export", "--format", "turtle"],
    ["validate"],
    ["review", "list"],
    ["build", "--quiet"],
])
def test_the_cli_names_a_server_that_does_not_answer(env: pytest.MonkeyPatch, silent_url: str,
                                                     argv: list[str], capsys) -> None:
    started = time.monotonic()
    assert main([*argv, "--store", silent_url]) == 2
    error = capsys.readouterr().err
    assert f"the SPARQL server at {silent_url} is not usable" in error
    assert error.startswith(f"tkg {argv[0]}: ")
    assert time.monotonic() - started < 10


def test_the_cli_names_a_bad_setting(env: pytest.MonkeyPatch, capsys) -> None:
    env.setenv("TKG_SPARQL_AUTH", "kerberos")
    assert main(["timeline", "--speaker", "Putin", "--store", "http://127.0.0.1:9/sparql"]) == 2
    assert "TKG_SPARQL_AUTH='kerberos'; choose one of: basic, digest" in capsys.readouterr().err


@pytest.mark.parametrize("path", [
    "/timeline?speaker=Putin&topic=negotiations", "/statements", "/articles", "/reviews",
    "/sparql?query=ASK%20%7B%7D",
])
def test_the_api_answers_503_while_the_server_does_not_answer(env: pytest.MonkeyPatch,
                                                              silent_url: str, path: str) -> None:
    env.setenv("TKG_STORE", silent_url)
    with TestClient(create_app()) as client:  # starts anyway: the server may come back
        started = time.monotonic()
        response = client.get(path)
        assert time.monotonic() - started < 10
        assert client.get("/health").status_code == 200
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "unavailable"
    assert silent_url in response.json()["error"]["message"]


def test_python_m_api_serves_a_server_url_without_the_response_cache(
        env: pytest.MonkeyPatch, silent_url: str, tmp_path: Path) -> None:
    from fastapi import FastAPI

    from api.response_cache import ResponseCache
    from api.serve import app_from_environment, parser

    assert parser().parse_args(["--store", silent_url]).store == silent_url
    env.setenv("TKG_STORE", silent_url)
    served = app_from_environment()
    assert isinstance(served, FastAPI)
    with TestClient(served) as client:
        assert client.get("/statements").status_code == 503
    env.setenv("TKG_STORE", str(tmp_path / "store"))
    assert isinstance(app_from_environment(), ResponseCache)
