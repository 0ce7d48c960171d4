"""Citizens: list, create, read, replace, forget. Every read and change is in the access log
under the token's name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from ipsmatch.errors import NotFoundError
from ipsmatch.output import citizen_row
from ipsmatch.web.api.core import ApiError, ApiRoute, ContractJSON, api_principal, error_responses
from ipsmatch.web.api.models.citizens import CitizenRow, Forgotten, Profile
from ipsmatch.web.app import WebState, web_state
from ipsmatch.web.auth import Principal

router = APIRouter(route_class=ApiRoute, tags=["citizens"])

Who = Annotated[Principal, Depends(api_principal)]
Web = Annotated[WebState, Depends(web_state)]


def _save(web: WebState, principal: Principal, body: dict[str, Any]) -> dict[str, Any]:
    """Validate (the CLI's rules and messages), store, log; the stored file-format dict."""
    from ipsmatch.profile import profile_from_dict, profile_to_dict

    profile = profile_from_dict(body)
    consultant = profile.consultant or (principal.name if principal.kind == "user" else None)
    web.store.save_citizen(profile.id, profile_to_dict(profile), consultant,
                           profile.start_date)
    web.store.log_access(principal.name, "save", profile.id)
    return profile_to_dict(profile)


def _exists(web: WebState, citizen_id: str) -> bool:
    try:
        web.store.get_citizen(citizen_id)
    except NotFoundError:
        return False
    return True


@router.get("/citizens", response_class=ContractJSON,
            responses={200: {"model": list[CitizenRow]}})
def list_citizens(web: Web) -> ContractJSON:
    """The stored citizens (``ipsmatch citizen list --format json``): case ids, no profiles."""
    return ContractJSON([citizen_row(r) for r in web.store.list_citizens()])


@router.post("/citizens", status_code=201, response_class=ContractJSON,
             responses={201: {"model": Profile}, **error_responses(409, 422)})
def create_citizen(body: Profile, principal: Who, web: Web) -> ContractJSON:
    """Store a new citizen profile (``ipsmatch citizen add``); 409 if the id exists."""
    if _exists(web, body.id):
        raise ApiError(409, "exists", "api.citizen_exists", {"id": body.id}, field="id")
    return ContractJSON(_save(web, principal, body.model_dump(exclude_unset=True)),
                        status_code=201)


@router.get("/citizens/{citizen_id}", response_class=ContractJSON,
            responses={200: {"model": Profile}, **error_responses(404, 422)})
def get_citizen(citizen_id: str, principal: Who, web: Web) -> ContractJSON:
    """A stored profile in the file format (``ipsmatch citizen show``)."""
    from ipsmatch.profile import as_profile, profile_to_dict

    d = web.store.read_profile(citizen_id, who=principal.name, action="show")
    return ContractJSON(profile_to_dict(as_profile(d)))


@router.put("/citizens/{citizen_id}", response_class=ContractJSON,
            responses={200: {"model": Profile}, **error_responses(400, 404, 422)})
def replace_citizen(citizen_id: str, body: Profile, principal: Who, web: Web) -> ContractJSON:
    """Replace a stored profile (``ipsmatch citizen edit ID FILE``)."""
    if body.id != citizen_id:
        raise ApiError(400, "id_mismatch", "api.id_mismatch",
                       {"body": body.id, "url": citizen_id}, field="id")
    if not _exists(web, citizen_id):
        raise NotFoundError(code="citizen.unknown_replace", params={"id": citizen_id})
    return ContractJSON(_save(web, principal, body.model_dump(exclude_unset=True)))


@router.delete("/citizens/{citizen_id}", response_class=ContractJSON,
               responses={200: {"model": Forgotten}, **error_responses(404)})
def forget_citizen(citizen_id: str, principal: Who, web: Web) -> ContractJSON:
    """Delete a citizen's profile and personal records (``ipsmatch citizen forget``)."""
    return ContractJSON(web.store.delete_citizen(citizen_id, consultant=principal.name))
