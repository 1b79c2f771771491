"""The web pages: the timeline page at ``/``, the SPARQL query page at ``/sparql/ui``, their files.

The pages are plain HTML and ES modules from ``web/`` (no build step). The libraries they use
come from npm (``web/package-lock.json``, installed by ``make run``/``make test`` as
``npm ci --prefix web``) and are served from ``web/node_modules`` under ``/vendor/<name>``: only
the files listed in :data:`VENDOR`, never the whole folder. Nothing is fetched from elsewhere:
every page is sent with a Content-Security-Policy that allows this server only.

The app starts without ``node_modules``: then ``/`` answers 503 with a page saying how to
install the libraries, and ``/sparql/ui`` falls back to the plain query form of
:mod:`api.sparql_ui`. ``GET /config`` tells a page whether writes are enabled (a write token is
configured) without telling it the token.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.errors import ApiError
from api.sparql_ui import UI_PAGE

#: The folder of the pages (``index.html``, ``sparql.html``, ``static/``, ``node_modules/``).
WEB_DIR = Path(__file__).resolve().parent.parent / "web"

#: The npm files the pages load: served name → path under ``node_modules``.
VENDOR: dict[str, str] = {
    "vis-timeline.mjs": "vis-timeline/standalone/esm/vis-timeline-graph2d.min.js",
    "vis-timeline.css": "vis-timeline/styles/vis-timeline-graph2d.min.css",
    "yasgui.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.css": "@zazuko/yasgui/build/yasgui.min.css",
}

#: This server only: scripts, styles, fonts, images and fetches. Styles may be inline because
#: the timeline and the query editor position their elements with style attributes.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: The policy of the plain query form, whose script and style are inline.
PLAIN_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
             "connect-src 'self'")

_MEDIA_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
                ".html": "text/html", ".svg": "image/svg+xml", ".png": "image/png",
                ".ico": "image/x-icon", ".woff2": "font/woff2"}

_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>timeline-kg: page libraries missing</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em">
<h1>The timeline page needs its libraries</h1>
<p>The API is running, but the JavaScript libraries of this page are not installed
(missing: {missing}).</p>
<p>Run <code>make run</code> (it installs everything, then serves the API), or install them
alone with <code>npm ci --prefix web</code> and reload this page.</p>
<p>Meanwhile: <a href="/docs">the API documentation</a>, <a href="/sparql/ui">the SPARQL
query page</a>, <a href="/statements">/statements</a>.</p>
</body></html>
"""


def missing_vendor_files(web_dir: Path) -> list[str]:
    """The :data:`VENDOR` files not installed under ``web_dir/node_modules`` (their paths)."""
    modules = web_dir / "node_modules"
    return [path for path in VENDOR.values() if not (modules / path).is_file()]


def _file(path: Path, policy: str | None = None) -> FileResponse:
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}
    if policy is not None:
        headers["Content-Security-Policy"] = policy
    media_type = _MEDIA_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(path, media_type=media_type, headers=headers)


def _inside(folder: Path, relative: str) -> Path:
    """``folder/relative`` when it is an existing file inside ``folder``; else 404."""
    root = folder.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise ApiError(404, f"no file {relative!r} in the page's files")
    return target


def web_router(web_dir: Path = WEB_DIR) -> APIRouter:
    """The routes of the pages over the files of ``web_dir`` (default: the project's ``web/``).

    Include it before the SPARQL router: its ``/sparql/ui`` replaces the plain one there.
    """
    router = APIRouter()

    @router.get("/", include_in_schema=False)
    def index() -> Response:
        missing = missing_vendor_files(web_dir)
        if missing:
            listed = ", ".join(f"<code>{html.escape(path)}</code>" for path in missing)
            return HTMLResponse(_MISSING.format(missing=listed), status_code=503,
                                headers={"Retry-After": "60", "Content-Security-Policy": CSP})
        return _file(web_dir / "index.html", CSP)

    @router.get("/sparql/ui", include_in_schema=False)
    def sparql_page() -> Response:
        if missing_vendor_files(web_dir):
            return HTMLResponse(UI_PAGE, headers={"Content-Security-Policy": PLAIN_CSP})
        return _file(web_dir / "sparql.html", CSP)

    @router.get("/static/{path:path}", include_in_schema=False)
    def static(path: str) -> FileResponse:
        return _file(_inside(web_dir / "static", path))

    @router.get("/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> FileResponse:
        if name not in VENDOR:
            raise ApiError(404, f"no library file {name!r}; served: {', '.join(sorted(VENDOR))}")
        path = web_dir / "node_modules" / VENDOR[name]
        if not path.is_file():
            raise ApiError(503, f"{VENDOR[name]} is not installed: run 'npm ci --prefix web' "
                                f"(make run does it)")
        return _file(path)

    @router.get("/config", tags=["service"],
                summary="What a page needs to know: whether writes are enabled")
    def config(request: Request) -> dict[str, bool]:
        return {"writes_enabled": request.app.state.write_token is not None}

    return router
