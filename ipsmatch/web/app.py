"""The one ASGI application: workspace pages (#15) and the JSON API under /api/v1 (#16).

``create_app(settings)`` builds it. The API's router (``ipsmatch.web.api:router``, an
``APIRouter`` with prefix ``/api/v1``) is included when that module exists. Shared pieces on
``app.state``: ``settings`` (ipsmatch.config.Settings) and ``web`` (a :class:`WebState`,
holding the Store and the matcher).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.responses import JSONResponse

if TYPE_CHECKING:
    from ipsmatch.config import Settings


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="ipsmatch", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    _include_api(app)
    return app


def _include_api(app: FastAPI) -> None:
    try:
        api = importlib.import_module("ipsmatch.web.api")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("ipsmatch.web.api"):
            return  # the API (#16) is not in this checkout
        raise
    app.include_router(api.router)
