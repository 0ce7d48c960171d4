"""Typed models of the API's JSON: the CLI's ``--format json`` contract (ipsmatch.output).

The handlers send the dicts :mod:`ipsmatch.output` makes (one serializer for the CLI and the
API); these models describe them for the OpenAPI document, and the tests check every
response against that document. Request bodies are models too, so a wrong field is a 422
that names it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- errors ---------------------------------------------------------------------------------

class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable kind, e.g. not_found, invalid_input")
    message: str = Field(description="what is wrong and how to fix it")
    hint: str | None = None
    field: str | None = Field(None, description="the request field at fault, if one")


class ErrorOut(BaseModel):
    error: ErrorDetail


# --- profile --------------------------------------------------------------------------------

class Travel(_Out):
    mode: str | None = None
    max_minutes: float | None = None


class Hours(_Out):
    min: float | None = None
    max: float | None = None
    must: bool | None = None


class NeedItem(_Out):
    code: str
    must: bool = True


class Profile(_Out):
    """A citizen profile in the file format of docs/profile.md (``citizen show``)."""

    id: str
    home_postcode: str | None = None
    travel: Travel | None = None
    hours: Hours | None = None
    wishes: list[str] = []
    avoid: list[str] = []
    needs: list[str | NeedItem] = []
    languages: list[str] = []
    fleksjob_approved: bool | None = None
    accept_subsidised: bool | None = None
    consultant: str | None = None
    start_date: str | None = None


class CitizenRow(BaseModel):
    """One row of ``citizen list --format json``."""

    id: str
    home_postcode: str | None
    wishes: str
    needs: str
    consultant: str | None


class Forgotten(BaseModel):
    """What ``citizen forget`` removed (counts)."""

    citizens: int
    suggestion_feedback: int
    job_starts: int
    employer_contacts_unlinked: int
    contact_texts_cleared: int
    access_log_pseudonymised: int


# --- suggestions ----------------------------------------------------------------------------

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


# --- job development ------------------------------------------------------------------------

class ContactIn(BaseModel):
    """An employer contact, as ``contacts add`` takes it."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date | None = Field(None, description="default: today")
    consultant: str | None = Field(None, description="default: the token's name")
    employer_cvr: str | None = None
    employer_name: str | None = None
    citizen_id: str | None = None
    kind: str = "face-to-face"
    purpose: str = "learn_business"
    learned: list[str] = []
    outcome: str | None = None
    next_step: str | None = None
    next_date: dt.date | None = None
    note: str | None = None


class ContactOut(BaseModel):
    id: int | None
    date: str
    consultant: str
    employer_cvr: str | None
    employer_name: str | None
    citizen_id: str | None
    kind: str
    purpose: str
    learned: str = Field(description="';'-separated items, as in the contact log CSV")
    outcome: str | None
    next_step: str | None
    next_date: str | None
    note: str | None
    employer: str | None
    cvr: str | None
    citizen: str | None


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    citizen_id: str
    verdict: str = Field(description="not_interested, not_interested_employer, interested, "
                                     "applied, interview or hired")
    vacancy: str | None = Field(None, description="SOURCE:ID, e.g. jobnet:7000015")
    employer_cvr: str | None = None
    employer_name: str | None = None
    reason: str | None = None
    date: dt.date | None = None
    consultant: str | None = None


class FeedbackOut(BaseModel):
    id: int | None
    citizen_id: str
    verdict: str
    date: str
    consultant: str
    vacancy: str | None
    employer_cvr: str | None
    employer_name: str | None
    reason: str | None
    citizen: str
    employer: str | None


class JobStartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    citizen_id: str
    title: str
    start_date: dt.date | None = Field(None, description="default: today")
    employer_cvr: str | None = None
    employer_name: str | None = None
    hours_per_week: float | None = None
    competitive: bool | None = Field(None, description="default: true for an ordinary "
                                     "wage form (and when none is given)")
    wage_form: Literal["ordinary", "fleksjob", "other"] | None = None
    contact_person: str | None = Field(None, description="the employer's contact person "
                                       "for follow-along (a role or first name)")


class JobEndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    end_date: dt.date | None = Field(None, description="default: today")
    reason: str | None = None


class JobStartOut(BaseModel):
    id: int | None
    citizen_id: str
    start_date: str
    title: str
    employer_cvr: str | None
    employer_name: str | None
    hours_per_week: float | None
    competitive: bool
    end_date: str | None
    end_reason: str | None
    wage_form: str | None
    contact_person: str | None = None
    citizen: str
    employer: str | None
    cvr: str | None


class FidelityOut(_Out):
    """``ipsmatch fidelity --format json`` (figures per consultant and for the team)."""

    period_from: str
    period_to: str
    as_of: str
    weeks: float
    config: dict[str, Any]
    team: dict[str, Any]
    consultants: list[dict[str, Any]]
    first_contacts: list[dict[str, Any]]


class RefreshRun(_Out):
    id: int
    started_at: str | None
    finished_at: str | None
    status: str
    added: int
    updated: int
    unchanged: int
    expired: int
    rejected: int
    message: str | None


class MatcherInfo(BaseModel):
    data_stamp: str | None = Field(description="the data the serving matcher was opened on")
    swaps: int = Field(description="fresh matchers swapped in since this worker started")
    last_error: str | None


class IndexStatusOut(_Out):
    """``ipsmatch index status --format json``, plus this worker's matcher."""

    db: str
    schema_revision: str | None
    sources: dict[str, dict[str, int]]
    vacancies_active: int
    vacancies_expired: int
    employers: int
    citizens: int
    last_refresh: RefreshRun | None
    last_successful_refresh_at: str | None
    stale: bool
    matcher: MatcherInfo | None = None



# --- IPS beyond the job search (#17) --------------------------------------------------------

class WorkItemIO(_Out):
    title: str
    employer: str | None = None
    from_: int | None = Field(None, alias="from", description="year")
    to: int | None = Field(None, description="year")
    went_well: str | None = None
    went_badly: str | None = Field(None, description="never on the jobudviklingsark")


class EducationItemIO(_Out):
    name: str
    level: str | None = Field(None, description="one of EDUCATION_LEVELS (docs/profile.md)")
    completed: bool | None = None
    year: int | None = None


class CareerHours(_Out):
    now: float | None = None
    goal: float | None = None


class Career(_Out):
    """The profile's ``career`` object (the karriereprofil, docs/profile.md). Never a
    diagnosis: free texts with health words or CPR numbers are refused (422)."""

    wants: str | None = None
    work_history: list[WorkItemIO] = []
    education: list[EducationItemIO] = []
    strengths: list[str] = []
    interests: list[str] = []
    hours: CareerHours | None = None
    supports: list[str] = Field([], description="what helps at work, e.g. 'fast kontaktperson'")
    special_education: bool | None = None


class Disclosure(_Out):
    """The profile's ``disclosure`` object (åbenhed): whether employers may be contacted
    about the citizen (``consent``, with the date of the answer) and what may be shared."""

    consent: Literal["not_asked", "yes", "no"] = "not_asked"
    date: str | None = Field(None, description="YYYY-MM-DD; needed with yes or no")
    share: Literal["nothing", "ips", "accommodations"] = "nothing"
    accommodations: list[str] = Field([], description="need codes among the citizen's needs")
    note: str | None = Field(None, description="never on the jobudviklingsark")


class SheetSection(BaseModel):
    heading: str
    lines: list[str]


class FreeTextOut(BaseModel):
    key: str = Field(description="what to send as include=KEY to put it on the sheet")
    label: str
    text: str


class SheetOut(BaseModel):
    """The jobudviklingsark: only what the citizen consented to; free texts only when
    included (``include``), the others listed in ``pending`` for the consultant."""

    title: str
    made: str | None
    sections: list[SheetSection]
    included: list[str]
    pending: list[FreeTextOut]
    text: str = Field(description="plain text to read aloud or paste into a mail")


class HoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hours_per_week: float = Field(description="the new weekly hours")
    from_date: dt.date | None = Field(None, description="default: today")


class SupportItemIO(BaseModel):
    model_config = ConfigDict(extra="forbid")

    support: str
    who: Literal["citizen", "employer", "consultant", "colleague", "other"] = "consultant"


class PlanIn(BaseModel):
    """The job support plan; it replaces the earlier one."""

    model_config = ConfigDict(extra="forbid")

    items: list[SupportItemIO] = []
    next_follow_up: dt.date | None = None
    goal_hours: float | None = None
    note: str | None = None


class PlanOut(BaseModel):
    job_id: int
    items: list[SupportItemIO]
    next_follow_up: str | None
    goal_hours: float | None
    note: str | None


class FollowAlongIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    citizen_id: str
    contact_date: dt.date | None = Field(None, description="default: today")
    with_whom: Literal["citizen", "employer", "both"] = "citizen"
    kind: Literal["face-to-face", "phone", "email", "other"] = "face-to-face"
    job_id: int | None = Field(None, description="default: the citizen's only open job")
    note: str | None = None
    consultant: str | None = Field(None, description="default: the token's name")


class FollowAlongOut(BaseModel):
    id: int | None
    citizen_id: str
    contact_date: str
    with_whom: str
    kind: str
    consultant: str | None
    job_id: int | None
    note: str | None


class FollowUpOut(BaseModel):
    """One job after the start (``followup show --format json``)."""

    job: JobStartOut
    wage_form: str
    timeline: list[list[Any]] = Field(description="[[YYYY-MM-DD, hours per week], ...]")
    plan: PlanOut | None
    contacts: list[FollowAlongOut]


class ReportIn(BaseModel):
    """The report's options; the comment and next steps go in the body, not the URL."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    kind: Literal["interval", "end"] = "interval"
    from_: dt.date | None = Field(None, alias="from", description="default: the start date")
    to: dt.date | None = Field(None, description="default: today")
    next_steps: list[str] = []
    comment: str | None = Field(None, description="the citizen's own comment")


class ReportOut(BaseModel):
    title: str
    period_from: str
    period_to: str
    sections: list[SheetSection]
    comment: str | None
    text: str
