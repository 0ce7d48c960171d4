"""Index status: how fresh the data is, and which data this worker's matcher serves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from ipsmatch.web.api.core import ApiRoute, ContractJSON, error_responses
from ipsmatch.web.api.models.status import IndexStatusOut
from ipsmatch.web.app import WebState, web_state

router = APIRouter(route_class=ApiRoute, tags=["status"])


@router.get("/index/status", response_class=ContractJSON,
            responses={200: {"model": IndexStatusOut}, **error_responses(503)})
def index_status(web: Annotated[WebState, Depends(web_state)]) -> ContractJSON:
    """Active and expired ads per source, the last refresh, ``stale`` after 36 hours without
    a successful one (``ipsmatch index status --format json``), and this worker's matcher."""
    st = web.store.status(now=web.settings.now())
    h = web.matchers
    st["matcher"] = {"data_stamp": h.stamp, "swaps": h.swaps, "last_error": h.last_error}
    return ContractJSON(st)
