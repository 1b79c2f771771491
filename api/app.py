"""The FastAPI application factory: routes, the one error shape, limits, docs, the store.

``create_app(store)`` makes an app over the store directory ``store``, or the SPARQL server at
the http(s) URL ``store`` (default: the configured one, ``TKG_STORE``; see
:mod:`graph.store_open`). The store is opened once per app, in the lifespan (or at the first
request when the app runs without one, as in-process test clients may) and closed at shutdown;
see :mod:`api.routes_common` for how reads and writes share it. Writes need the token of
``TKG_WRITE_TOKEN`` (:mod:`api.auth`). The SPARQL 1.1 endpoint (``/sparql``, :mod:`api.sparql`)
is mounted with its own limits and read-only worker processes. The timeline page at ``/`` and
the YASGUI query page at ``/sparql/ui`` come from :mod:`api.routes_web`. Everything is served
locally: the API docs at ``/docs`` use the Swagger UI files of the ``swagger-ui-bundle``
package, never a CDN. A store that fails while answering (a SPARQL server down, or slower than
``TKG_SPARQL_TIMEOUT``) answers 503 in the one error shape.

Its settings (``TKG_MAX_BODY``, ``TKG_CORS_ORIGINS``, ``TKG_SPARQL_WORKERS``) are read with the
others in :mod:`graph.config`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api import errors, routes_articles, routes_graph, routes_reviews, routes_statements
from api.routes_common import StoreHandle
from api.routes_web import web_router
from api.sparql import sparql_router
from graph.config import settings
from graph.store import StoreError
from graph.store_open import location

#: Where the Swagger UI files are served from.
DOCS_ASSETS = "/docs-assets"


def _swagger_assets() -> Path | None:
    """The folder of the Swagger UI files, when the ``swagger-ui-bundle`` package is installed."""
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


def _add_docs(app: FastAPI) -> None:
    """``/docs``: Swagger UI from local files, or a plain page listing the routes without them."""
    assets = _swagger_assets()
    if assets is not None:
        app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if assets is not None:
            return get_swagger_ui_html(
                openapi_url="/openapi.json", title=f"{app.title} API",
                swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
            )
        rows = "".join(f"<li><code>{', '.join(sorted(route.methods))} {route.path}</code></li>"
                       for route in app.routes if getattr(route, "include_in_schema", False)
                       and hasattr(route, "methods"))
        return HTMLResponse(f"<!doctype html><title>{app.title} API</title><h1>{app.title} API"
                            f"</h1><p><a href='/openapi.json'>/openapi.json</a></p><ul>{rows}</ul>")


def _store_unavailable(_: Request, error: Exception) -> JSONResponse:
    return errors.error_response(503, f"the store is not available: {error}",
                                 headers={"Retry-After": "5"})


def create_app(store: Path | str | None = None) -> FastAPI:
    """An application on the store at ``store``, a directory or the http(s) URL of a SPARQL
    server (default: the configured store)."""
    config = settings()
    handle = StoreHandle(location(store))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        handle.open()
        try:
            yield
        finally:
            handle.close()

    app = FastAPI(
        title="timeline-kg", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
        description="Who said what, when: statements and events read from news articles, "
                    "linked across articles. Reads are open; writes need the bearer token. "
                    "Add ?explain=true to a query route to see the SPARQL behind it.",
    )
    app.state.store = handle
    app.state.store_path = handle.path
    app.state.write_token = config.write_token
    errors.install(app)
    app.add_exception_handler(StoreError, _store_unavailable)
    app.add_middleware(errors.BodyLimit, max_bytes=config.max_body)
    if config.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                           allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])

    @app.get("/health", tags=["service"], summary="Liveness: answers without touching the store")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    for module in (routes_articles, routes_statements, routes_graph, routes_reviews):
        app.include_router(module.router)
    app.include_router(web_router())  # before the SPARQL router: its /sparql/ui wins
    app.include_router(sparql_router(handle.location, workers=config.sparql_workers,
                                     memory_mb=config.sparql_memory_mb))
    _add_docs(app)
    return app
