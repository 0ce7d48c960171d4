"""The HTTP JSON API under ``/api/v1`` (issue #16): one router per area, all behind a token.

Every route needs ``Authorization: Bearer TOKEN`` (``ipsmatch tokens create``), the OpenAPI
document (``/api/v1/openapi.json``) too. The bodies are the CLI's ``--format json``
contract, made by the same functions (:mod:`ipsmatch.output`); errors are
``{"error": {"code", "message", "hint", "field"}}`` with the status the error means
(:mod:`ipsmatch.web.api.core`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.utils import get_openapi

from ipsmatch.web.api import citizens, ips, jobdev, matching, status
from ipsmatch.web.api.core import ApiRoute, ContractJSON, api_principal, error_responses

PREFIX = "/api/v1"
log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def _open_matcher(app: FastAPI) -> AsyncIterator[None]:
    """Open this worker's matcher before it takes requests, so no request waits for it."""
    from ipsmatch.errors import IpsmatchError

    web = getattr(app.state, "web", None)
    if web is not None and web.matchers.stamp is None:
        try:
            await anyio.to_thread.run_sync(web.matchers.open)
        except IpsmatchError as exc:  # the first request tries again, with its message
            log.warning("matcher not opened at start: %s", exc)
    yield


router = APIRouter(prefix=PREFIX, route_class=ApiRoute, dependencies=[Depends(api_principal)],
                   responses=error_responses(), lifespan=_open_matcher)
for _area in (matching, citizens, jobdev, ips, status):
    router.include_router(_area.router)


def api_openapi(app: Any) -> dict[str, Any]:
    """The OpenAPI document of the API's routes (the pages are not in it), built once."""
    doc = getattr(app.state, "api_openapi", None)
    if doc is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            ver = version("ipsmatch")
        except PackageNotFoundError:
            ver = "0"
        # Built from this router alone (mounted on a bare app, as FastAPI keeps included
        # routers nested): the same routes, models and token scheme, and no pages.
        bare = FastAPI()
        bare.include_router(router)
        doc = get_openapi(title="ipsmatch API", version=ver, routes=bare.routes,
                          description=__doc__)
        app.state.api_openapi = doc
    return doc


@router.get("/openapi.json", include_in_schema=False, response_class=ContractJSON)
def openapi(request: Request) -> ContractJSON:
    """The OpenAPI 3 document of this API."""
    return ContractJSON(api_openapi(request.app))
