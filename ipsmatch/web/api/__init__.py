"""The HTTP JSON API under ``/api/v1`` (issue #16): one router per area, all behind a token.

Every route needs ``Authorization: Bearer TOKEN`` (``ipsmatch tokens create``), the OpenAPI
document (``/api/v1/openapi.json``) too. The bodies are the CLI's ``--format json``
contract, made by the same functions (:mod:`ipsmatch.output`); errors are
``{"error": {"code", "message", "hint", "field"}}`` with the status the error means
(:mod:`ipsmatch.web.api.core`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from ipsmatch.web.api import citizens, jobdev, matching, status
from ipsmatch.web.api.core import ApiRoute, ContractJSON, api_principal

PREFIX = "/api/v1"

router = APIRouter(prefix=PREFIX, route_class=ApiRoute, dependencies=[Depends(api_principal)])
for _area in (matching, citizens, jobdev, status):
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
        routes = [r for r in app.routes
                  if isinstance(r, APIRoute) and r.path.startswith(PREFIX + "/")]
        doc = get_openapi(title="ipsmatch API", version=ver, routes=routes,
                          description=__doc__)
        app.state.api_openapi = doc
    return doc


@router.get("/openapi.json", include_in_schema=False, response_class=ContractJSON)
def openapi(request: Request) -> ContractJSON:
    """The OpenAPI 3 document of this API."""
    return ContractJSON(api_openapi(request.app))
