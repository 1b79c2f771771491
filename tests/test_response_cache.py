"""The response cache answers a repeated read from memory, and never across a store generation,
never a write, a failure, a private request, ``/health`` or an answer past its size limit."""

from __future__ import annotations

import asyncio

import pytest

from api.response_cache import ResponseCache


class Backend:
    """An ASGI app counting its calls; answers ``status`` with a body naming the call."""

    def __init__(self, status: int = 200, size: int = 10, headers: tuple = ()) -> None:
        self.calls = 0
        self.status, self.size, self.headers = status, size, list(headers)
        self.bodies: list[bytes] = []

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        body = b""
        if scope["method"] == "POST":
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", b"text/plain"), *self.headers]})
        text = f"call {self.calls} ".encode()
        await send({"type": "http.response.body", "body": (text * self.size)[:max(self.size, 1)]})


def call(app, method: str = "GET", path: str = "/statements", query: bytes = b"",
         headers: tuple = (), body: bytes = b"", chunks: int = 1) -> tuple[int, dict, bytes]:
    """Run one request through ``app``: (status, headers, body)."""
    scope = {"type": "http", "method": method, "path": path, "query_string": query,
             "headers": [(k.lower(), v) for k, v in headers]}
    step = -(-len(body) // chunks) or 1
    pieces = [body[i:i + step] for i in range(0, len(body), step)] or [b""]
    incoming = [{"type": "http.request", "body": p, "more_body": i < len(pieces) - 1}
                for i, p in enumerate(pieces)]
    sent = []

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return (start["status"], {k.decode(): v.decode() for k, v in start["headers"]},
            b"".join(m.get("body", b"") for m in sent[1:]))


@pytest.fixture
def generation():
    return {"now": 1}


def cached(backend, generation, **kwargs):
    return ResponseCache(backend, lambda: generation["now"], **kwargs)


def test_repeated_read_is_served_from_memory_until_the_generation_changes(generation):
    backend = Backend()
    app = cached(backend, generation)
    first = call(app, query=b"limit=5")
    again = call(app, query=b"limit=5")
    assert (first[1]["x-cache"], again[1]["x-cache"]) == ("miss", "hit")
    assert again[2] == first[2] and backend.calls == 1
    assert call(app, query=b"limit=6")[1]["x-cache"] == "miss"  # another question
    generation["now"] = 2  # a write published
    fresh = call(app, query=b"limit=5")
    assert fresh[1]["x-cache"] == "miss" and fresh[2] != first[2] and backend.calls == 3


@pytest.mark.parametrize("accept", [b"text/csv", b"application/sparql-results+json"])
def test_the_accept_header_is_part_of_the_key(generation, accept):
    backend = Backend()
    app = cached(backend, generation)
    call(app, path="/sparql", headers=((b"accept", b"text/tab-separated-values"),))
    assert call(app, path="/sparql", headers=((b"accept", accept),))[1]["x-cache"] == "miss"


@pytest.mark.parametrize("request_kwargs", [
    {"path": "/health"},
    {"method": "POST", "path": "/articles", "body": b"{}"},
    {"method": "DELETE", "path": "/articles/a"},
    {"headers": ((b"authorization", b"Bearer t"),)},
    {"headers": ((b"cookie", b"s=1"),)},
], ids=["health", "post-articles", "delete", "authorization", "cookie"])
def test_never_cached(generation, request_kwargs):
    backend = Backend()
    app = cached(backend, generation)
    for _ in range(2):
        _, headers, _ = call(app, **request_kwargs)
        assert "x-cache" not in headers
    assert backend.calls == 2


@pytest.mark.parametrize("backend", [Backend(status=503), Backend(status=404),
                                     Backend(headers=((b"set-cookie", b"s=1"),)),
                                     Backend(size=5000)], ids=["503", "404", "set-cookie", "big"])
def test_failures_private_and_large_answers_are_not_kept(generation, backend):
    app = cached(backend, generation, max_entry=1000)
    assert call(app)[1]["x-cache"] == "miss"
    assert call(app)[1]["x-cache"] == "miss" and backend.calls == 2


def test_no_generation_means_no_cache():
    backend = Backend()
    app = ResponseCache(backend, lambda: None)
    call(app), call(app)
    assert backend.calls == 2


def test_sparql_post_is_keyed_on_its_body_and_the_body_reaches_the_app(generation):
    backend = Backend()
    app = cached(backend, generation)
    form = ((b"content-type", b"application/x-www-form-urlencoded"),)
    call(app, "POST", "/sparql", headers=form, body=b"query=ASK%7B%7D", chunks=3)
    assert backend.bodies == [b"query=ASK%7B%7D"]
    hit = call(app, "POST", "/sparql", headers=form, body=b"query=ASK%7B%7D")
    other = call(app, "POST", "/sparql", headers=form, body=b"query=ASK%7B%3Fs%3Fp%3Fo%7D")
    assert (hit[1]["x-cache"], other[1]["x-cache"]) == ("hit", "miss")
    assert backend.bodies[-1] == b"query=ASK%7B%3Fs%3Fp%3Fo%7D"


def test_a_body_past_the_entry_limit_goes_to_the_app_whole_and_uncached(generation):
    backend = Backend()
    app = cached(backend, generation, max_entry=100)
    body = b"query=" + b"x" * 500
    for _ in range(2):
        call(app, "POST", "/sparql", body=body, chunks=7)
    assert backend.bodies == [body, body]


def test_memory_stays_within_the_budget(generation):
    backend = Backend(size=1000)
    app = cached(backend, generation, max_bytes=20_000, max_entry=5_000)
    for i in range(200):
        call(app, query=f"offset={i}".encode())
    assert app.entries.bytes <= 20_000 and 10 <= len(app.entries) < 20
    assert call(app, query=b"offset=199")[1]["x-cache"] == "hit"  # the latest stay
    assert call(app, query=b"offset=0")[1]["x-cache"] == "miss"  # the oldest went


def test_sizes_must_be_positive():
    with pytest.raises(ValueError, match="max_bytes=0"):
        ResponseCache(Backend(), lambda: 1, max_bytes=0)
