"""Suggestion, search and occupation-match models (``suggest``, ``search``, ``occupations
match``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ipsmatch.web.api.models.citizens import Profile


class EmployerRef(BaseModel):
    name: str
    cvr: str | None


class HoursRange(BaseModel):
    min: float | None
    max: float | None


class OccupationRef(BaseModel):
    uri: str
    label: str | None


class ReasonOut(BaseModel):
    kind: str
    code: str
    params: dict[str, Any]
    quote: str | None
    text: str


class Explain(BaseModel):
    signals: dict[str, float]
    weights: dict[str, float]
    reasons: list[ReasonOut]
    concerns: list[ReasonOut] | None = None


class VacancyOut(BaseModel):
    rank: int
    source: str
    external_id: str
    title: str
    url: str | None
    employer: EmployerRef | None
    postcode: str | None
    city: str | None
    distance_km: float | None
    commute_minutes: int | None
    hours_per_week: HoursRange | None
    work_conditions: list[str]
    posted: str | None
    deadline: str | None
    occupation: OccupationRef | None
    score: float
    reasons: list[str] = Field(description="why it fits, in plain Danish (or English)")
    concerns: list[str] = Field(description="what to ask the employer or weigh")
    explain: Explain | None = Field(None, description="with explain=true only")


class EmployerOut(BaseModel):
    rank: int
    name: str
    cvr: str | None
    postcode: str | None
    industry: str | None
    distance_km: float | None
    score: float
    reasons: list[str]
    open_vacancies: int
    explain: Explain | None = None


class ExcludedOut(BaseModel):
    source: str
    external_id: str
    title: str
    employer: EmployerRef | None
    postcode: str | None
    reasons: list[str]


class SuggestOut(BaseModel):
    """``ipsmatch suggest --format json``."""

    citizen: Profile
    vacancies: list[VacancyOut]
    employers: list[EmployerOut]
    excluded: list[ExcludedOut] | None = Field(None, description="with show_excluded=true")


class SearchIn(BaseModel):
    """``ipsmatch search``'s arguments (in the body: search text stays out of URLs and the
    server log)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="what to look for")
    near: str | None = Field(None, description="postcode to rank by distance from")
    within_km: float | None = Field(None, gt=0, description="only ads this close to near")
    max_hours: float | None = Field(None, ge=1, le=60)
    needs: list[str] = Field([], description="must-needs, e.g. no_night")
    limit: int = Field(20, ge=1, le=500)
    explain: bool = False
    lang: Literal["da", "en"] | None = None


class OccupationMatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    limit: int = Field(10, ge=1, le=100)
    kind: Literal["occupation", "isco"] | None = None


class SearchOut(BaseModel):
    """``ipsmatch search --format json``."""

    query: str
    vacancies: list[VacancyOut]


class OccupationMatch(BaseModel):
    uri: str
    label: str
    score: float
    kind: str


class OccupationMatchesOut(BaseModel):
    """``ipsmatch occupations match --format json``."""

    query: str
    matches: list[OccupationMatch]
