"""Suggestions for a stored citizen or a profile in the body, free-text search, occupations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from ipsmatch.output import occupation_matches_json, search_json, suggest_json
from ipsmatch.web.api.core import ApiRoute, ContractJSON, api_principal, error_responses, lang_of
from ipsmatch.web.api.models.citizens import Profile
from ipsmatch.web.api.models.matching import (
    OccupationMatchesOut,
    OccupationMatchIn,
    SearchIn,
    SearchOut,
    SuggestOut,
)
from ipsmatch.web.app import WebState, web_state
from ipsmatch.web.auth import Principal

router = APIRouter(route_class=ApiRoute, tags=["matching"])

Lang = Literal["da", "en"]


class SuggestOptions:
    """The options of ``ipsmatch suggest``, as query parameters."""

    def __init__(self,
                 limit: Annotated[int, Query(ge=1, le=500,
                                             description="vacancies and employers")] = 20,
                 per_employer: Annotated[int, Query(ge=1, le=50, description="at most this "
                                                    "many ads per employer in the top 10")] = 2,
                 explain: Annotated[bool, Query(description="per-signal breakdown")] = False,
                 show_excluded: Annotated[bool, Query(description="also the ads filtered "
                                                      "out, and why")] = False,
                 lang: Annotated[Lang | None, Query(description="language of the reasons")]
                 = None) -> None:
        self.limit, self.per_employer, self.explain = limit, per_employer, explain
        self.show_excluded, self.lang = show_excluded, lang


def _suggest(web: WebState, profile: Any, o: SuggestOptions) -> ContractJSON:
    with web.matcher() as matcher:
        res = matcher.suggest(profile, limit=o.limit, per_employer=o.per_employer,
                              include_excluded=o.show_excluded)
    return ContractJSON(suggest_json(res, lang=lang_of(o.lang, web), explain=o.explain,
                                     show_excluded=o.show_excluded))


@router.get("/citizens/{citizen_id}/suggest", response_class=ContractJSON,
            responses={200: {"model": SuggestOut}, **error_responses(404, 422, 503)})
def suggest_citizen(citizen_id: str, o: Annotated[SuggestOptions, Depends()],
                    principal: Annotated[Principal, Depends(api_principal)],
                    web: Annotated[WebState, Depends(web_state)]) -> ContractJSON:
    """Ranked vacancies and employers for a stored citizen, with reasons
    (``ipsmatch suggest ID --format json``). Noted in the access log."""
    profile = web.store.read_profile(citizen_id, who=principal.name, action="suggest")
    return _suggest(web, profile, o)


@router.post("/suggest", response_class=ContractJSON,
             responses={200: {"model": SuggestOut}, **error_responses(422, 503)})
def suggest_profile(profile: Profile, o: Annotated[SuggestOptions, Depends()],
                    web: Annotated[WebState, Depends(web_state)]) -> ContractJSON:
    """Suggestions for the profile in the body (the file format of docs/profile.md), which
    is not stored (``ipsmatch suggest --profile FILE``)."""
    return _suggest(web, profile.model_dump(exclude_unset=True), o)


@router.post("/search", response_class=ContractJSON,
             responses={200: {"model": SearchOut}, **error_responses(503)})
def search(body: SearchIn, web: Annotated[WebState, Depends(web_state)]) -> ContractJSON:
    """Free-text vacancy search without a profile (``ipsmatch search``)."""
    codes = [c.strip() for raw in body.needs for c in raw.split(",") if c.strip()]
    with web.matcher() as matcher:
        found = matcher.search(body.text, near=body.near, within_km=body.within_km,
                               max_hours=body.max_hours, needs=codes, limit=body.limit)
    return ContractJSON(search_json(body.text, found, lang=lang_of(body.lang, web),
                                    explain=body.explain))


@router.post("/occupations/match", response_class=ContractJSON,
             responses={200: {"model": OccupationMatchesOut}, **error_responses(503)})
def occupations_match(body: OccupationMatchIn,
                      web: Annotated[WebState, Depends(web_state)]) -> ContractJSON:
    """ESCO occupations and ISCO groups for a text (``ipsmatch occupations match``)."""
    from ipsmatch.errors import ModelUnavailableError

    with web.matcher() as matcher:
        occ = matcher.occupation_matcher
        if occ is None:
            raise ModelUnavailableError("the occupation matcher is not installed",
                                        hint="install ipsmatch with its ESCO data")
        matches = occ.match(body.text, limit=body.limit, kind=body.kind)
    return ContractJSON(occupation_matches_json(body.text, matches))
