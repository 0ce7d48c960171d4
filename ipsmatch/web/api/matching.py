"""Suggestions for a stored citizen or a profile in the body, free-text search, occupations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from ipsmatch.output import occupation_matches_json, search_json, suggest_json
from ipsmatch.web.api.core import ApiRoute, ContractJSON, api_principal, error_responses, lang_of
from ipsmatch.web.api.models import OccupationMatchesOut, Profile, SearchOut, SuggestOut
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


@router.get("/search", response_class=ContractJSON,
            responses={200: {"model": SearchOut}, **error_responses(400, 503)})
def search(text: Annotated[str, Query(min_length=1, description="what to look for")],
           web: Annotated[WebState, Depends(web_state)],
           near: Annotated[str | None, Query(description="postcode to rank by distance "
                                                         "from")] = None,
           within_km: Annotated[float | None, Query(gt=0, description="only ads this close "
                                                                      "to near")] = None,
           max_hours: Annotated[float | None, Query(ge=1, le=60)] = None,
           needs: Annotated[list[str], Query(description="must-needs, e.g. no_night")] = [],  # noqa: B006
           limit: Annotated[int, Query(ge=1, le=500)] = 20,
           explain: bool = False, lang: Lang | None = None) -> ContractJSON:
    """Free-text vacancy search without a profile (``ipsmatch search``)."""
    codes = [c.strip() for raw in needs for c in raw.split(",") if c.strip()]
    with web.matcher() as matcher:
        found = matcher.search(text, near=near, within_km=within_km, max_hours=max_hours,
                               needs=codes, limit=limit)
    return ContractJSON(search_json(text, found, lang=lang_of(lang, web), explain=explain))


@router.get("/occupations/match", response_class=ContractJSON,
            responses={200: {"model": OccupationMatchesOut}, **error_responses(503)})
def occupations_match(text: Annotated[str, Query(min_length=1)],
                      web: Annotated[WebState, Depends(web_state)],
                      limit: Annotated[int, Query(ge=1, le=100)] = 10,
                      kind: Literal["occupation", "isco"] | None = None) -> ContractJSON:
    """ESCO occupations and ISCO groups for a text (``ipsmatch occupations match``)."""
    from ipsmatch.errors import ModelUnavailableError

    with web.matcher() as matcher:
        occ = matcher.occupation_matcher
        if occ is None:
            raise ModelUnavailableError("the occupation matcher is not installed",
                                        hint="install ipsmatch with its ESCO data")
        matches = occ.match(text, limit=limit, kind=kind)
    return ContractJSON(occupation_matches_json(text, matches))
