"""IPS beyond the job search (#17): career, disclosure, the sheet, hours, the support plan,
follow-along and the funder report."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ipsmatch.web.api.models.base import OutModel
from ipsmatch.web.api.models.jobdev import JobStartOut


class WorkItemIO(OutModel):
    title: str
    employer: str | None = None
    from_: int | None = Field(None, alias="from", description="year")
    to: int | None = Field(None, description="year")
    went_well: str | None = None
    went_badly: str | None = Field(None, description="never on the jobudviklingsark")


class EducationItemIO(OutModel):
    name: str
    level: str | None = Field(None, description="one of EDUCATION_LEVELS (docs/profile.md)")
    completed: bool | None = None
    year: int | None = None


class CareerHours(OutModel):
    now: float | None = None
    goal: float | None = None


class Career(OutModel):
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


class Disclosure(OutModel):
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
