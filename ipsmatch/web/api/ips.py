"""IPS beyond the job search (#17): the career profile and disclosure of a citizen, the
jobudviklingsark, support after the start, the citizen's report and the funder export.

The career profile and disclosure are the stored profile's ``career`` and ``disclosure``
objects (profile version 3, docs/profile.md), read and replaced on their own; the whole
profile is validated again on every change, with the CLI's messages. Every read or change of
a citizen is in the access log under the token's name.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ipsmatch.errors import ConsentError
from ipsmatch.web.api.core import ApiError, ApiRoute, ContractJSON, api_principal, error_responses
from ipsmatch.web.api.models.ips import (
    Career,
    Disclosure,
    FollowAlongIn,
    FollowAlongOut,
    FollowUpOut,
    HoursIn,
    PlanIn,
    PlanOut,
    ReportIn,
    ReportOut,
    SheetOut,
)
from ipsmatch.web.app import WebState, web_state
from ipsmatch.web.auth import Principal, require_role
from ipsmatch.web.ipsforms import followup_dict, report_dict, sheet_dict

router = APIRouter(route_class=ApiRoute, tags=["IPS: career, disclosure, follow-along"])

Who = Annotated[Principal, Depends(api_principal)]
Web = Annotated[WebState, Depends(web_state)]


def _part(web: WebState, principal: Principal, citizen_id: str, key: str) -> dict[str, Any]:
    """The stored profile's ``key`` object in the file format (as validated)."""
    from ipsmatch.profile import as_profile, profile_to_dict

    d = web.store.read_profile(citizen_id, who=principal.name, action=key)
    return _of(profile_to_dict(as_profile(d)), key)


def _of(profile: dict[str, Any], key: str) -> dict[str, Any]:
    out: dict[str, Any] = profile.get(key) or {}
    if key == "disclosure" and not out:  # absent: not asked, nothing shared
        out = {"consent": "not_asked", "share": "nothing"}
    return out


def _replace_part(web: WebState, principal: Principal, citizen_id: str, key: str,
                  value: dict[str, Any]) -> dict[str, Any]:
    from ipsmatch.profile import profile_from_dict, profile_to_dict

    rec = web.store.get_citizen(citizen_id)
    if not rec.profile:
        web.store.read_profile(citizen_id, who=principal.name, action="save")  # says why
    profile = profile_from_dict({**(rec.profile or {}), "id": citizen_id, key: value})
    web.store.save_citizen(citizen_id, profile_to_dict(profile),
                           profile.consultant or rec.consultant, profile.start_date)
    web.store.log_access(principal.name, "save", citizen_id)
    return _of(profile_to_dict(profile), key)


@router.get("/citizens/{citizen_id}/career", response_class=ContractJSON,
            responses={200: {"model": Career}, **error_responses(404)})
def get_career(citizen_id: str, principal: Who, web: Web) -> ContractJSON:
    """The citizen's career profile (karriereprofil); ``{}`` when none is recorded."""
    return ContractJSON(_part(web, principal, citizen_id, "career"))


@router.put("/citizens/{citizen_id}/career", response_class=ContractJSON,
            responses={200: {"model": Career}, **error_responses(404, 422)})
def put_career(citizen_id: str, body: Career, principal: Who, web: Web) -> ContractJSON:
    """Replace the career profile; the rest of the profile is kept. A free text with a CPR
    number or health words is refused (422, ``error.field`` names it)."""
    value = body.model_dump(by_alias=True, exclude_unset=True)
    return ContractJSON(_replace_part(web, principal, citizen_id, "career", value))


@router.get("/citizens/{citizen_id}/disclosure", response_class=ContractJSON,
            responses={200: {"model": Disclosure}, **error_responses(404)})
def get_disclosure(citizen_id: str, principal: Who, web: Web) -> ContractJSON:
    """The disclosure choice (åbenhed): consent to employer contact and what may be shared."""
    return ContractJSON(_part(web, principal, citizen_id, "disclosure"))


@router.put("/citizens/{citizen_id}/disclosure", response_class=ContractJSON,
            responses={200: {"model": Disclosure}, **error_responses(404, 422)})
def put_disclosure(citizen_id: str, body: Disclosure, principal: Who, web: Web
                   ) -> ContractJSON:
    """Replace the disclosure choice. A yes or no needs its date; accommodations must be
    among the citizen's needs and need ``share = accommodations``."""
    value = body.model_dump(exclude_unset=True)
    return ContractJSON(_replace_part(web, principal, citizen_id, "disclosure", value))


@router.get("/citizens/{citizen_id}/sheet", response_class=ContractJSON,
            responses={200: {"model": SheetOut}, **error_responses(404, 409)})
def get_sheet(citizen_id: str, principal: Who, web: Web,
              include: Annotated[list[str], Query(description="a free text the consultant "
                                                  "confirmed (a key from pending)")] = [],  # noqa: B006
              ) -> ContractJSON:
    """The jobudviklingsark (``ipsmatch sheet ID --include KEY``); 409 unless the citizen
    said yes to employer contact."""
    from ipsmatch.ips.disclosure import jobdev_sheet
    from ipsmatch.profile import as_profile

    p = as_profile(web.store.read_profile(citizen_id, who=principal.name, action="sheet"))
    try:
        sheet = jobdev_sheet(p, include=include, consultant=p.consultant, today=web.today())
    except ConsentError as exc:
        raise ApiError(409, "consent_refused", exc, field="disclosure.consent") from None
    return ContractJSON(sheet_dict(sheet))


# --- support after the start ----------------------------------------------------------------

@router.get("/citizens/{citizen_id}/followup", response_class=ContractJSON,
            responses={200: {"model": list[FollowUpOut]}, **error_responses(404)})
def get_followup(citizen_id: str, principal: Who, web: Web) -> ContractJSON:
    """The citizen's jobs with the hours timeline, support plan and follow-along contacts
    (``ipsmatch followup show ID --format json``)."""
    web.store.get_citizen(citizen_id)
    web.store.log_access(principal.name, "followup_show", citizen_id)
    return ContractJSON([followup_dict(u) for u in web.store.job_follow_ups(citizen_id)])


def _follow_up(web: WebState, job_id: int) -> dict[str, Any]:
    job = web.store.get_job_start(job_id)
    return next(followup_dict(u) for u in web.store.job_follow_ups(job.citizen_id)
                if u.job.id == job_id)


@router.post("/outcomes/{job_id}/hours", status_code=201, response_class=ContractJSON,
             responses={201: {"model": FollowUpOut}, **error_responses(404, 422)})
def add_hours(job_id: int, body: HoursIn, principal: Who, web: Web) -> ContractJSON:
    """The job's weekly hours changed (``ipsmatch followup hours``); the timeline keeps
    every step. Returns the job with its timeline."""
    from ipsmatch.ips.followalong import HoursChange

    web.store.add_job_hours(HoursChange(job_id, body.from_date or web.today(),
                                        body.hours_per_week), today=web.today())
    out = _follow_up(web, job_id)
    web.store.log_access(principal.name, "job_hours", out["job"]["citizen_id"])
    return ContractJSON(out, status_code=201)


@router.put("/outcomes/{job_id}/plan", response_class=ContractJSON,
            responses={200: {"model": PlanOut}, **error_responses(404, 422)})
def put_plan(job_id: int, body: PlanIn, principal: Who, web: Web) -> ContractJSON:
    """Set the job support plan (``ipsmatch followup plan``): the agreed supports and who
    does what, the next follow-up, the hours goal. It replaces the earlier plan."""
    from ipsmatch.ips.followalong import SupportItem, SupportPlan

    plan = web.store.set_support_plan(SupportPlan(
        job_id, tuple(SupportItem(i.support, i.who) for i in body.items), body.next_follow_up,
        body.goal_hours, body.note))
    web.store.log_access(principal.name, "support_plan",
                         web.store.get_job_start(job_id).citizen_id)
    return ContractJSON(plan.to_dict())


@router.post("/followalong", status_code=201, response_class=ContractJSON,
             responses={201: {"model": FollowAlongOut}, **error_responses(400, 404, 422)})
def add_followalong(body: FollowAlongIn, principal: Who, web: Web) -> ContractJSON:
    """Log a follow-along contact (``ipsmatch followup contact``), during a job or after
    one ended; ``job_id`` defaults to the citizen's only open job."""
    from ipsmatch.ips.followalong import FollowAlong

    job_id = body.job_id
    if job_id is None:
        open_jobs = web.store.list_job_starts(citizen=body.citizen_id, open_only=True)
        job_id = open_jobs[0].id if len(open_jobs) == 1 else None
    made = web.store.add_followalong(FollowAlong(
        body.citizen_id, body.contact_date or web.today(), body.with_whom, body.kind,
        body.consultant or principal.name, job_id, body.note), today=web.today())
    web.store.log_access(principal.name, "followalong", body.citizen_id)
    return ContractJSON(made.to_dict(), status_code=201)


# --- reports --------------------------------------------------------------------------------

def _report(web: WebState, principal: Principal, citizen_id: str, kind: str,
            since: date | None, until: date | None, next_steps: list[str],
            comment: str | None) -> ContractJSON:
    from ipsmatch.profile import as_profile

    p = as_profile(web.store.read_profile(citizen_id, who=principal.name, action="report"))
    r = web.store.citizen_report(p, kind=kind, period_from=since,
                                 period_to=until or web.today(), next_steps=next_steps,
                                 comment=comment)
    return ContractJSON(report_dict(r))


@router.get("/citizens/{citizen_id}/report", response_class=ContractJSON,
            responses={200: {"model": ReportOut}, **error_responses(404)})
def get_report(citizen_id: str, principal: Who, web: Web,
               kind: Literal["interval", "end"] = "interval",
               since: Annotated[date | None, Query(alias="from", description="default: the "
                                                   "citizen's start date")] = None,
               until: Annotated[date | None, Query(alias="to", description="default: today")]
               = None) -> ContractJSON:
    """The citizen's interval or end report in plain Danish (``ipsmatch report``), with an
    empty comment field; POST it to add the citizen's comment and next steps."""
    return _report(web, principal, citizen_id, kind, since, until, [], None)


@router.post("/citizens/{citizen_id}/report", response_class=ContractJSON,
             responses={200: {"model": ReportOut}, **error_responses(404, 422)})
def post_report(citizen_id: str, body: ReportIn, principal: Who, web: Web) -> ContractJSON:
    """The report with the citizen's own comment and the next steps (in the body, not the
    URL); nothing is stored."""
    return _report(web, principal, citizen_id, body.kind, body.from_, body.to,
                   body.next_steps, body.comment)


@router.get("/funder-export", response_class=Response,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                             "description": "month,citizen_id,consultant,ordinary_hours,"
                                            "fleksjob_hours,other_hours,education,counts,"
                                            "basis (docs/jobdev.md)"},
                       **error_responses(403)})
def funder_export(principal: Who, web: Web,
                  first: Annotated[str, Query(alias="from", description="first month, "
                                              "YYYY-MM")],
                  last: Annotated[str | None, Query(alias="to", description="last month, "
                                                    "YYYY-MM (default: the first)")] = None
                  ) -> Response:
    """The monthly funder export as CSV (``ipsmatch funder-export``; the counting rule is
    the IPSMATCH_FUNDER_* settings). Team leaders only, as the fidelity figures."""
    from ipsmatch.ips.funder import months, to_csv

    require_role(principal, "leader")
    rows = web.store.funder_rows(months(first, last or first), web.settings.funder_rule(),
                                 as_of=web.today())
    web.store.log_access(principal.name, "funder_export", None)
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="funder.csv"'})
