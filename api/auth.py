"""The write token: reads are open, every write needs ``Authorization: Bearer <token>``.

The token is set by configuration (``TKG_WRITE_TOKEN``, read by :func:`graph.config.settings`
when the app is made). With no token configured writes are refused (403): the API is never
writable by default. A missing or malformed header answers 401, a wrong token 403. Tokens are
compared in constant time.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError

_bearer = HTTPBearer(auto_error=False, description="the write token (TKG_WRITE_TOKEN)")


def require_write_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """A FastAPI dependency: returns when the request carries the configured write token."""
    expected: str | None = request.app.state.write_token
    if expected is None:
        raise ApiError(403, "writes are disabled on this server: no write token is configured "
                            "(set TKG_WRITE_TOKEN to enable them)")
    if credentials is None:
        raise ApiError(401, "this route writes to the graph: send the write token as "
                            "'Authorization: Bearer <token>'",
                       headers={"WWW-Authenticate": 'Bearer realm="timeline-kg"'})
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise ApiError(403, "the write token is not valid")
