"""Job development: employer contacts, feedback on suggestions, job starts, fidelity."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ipsmatch.output import contact_json, feedback_json, job_start_json
from ipsmatch.web.api.core import ApiError, ApiRoute, ContractJSON, api_principal, error_responses
from ipsmatch.web.api.models.jobdev import (
    ContactIn,
    ContactOut,
    FeedbackIn,
    FeedbackOut,
    FidelityOut,
    JobEndIn,
    JobStartIn,
    JobStartOut,
)
from ipsmatch.web.app import WebState, web_state
from ipsmatch.web.auth import Forbidden, Principal

router = APIRouter(route_class=ApiRoute, tags=["job development"])

Who = Annotated[Principal, Depends(api_principal)]
Web = Annotated[WebState, Depends(web_state)]
From = Annotated[date | None, Query(alias="from", description="first day (YYYY-MM-DD)")]
To = Annotated[date | None, Query(alias="to", description="last day (YYYY-MM-DD)")]


# --- contacts -------------------------------------------------------------------------------

@router.get("/contacts", response_class=ContractJSON,
            responses={200: {"model": list[ContactOut]}})
def list_contacts(principal: Who, web: Web, since: From = None, until: To = None,
                  consultant: str | None = None,
                  employer: Annotated[str | None, Query(description="CVR, name or id")] = None,
                  citizen: str | None = None) -> ContractJSON:
    """Employer contacts, oldest first (``ipsmatch contacts list``)."""
    contacts = web.store.list_contacts(since=since, until=until, consultant=consultant,
                                       employer=employer, citizen=citizen)
    if citizen:
        web.store.log_access(principal.name, "contacts", citizen)
    return ContractJSON([contact_json(c) for c in contacts])


@router.post("/contacts", status_code=201, response_class=ContractJSON,
             responses={201: {"model": ContactOut}, **error_responses(404, 422, 503)})
def add_contact(body: ContactIn, principal: Who, web: Web) -> ContractJSON:
    """Log one employer contact (``ipsmatch contacts add``); the employer's known attributes
    are updated from it. ``consultant`` defaults to the token's name."""
    from ipsmatch.jobdev import Contact
    from ipsmatch.jobdev.contacts_csv import parse_kind, parse_learned, parse_purpose

    items = tuple(i for raw in body.learned for i in parse_learned(raw))
    contact = Contact(date=body.date or web.today(), consultant=body.consultant or
                      principal.name,
                      employer_cvr=body.employer_cvr.replace(" ", "") if body.employer_cvr
                      else None, employer_name=body.employer_name, citizen_id=body.citizen_id,
                      kind=parse_kind(body.kind), purpose=parse_purpose(body.purpose),
                      learned=items, outcome=body.outcome, next_step=body.next_step,
                      next_date=body.next_date, note=body.note)
    stored = web.store.add_contact(contact, today=web.today())
    if stored.citizen_id:
        web.store.log_access(principal.name, "contact", stored.citizen_id)
    return ContractJSON(contact_json(stored), status_code=201)


# --- feedback -------------------------------------------------------------------------------

@router.post("/feedback", status_code=201, response_class=ContractJSON,
             responses={201: {"model": FeedbackOut}, **error_responses(404, 422)})
def add_feedback(body: FeedbackIn, principal: Who, web: Web) -> ContractJSON:
    """A verdict on a suggested vacancy or employer (``ipsmatch feedback add``):
    not_interested hides it from later suggestions; the others mark it."""
    from ipsmatch.jobdev import Feedback

    vacancy = None
    if body.vacancy is not None:
        src, sep, ext = body.vacancy.strip().partition(":")
        if not (sep and src and ext):
            raise ApiError(422, "invalid_input", "api.vacancy_format",
                           {"value": body.vacancy}, field="vacancy")
        vacancy = (src, ext)
    fb = Feedback(citizen_id=body.citizen_id, verdict=body.verdict,
                  date=body.date or web.today(), consultant=body.consultant or principal.name,
                  vacancy=vacancy, employer_cvr=body.employer_cvr,
                  employer_name=body.employer_name, reason=body.reason)
    stored = web.store.add_feedback(fb, today=web.today())
    web.store.log_access(principal.name, "feedback", stored.citizen_id)
    return ContractJSON(feedback_json(stored), status_code=201)


@router.get("/citizens/{citizen_id}/feedback", response_class=ContractJSON,
            responses={200: {"model": list[FeedbackOut]}, **error_responses(404)})
def list_feedback(citizen_id: str, principal: Who, web: Web) -> ContractJSON:
    """A citizen's feedback, oldest first (``ipsmatch feedback list``)."""
    web.store.get_citizen(citizen_id)  # 404 for an unknown case id, not an empty list
    web.store.log_access(principal.name, "feedback", citizen_id)
    return ContractJSON([feedback_json(f) for f in web.store.feedback_for(citizen_id)])


# --- outcomes -------------------------------------------------------------------------------

@router.get("/outcomes", response_class=ContractJSON,
            responses={200: {"model": list[JobStartOut]}})
def list_outcomes(principal: Who, web: Web, since: From = None, until: To = None,
                  citizen: str | None = None, employer: str | None = None,
                  open_only: Annotated[bool, Query(alias="open", description="only jobs that "
                                                   "have not ended")] = False) -> ContractJSON:
    """Job starts, oldest first (``ipsmatch outcomes list``)."""
    jobs = web.store.list_job_starts(since=since, until=until, citizen=citizen,
                                     employer=employer, open_only=open_only)
    if citizen:
        web.store.log_access(principal.name, "outcomes", citizen)
    return ContractJSON([job_start_json(j) for j in jobs])


@router.post("/outcomes", status_code=201, response_class=ContractJSON,
             responses={201: {"model": JobStartOut}, **error_responses(404, 422, 503)})
def start_job(body: JobStartIn, principal: Who, web: Web) -> ContractJSON:
    """Record that a citizen started a job (``ipsmatch outcomes start``), with its wage form
    (ordinary / fleksjob / other) and the employer's contact person for follow-along."""
    from ipsmatch.jobdev import JobStart

    competitive = body.competitive if body.competitive is not None else \
        body.wage_form in (None, "ordinary")
    job = JobStart(citizen_id=body.citizen_id, start_date=body.start_date or web.today(),
                   title=body.title, employer_cvr=body.employer_cvr.replace(" ", "")
                   if body.employer_cvr else None, employer_name=body.employer_name,
                   hours_per_week=body.hours_per_week, competitive=competitive,
                   wage_form=body.wage_form, contact_person=body.contact_person)
    stored = web.store.add_job_start(job, today=web.today())
    web.store.log_access(principal.name, "outcome", stored.citizen_id)
    return ContractJSON(job_start_json(stored), status_code=201)


@router.post("/outcomes/{job_id}/end", response_class=ContractJSON,
             responses={200: {"model": JobStartOut}, **error_responses(404, 422, 503)})
def end_job(job_id: int, body: JobEndIn, principal: Who, web: Web) -> ContractJSON:
    """Record that a job ended (``ipsmatch outcomes end JOB_ID``)."""
    ended = web.store.end_job_start(job_id=job_id, end_date=body.end_date or web.today(),
                                    reason=body.reason)
    web.store.log_access(principal.name, "outcome", ended.citizen_id)
    return ContractJSON(job_start_json(ended))


# --- fidelity -------------------------------------------------------------------------------

@router.get("/fidelity", response_class=ContractJSON,
            responses={200: {"model": FidelityOut}, **error_responses(403)})
def fidelity(principal: Who, web: Web, since: From = None, until: To = None,
             consultant: Annotated[list[str], Query(description="only these consultants' "
                                                    "rows; leave out for the team")] = [],  # noqa: B006
             ) -> ContractJSON:
    """IPS fidelity figures (``ipsmatch fidelity --format json``; default: the last 28
    days). The team's and other consultants' figures need the leader role; a consultant
    token may ask for its own (``consultant=<its name>``)."""
    if not principal.is_leader and consultant != [principal.name]:
        raise Forbidden("leader")
    until = until or web.today()
    since = since or until - timedelta(days=28)
    report = web.store.fidelity(since, until, consultants=consultant or None,
                                today=web.today())
    return ContractJSON(report.to_dict())
