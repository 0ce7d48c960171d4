"""Job-development models: employer contacts, feedback, job starts and their end, fidelity."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ipsmatch.web.api.models.base import OutModel


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


class FidelityOut(OutModel):
    """``ipsmatch fidelity --format json`` (figures per consultant and for the team)."""

    period_from: str
    period_to: str
    as_of: str
    weeks: float
    config: dict[str, Any]
    team: dict[str, Any]
    consultants: list[dict[str, Any]]
    first_contacts: list[dict[str, Any]]
