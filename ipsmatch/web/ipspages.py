"""The workspace pages of issue #17: the career profile and disclosure, the employer-facing
jobudviklingsark, support after the start (follow-along), the citizen's report and the
team leader's funder export.

Thin handlers, as in :mod:`ipsmatch.web.pages`: the profile is validated by
``profile_from_dict``, the sheet is :func:`ipsmatch.ips.jobdev_sheet`, the records go through
the store's own methods (which validate them again), and every view or change of a citizen
is in the access log with the user's name.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from ipsmatch.errors import (
    ConsentError,
    FeedError,
    InputError,
    NotFoundError,
    UsageError,
)
from ipsmatch.web import ipsforms as F
from ipsmatch.web.app import checked_form_fields, current_session, render, require, web_state
from ipsmatch.web.pages import _citizen, _see_other
from ipsmatch.web.users import Session

router = APIRouter(dependencies=[Depends(current_session)])
SessionDep = Annotated[Session, Depends(current_session)]
LeaderDep = Annotated[Session, Depends(require("leader"))]


def _stored_profile(rec: Any) -> Any:
    """The citizen's profile, or NotFoundError for a stub without one."""
    from ipsmatch.profile import as_profile

    if not rec.profile:
        raise NotFoundError(code="citizen.no_profile_yet", params={"id": rec.id})
    return as_profile(rec.profile)


# --- the career profile and disclosure ------------------------------------------------------

def _career_page(request: Request, rec: Any, session: Session, *,
                 career: dict[str, Any] | None = None,
                 disclosure: dict[str, Any] | None = None,
                 errors: F.FormErrors | None = None, failed: str = "",
                 notice: str | None = None, status: int = 200) -> Response:
    from ipsmatch.education.model import EDUCATION_LEVELS
    from ipsmatch.needs import NEEDS
    from ipsmatch.profile import CERTIFICATES

    lang = session.user.lang
    i = 1 if lang == "en" else 0
    own_needs = [n if isinstance(n, str) else n.get("code")
                 for n in (rec.profile or {}).get("needs") or []]
    return render(request, "career.html", {
        "rec": rec, "notice": notice,
        "cerr": errors if errors and failed == "career" else F.FormErrors(),
        "derr": errors if errors and failed == "disclosure" else F.FormErrors(),
        "career": career or F.career_form(rec.profile),
        "disclosure": disclosure or F.disclosure_form(rec.profile),
        "levels": [(k, v[i]) for k, v in EDUCATION_LEVELS.items()],
        "certificates": [(k, v[i]) for k, v in CERTIFICATES.items()],
        "consents": F.CONSENT_CHOICES, "shares": F.SHARE_CHOICES,
        "own_needs": [(c, NEEDS[c].label_da if lang != "en" else NEEDS[c].label_en)
                      for c in own_needs if c in NEEDS],
    }, status=status)


@router.get("/citizens/{cid}/career", response_class=HTMLResponse)
def career_page(request: Request, cid: str, session: SessionDep, saved: int = 0) -> Response:
    rec = _citizen(request, cid, session, "career")
    notice = {1: "Karriereprofilen er gemt.", 2: "Åbenhed er gemt."}.get(saved)
    return _career_page(request, rec, session, notice=notice)


def _store_profile(request: Request, rec: Any, session: Session, profile: Any) -> None:
    from ipsmatch.profile import profile_to_dict

    web_state(request).store.save_citizen(rec.id, profile_to_dict(profile),
                                          profile.consultant or rec.consultant
                                          or session.user.name, profile.start_date)
    web_state(request).store.log_access(session.user.name, "save", rec.id)


@router.post("/citizens/{cid}/career", response_class=HTMLResponse)
async def career_save(request: Request, cid: str, session: SessionDep) -> Response:
    form, refused = await checked_form_fields(request, session)
    rec = _citizen(request, cid, session, "career")
    errors = F.FormErrors(fields=dict(refused))
    if not errors:
        from ipsmatch.profile import profile_from_dict

        data = F.career_from_form(rec.profile, cid, form)
        # every field's error at once, each at its field (not only the first one found)
        profile, found = F.validate_all(
            data.profile, profile_from_dict, F.career_key,
            rows={"career.work_history": data.work_rows, "career.education": data.edu_rows})
        for key, exc in found:
            F.place_error(errors, exc, key, session.user.lang)
        if not found:
            _store_profile(request, rec, session, profile)
            return _see_other(f"/citizens/{cid}/career?saved=1")
    return _career_page(request, rec, session, career=F.career_form_echo(form),
                        errors=errors, failed="career", status=400)


@router.post("/citizens/{cid}/disclosure", response_class=HTMLResponse)
async def disclosure_save(request: Request, cid: str, session: SessionDep) -> Response:
    form, refused = await checked_form_fields(request, session)
    rec = _citizen(request, cid, session, "career")
    errors = F.FormErrors(fields=dict(refused))
    if not errors:
        from ipsmatch.profile import profile_from_dict

        # every field's error at once, as on the career form
        profile, found = F.validate_all(F.disclosure_from_form(rec.profile, cid, form),
                                        profile_from_dict, F.disclosure_key,
                                        stand_ins=F.DISCLOSURE_STAND_INS)
        for key, exc in found:
            F.place_error(errors, exc, key, session.user.lang)
        if not found:
            _store_profile(request, rec, session, profile)
            return _see_other(f"/citizens/{cid}/career?saved=2#disclosure")
    return _career_page(request, rec, session, disclosure=F.disclosure_form_echo(form),
                        errors=errors, failed="disclosure", status=400)


# --- the jobudviklingsark -------------------------------------------------------------------

@router.get("/citizens/{cid}/sheet", response_class=HTMLResponse)
def sheet_page(request: Request, cid: str, session: SessionDep,
               include: Annotated[list[str], Query()] = []) -> Response:  # noqa: B006
    """The sheet with the free texts the consultant ticked (``include``, keys only: the
    texts themselves never go in the URL)."""
    from ipsmatch.ips.disclosure import jobdev_sheet, sheet_free_texts

    web = web_state(request)
    rec = _citizen(request, cid, session, "sheet")
    p = _stored_profile(rec)
    try:
        sheet = jobdev_sheet(p, include=include, consultant=p.consultant or rec.consultant,
                             today=web.today())
    except ConsentError as exc:
        return render(request, "sheet.html", {"rec": rec, "sheet": None, "refusal": exc,
                                              "consent": p.disclosure.consent})
    return render(request, "sheet.html", {"rec": rec, "sheet": sheet, "refusal": None,
                                          "texts": sheet_free_texts(p),
                                          "chosen": set(sheet.included)})


# --- support after the start ----------------------------------------------------------------

def _job_of(request: Request, cid: str, job_id: int) -> Any:
    job = web_state(request).store.get_job_start(job_id)
    if job.citizen_id != cid:
        raise NotFoundError(code="job.not_citizens", params={"id": job_id, "citizen": cid})
    return job


def _followup_page(request: Request, rec: Any, session: Session, *,
                   errors: F.FormErrors | None = None, failed: str = "",
                   echo: dict[str, str] | None = None, notice: str | None = None,
                   status: int = 200) -> Response:
    store = web_state(request).store
    ups = store.job_follow_ups(rec.id)
    plans: dict[int, list[tuple[str, str]]] = {}
    for u in ups:
        if echo and failed == f"job-{u.job.id}" and echo.get("sp_rows", "").isdigit():
            rows = [(echo.get(f"sp-{i}-support", ""), echo.get(f"sp-{i}-who", "consultant"))
                    for i in range(min(int(echo["sp_rows"]), 50))]
        else:
            rows = [(it.support, it.who) for it in (u.plan.items if u.plan else ())]
            rows += [("", "consultant")] * F.BLANK_ROWS
        plans[int(u.job.id or 0)] = rows
    return render(request, "followup.html", {
        "plans": plans,
        "rec": rec, "ups": ups, "errors": errors or F.FormErrors(), "failed": failed,
        "echo": echo or {}, "notice": notice, "wages": F.WAGE_CHOICES,
        "withs": F.WITH_CHOICES, "whos": F.WHO_CHOICES, "kinds": _kinds(),
        "open_jobs": [u.job for u in ups if u.job.end_date is None],
        "blank_rows": F.BLANK_ROWS,
    }, status=status)


def _kinds() -> tuple[tuple[str, str], ...]:
    from ipsmatch.web.views import KIND_CHOICES

    return KIND_CHOICES


@router.get("/citizens/{cid}/followup", response_class=HTMLResponse)
def followup_page(request: Request, cid: str, session: SessionDep, saved: int = 0
                  ) -> Response:
    rec = _citizen(request, cid, session, "followup_show")
    return _followup_page(request, rec, session, notice="Det er gemt." if saved else None)


def _day(form: dict[str, str], key: str, default: date | None) -> date | None:
    from ipsmatch.web.views import parse_day

    return parse_day(form.get(key), key) or default


def _hours(form: dict[str, str], key: str) -> float | None:
    from ipsmatch.web.views import parse_float

    try:
        return parse_float(form.get(key), key)
    except InputError as exc:
        raise FeedError(exc.message, field=key, code=exc.code, params=exc.params) from None


async def _record(request: Request, cid: str, session: Session, failed: str, action: str,
                  build: Any, free: tuple[str, ...] = (),
                  stand_ins: dict[str, str] | None = None) -> Response:
    """Read the form; ``build(form, store, today)`` makes and checks the record and returns
    what stores it. On success log ``action`` and go back to the page, else show the page
    with every field's error at its field (:func:`ipsforms.validate_all`, the form's keys
    taken out one by one; ``stand_ins``: a valid value for a required field left empty) and
    the typed values.

    ``free``: the form's free-text fields (prefixes), checked first by the one gate
    (``check_free_text``) so a health word is shown at the field it was typed in."""
    from ipsmatch.ips.freetext import check_free_text

    form, refused = await checked_form_fields(request, session)
    web = web_state(request)
    lang = session.user.lang
    rec = _citizen(request, cid, session, "followup_show")
    errors = F.FormErrors(fields=dict(refused))
    for key, value in form.items():
        if key.startswith(free) and free and key not in errors.fields:
            try:
                check_free_text(key, value)
            except InputError as exc:
                errors.add(key, F.error_text(exc, lang))

    def key_of(exc: Any, _rows: Any = None) -> str | None:
        # a record's own field, or the field the free-text gate's refusal names
        return _field_key(failed, getattr(exc, "field", None) or F.text_field(exc))

    save = None
    try:
        save, found = F.validate_all(form, lambda f: build(f, web.store, web.today()),
                                     key_of, by_key=True, stand_ins=stand_ins,
                                     catch=(InputError,))
    except UsageError as exc:
        errors.add(None, F.error_line(exc, lang))
    else:
        for at, err in found:
            F.place_error(errors, err, at, lang)
    if not errors and save is not None:
        try:
            save()
        except (InputError, UsageError) as exc:
            F.place_error(errors, exc, key_of(exc), lang)
        else:
            web.store.log_access(session.user.name, action, cid)
            return _see_other(f"/citizens/{cid}/followup?saved=1#{failed}")
    return _followup_page(request, rec, session, errors=errors, failed=failed, echo=form,
                          status=400)


def _field_key(failed: str, err_field: str | None) -> str | None:
    """A record's field (``items[1].support``) as the form's (``sp-1-support``)."""
    if not err_field:
        return None
    if err_field.startswith("items["):
        i, _, sub = err_field[len("items["):].partition("].")
        return f"sp-{i}-{sub or 'support'}"
    return {"from_date": "hours_from", "contact_date": "contact_date",
            "start_date": "start_date", "end_date": "end_date"}.get(err_field, err_field)


@router.post("/citizens/{cid}/jobs", response_class=HTMLResponse)
async def job_start(request: Request, cid: str, session: SessionDep) -> Response:
    from ipsmatch.jobdev import JobStart

    def build(form: dict[str, str], store: Any, today: date) -> Any:
        wage = form.get("wage_form", "ordinary")
        job = JobStart(
            citizen_id=cid, start_date=_day(form, "start_date", today) or today,
            title=form.get("title", "").strip(),
            employer_name=form.get("employer_name", "").strip() or None,
            employer_cvr=form.get("employer_cvr", "").replace(" ", "") or None,
            hours_per_week=_hours(form, "hours_per_week"), competitive=wage == "ordinary",
            wage_form=wage, contact_person=form.get("contact_person", "").strip() or None
        ).validate(today=today)
        return lambda: store.add_job_start(job, today=today)

    # a title and an employer left empty do not hide the errors after them
    return await _record(request, cid, session, "jobstart", "outcome", build,
                         free=("contact_person",),
                         stand_ins={"title": "-", "employer_cvr": "12345678"})


@router.post("/citizens/{cid}/jobs/{job_id}/hours", response_class=HTMLResponse)
async def job_hours(request: Request, cid: str, job_id: int, session: SessionDep
                    ) -> Response:
    from ipsmatch.ips.followalong import HoursChange

    job = _job_of(request, cid, job_id)

    def build(form: dict[str, str], store: Any, today: date) -> Any:
        hours = _hours(form, "hours_per_week")
        if hours is None:
            raise FeedError(code="form.hours_missing", field="hours_per_week")
        change = HoursChange(job_id, _day(form, "hours_from", today) or today,
                             hours).validate(job, today=today)
        return lambda: store.add_job_hours(change, today=today)

    return await _record(request, cid, session, f"job-{job_id}", "job_hours", build,
                         stand_ins={"hours_per_week": "1"})


@router.post("/citizens/{cid}/jobs/{job_id}/plan", response_class=HTMLResponse)
async def job_plan(request: Request, cid: str, job_id: int, session: SessionDep
                   ) -> Response:
    from ipsmatch.ips.followalong import SupportItem, SupportPlan

    _job_of(request, cid, job_id)

    def build(form: dict[str, str], store: Any, today: date) -> Any:
        rows = int(form.get("sp_rows", "0")) if form.get("sp_rows", "").isdigit() else 0
        items = [SupportItem(form.get(f"sp-{i}-support", "").strip(),
                             form.get(f"sp-{i}-who", "consultant"))
                 for i in range(min(rows, 50)) if form.get(f"sp-{i}-support", "").strip()]
        plan = SupportPlan(job_id, tuple(items), _day(form, "next_follow_up", None),
                           _hours(form, "goal_hours"),
                           form.get("note", "").strip() or None).validate()
        return lambda: store.set_support_plan(plan)

    return await _record(request, cid, session, f"job-{job_id}", "support_plan", build,
                         free=("note", "sp-"))


@router.post("/citizens/{cid}/jobs/{job_id}/end", response_class=HTMLResponse)
async def job_end(request: Request, cid: str, job_id: int, session: SessionDep) -> Response:
    from dataclasses import replace

    job = _job_of(request, cid, job_id)

    def build(form: dict[str, str], store: Any, today: date) -> Any:
        end = _day(form, "end_date", today) or today
        reason = form.get("end_reason", "").strip() or None
        replace(job, end_date=end, end_reason=reason).validate(today=today)
        return lambda: store.end_job_start(job_id=job_id, end_date=end, reason=reason,
                                           today=today)

    return await _record(request, cid, session, f"job-{job_id}", "outcome", build,
                         free=("end_reason",))


@router.post("/citizens/{cid}/followalong", response_class=HTMLResponse)
async def followalong(request: Request, cid: str, session: SessionDep) -> Response:
    from ipsmatch.ips.followalong import FollowAlong

    def build(form: dict[str, str], store: Any, today: date) -> Any:
        raw_job = form.get("job_id", "")
        job_id = int(raw_job) if raw_job.isdigit() else None
        if job_id is not None:
            _job_of(request, cid, job_id)
        contact = FollowAlong(
            cid, _day(form, "contact_date", today) or today, form.get("with_whom", "citizen"),
            form.get("kind", "face-to-face"), session.user.name, job_id,
            form.get("note", "").strip() or None).validate(today=today)
        return lambda: store.add_followalong(contact, today=today)

    return await _record(request, cid, session, "followalong", "followalong", build,
                         free=("note",))


# --- the citizen's report -------------------------------------------------------------------

def _report_page(request: Request, cid: str, session: Session, values: dict[str, str],
                 refused: dict[str, str] | None = None) -> Response:
    from ipsmatch.ips.reports import KINDS

    web = web_state(request)
    rec = _citizen(request, cid, session, "report")
    p = _stored_profile(rec)
    errors = F.FormErrors(fields=dict(refused or {}))
    report = None
    kind = values.get("kind") or "interval"
    kind = kind if kind in KINDS else "interval"
    try:
        until = _day(values, "to", web.today()) or web.today()
        since = _day(values, "from", None)
        steps = [x.strip() for x in values.get("next_steps", "").replace("\r", "").split("\n")
                 if x.strip()]
        report = web.store.citizen_report(p, kind=kind, period_from=since, period_to=until,
                                          next_steps=steps,
                                          comment=values.get("comment") or None)
    except (InputError, UsageError) as exc:
        # a bad date names its field; the free-text gate's refusal says which text in params
        key = {"comment": "comment", "next_steps": "next_steps", "from": "from",
               "to": "to"}.get(getattr(exc, "field", None) or F.text_field(exc) or "")
        errors.add(key, F.error_text(exc, session.user.lang))
    return render(request, "report.html", {"rec": rec, "report": report, "values": values,
                                           "kind": kind, "kinds": KINDS, "errors": errors},
                  status=400 if errors else 200)


@router.get("/citizens/{cid}/report", response_class=HTMLResponse)
def report_get(request: Request, cid: str, session: SessionDep) -> Response:
    return _report_page(request, cid, session, dict(request.query_params))


@router.post("/citizens/{cid}/report", response_class=HTMLResponse)
async def report_post(request: Request, cid: str, session: SessionDep) -> Response:
    """The report with the citizen's comment and the next steps (sent in the body; the
    report itself is not stored: print it, or save it as PDF from the browser)."""
    form, refused = await checked_form_fields(request, session)
    return _report_page(request, cid, session, form, refused)


# --- the funder export (team leaders) -------------------------------------------------------

@router.get("/funder", response_class=HTMLResponse)
def funder_page(request: Request, session: LeaderDep) -> Response:
    from ipsmatch.ips.funder import COLUMNS

    today = web_state(request).today()
    month = f"{today.year}-{today.month:02d}"
    cfg = web_state(request).settings.funder_rule()
    return render(request, "funder.html", {"first": month, "last": month, "columns": COLUMNS,
                                           "rule": cfg})


@router.get("/funder/export.csv")
def funder_export(request: Request, session: LeaderDep,
                  first: Annotated[str, Query(alias="from")] = "",
                  last: Annotated[str, Query(alias="to")] = "") -> Response:
    from ipsmatch.ips.funder import months, to_csv

    web = web_state(request)
    try:
        ranges = months(first, last or first)
    except UsageError as exc:
        from ipsmatch.ips.funder import COLUMNS

        return render(request, "funder.html", {"first": first, "last": last,
                                               "error": F.error_line(exc, session.user.lang),
                                               "columns": COLUMNS,
                                               "rule": web.settings.funder_rule()},
                      status=400)
    rows = web.store.funder_rows(ranges, web.settings.funder_rule(), as_of=web.today())
    web.store.log_access(session.user.name, "funder_export", None)
    name = f"ipsmatch-funder-{first}-{last or first}.csv"
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
