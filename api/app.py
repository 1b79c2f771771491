"""The FastAPI application factory. Routes arrive with the API issue; this is its seed."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from graph.config import settings


def create_app(store: Path | None = None) -> FastAPI:
    """An application reading the store at ``store`` (default: the configured store)."""
    app = FastAPI(title="timeline-kg", version="0.1.0")
    app.state.store_path = store or settings().store

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
