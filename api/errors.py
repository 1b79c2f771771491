"""One JSON error shape for every failure the API answers, and the limit on request bodies.

Every error, whether raised by a route, by FastAPI's request validation, by Starlette's routing
(unknown path, wrong method) or by a bug, is answered as::

    {"error": {"status": 404, "code": "not_found", "message": "…", "detail": …}}

``message`` is a sentence for people, naming the bad value and the valid choices; ``detail`` is
structured (validation errors, the list of choices) or ``null``.
"""

from __future__ import annotations

import logging
import math
import re
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

#: The ``code`` of each status the API answers with.
CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    500: "internal_error",
    503: "unavailable",
}


class ErrorInfo(BaseModel):
    status: int
    code: str
    message: str
    detail: Any = None


class ErrorBody(BaseModel):
    """The body of every error response (documented in the OpenAPI schema)."""

    error: ErrorInfo


class ApiError(Exception):
    """An error to answer with ``status``; ``message`` for people, ``detail`` for programs."""

    def __init__(self, status: int, message: str, detail: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail
        self.headers = headers


def code_of(status: int) -> str:
    """The error code of an HTTP status (``http_<status>`` for one without a name)."""
    return CODES.get(status, f"http_{status}")


def error_body(status: int, message: str, detail: Any = None) -> dict[str, Any]:
    """The JSON error document."""
    return {"error": {"status": status, "code": code_of(status), "message": message,
                      "detail": jsonable_encoder(detail)}}


def error_response(status: int, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, detail), status_code=status, headers=headers)


def _api_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return error_response(error.status, error.message, error.detail, error.headers)


def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 404 and error.detail == "Not Found":
        message = f"no route {request.url.path!r}; see /docs for the routes"
    elif error.status_code == 405:
        message = f"method {request.method} is not allowed on {request.url.path!r}"
    else:
        message = str(error.detail)
    return error_response(error.status_code, message, None, getattr(error, "headers", None))


def _validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = error.errors()
    first = problems[0] if problems else {}
    where = ".".join(str(part) for part in first.get("loc", ()))
    message = f"invalid request: {where}: {first.get('msg', 'invalid value')}" if first \
        else "invalid request"
    detail = [{key: _printable(problem.get(key)) for key in ("loc", "msg", "type", "input")}
              for problem in problems]
    return error_response(422, _printable(message), detail)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _printable(value: Any) -> Any:
    """``value`` as JSON can carry it back: a number JSON has no name for (NaN, infinity)
    becomes its name as text, a lone surrogate (not Unicode, so not UTF-8) U+FFFD."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    return value


def _server_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return error_response(500, f"internal error while answering {request.method} "
                               f"{request.url.path}; the server log has the details")


def install(app: FastAPI) -> None:
    """Make ``app`` answer every error in the one shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)


class BodyLimit:
    """ASGI middleware: a request body over ``max_bytes`` is answered 413 in the error shape.

    A declared ``Content-Length`` over the limit is refused before anything is read; a chunked
    body is counted as it streams and refused as soon as it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> str:
        return f"request body larger than the limit of {self.max_bytes} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = error_response(413, self._message(), {"max_bytes": self.max_bytes})
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, limited_receive, send)
