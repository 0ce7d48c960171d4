"""The workspace's pages: thin handlers over the library calls the CLI makes.

Every route here except ``/login`` needs a live session (the router's dependency), so a new
page is covered without remembering to. Every view or change of a citizen is written to the
access log with the user's name. Case ids are the only personal reference in URLs; search
text goes in a POST body, not the URL.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipsmatch.errors import InputError, IpsmatchError, NotFoundError, UsageError
from ipsmatch.web import views
from ipsmatch.web.app import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    checked_form,
    current_session,
    new_login_csrf,
    render,
    require,
    set_session_cookie,
    web_state,
)
from ipsmatch.web.users import Session

router = APIRouter(dependencies=[Depends(current_session)])
SessionDep = Annotated[Session, Depends(current_session)]
LeaderDep = Annotated[Session, Depends(require("leader"))]
AdminDep = Annotated[Session, Depends(require("admin"))]

SUGGEST_LIMIT = 10


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _shown(error: Any, lang: str) -> str | None:
    """An error as a page shows it: in the user's language, as in a form
    (:func:`ipsmatch.web.ipsforms.error_line`)."""
    from ipsmatch.web.ipsforms import error_line

    return None if error is None else error_line(error, lang)


# --- login / logout -------------------------------------------------------------------------

def _safe_next(nxt: str | None) -> str:
    # only a local path: no open redirect to another site
    if not nxt or not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt:
        return "/"
    return nxt


def _login_page(request: Request, *, error: str | None = None, status: int = 200,
                nxt: str = "/") -> Response:
    token = new_login_csrf()
    resp = render(request, "login.html", {"error": error, "login_csrf": token, "next": nxt},
                  status=status)
    resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", path="/login", max_age=3600)
    return resp


async def login_get(request: Request) -> Response:
    return _login_page(request, nxt=_safe_next(request.query_params.get("next")))


async def login_post(request: Request) -> Response:
    import secrets

    from ipsmatch.web.users import LoginRefused, authenticate, create_session

    web = web_state(request)
    form = await request.form()
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    sent = str(form.get("csrf") or "")
    nxt = _safe_next(str(form.get("next") or "/"))
    if not cookie or not secrets.compare_digest(cookie, sent):
        return _login_page(request, error="csrf", status=403, nxt=nxt)
    try:
        user = authenticate(web.store.engine, str(form.get("username") or ""),
                            str(form.get("password") or ""))
    except LoginRefused as exc:
        return _login_page(request, error="locked" if exc.locked else "refused",
                           status=429 if exc.locked else 401, nxt=nxt)
    token = create_session(web.store.engine, user)
    resp = _see_other(nxt)
    set_session_cookie(request, resp, token)
    resp.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return resp


@router.post("/logout")
async def logout(request: Request, session: SessionDep) -> Response:
    from ipsmatch.web.users import end_session

    await checked_form(request, session)
    end_session(web_state(request).store.engine, request.cookies.get(SESSION_COOKIE))
    resp = _see_other("/login")
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


@router.post("/settings/lang")
async def set_language(request: Request, session: SessionDep
                       ) -> Response:
    from ipsmatch.web.users import set_lang

    form = await checked_form(request, session)
    set_lang(web_state(request).store.engine, session.user.name, form.get("lang", "da"))
    return _see_other(_safe_next(form.get("back")))


# --- caseload -------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
def home() -> Response:
    return _see_other("/caseload")


@router.get("/caseload", response_class=HTMLResponse)
def caseload_page(request: Request, session: SessionDep, mine: int = 0) -> Response:
    from ipsmatch.jobdev.caseload import caseload

    web = web_state(request)
    store = web.store
    cits = store.list_citizens(consultant=session.user.name if mine else None)
    rows = caseload(cits, store.list_contacts(), today=web.today())
    return render(request, "caseload.html", {"rows": rows, "mine": bool(mine)})


# --- citizen --------------------------------------------------------------------------------

def _citizen(request: Request, cid: str, session: Session, action: str) -> Any:
    """The stored record; notes the access in the log (as the CLI's load_citizen does)."""
    store = web_state(request).store
    rec = store.get_citizen(cid)
    store.log_access(session.user.name, action, cid)
    return rec


def _suggest(request: Request, profile: Any, limit: int = SUGGEST_LIMIT) -> Any:
    with web_state(request).matcher() as m:
        return m.suggest(profile, limit=limit, per_employer=2)


def _citizen_page(request: Request, rec: Any, session: Session, *, form_values: Any = None,
                  error: Any = None, notice: str | None = None, status: int = 200) -> Response:
    from ipsmatch.errors import ProfileError
    from ipsmatch.profile import as_profile

    lang = session.user.lang
    result = None
    profile = None
    if rec.profile:
        try:
            profile = as_profile(rec.profile)
        except ProfileError as exc:  # stored before a rule changed: fix it in the form
            error = error or exc
        else:
            result = _suggest(request, profile)
    ctx = {
        "rec": rec,
        "profile": profile,
        "form": form_values or views.profile_form(rec.profile),
        "error": _shown(error, lang),
        "notice": notice,
        "result": result,
        "vacancies": [views.vacancy_view(s, i, lang) for i, s in
                      enumerate(result.vacancies, 1)] if result else [],
        "employers": [views.employer_view(e, i, lang) for i, e in
                      enumerate(result.employers, 1)] if result else [],
        "education": [views.education_view(e, i, lang) for i, e in
                      enumerate(result.education, 1)] if result else [],
        "questions": views.questions(result, lang) if result else [],
        "modes": views.MODE_CHOICES,
        "needs": views.need_choices(lang),
        "clock": views.clock(rec, web_state(request)),
    }
    return render(request, "citizen.html", ctx, status=status)


@router.get("/citizens/{cid}", response_class=HTMLResponse)
def citizen_page(request: Request, cid: str, session: SessionDep, saved: int = 0) -> Response:
    rec = _citizen(request, cid, session, "view")
    notice = {1: "Profilen er gemt.", 2: "Borgerens svar er gemt."}.get(saved)
    return _citizen_page(request, rec, session, notice=notice)


@router.post("/citizens/{cid}/profile", response_class=HTMLResponse)
async def citizen_save(request: Request, cid: str,
                       session: SessionDep) -> Response:
    from ipsmatch.errors import ProfileError
    from ipsmatch.profile import profile_from_dict, profile_to_dict

    form = await checked_form(request, session)
    web = web_state(request)
    rec = web.store.get_citizen(cid)
    d = views.profile_from_form(rec.profile, cid, form)
    try:
        profile = profile_from_dict(d)
    except ProfileError as exc:
        web.store.log_access(session.user.name, "view", cid)
        return _citizen_page(request, rec, session, form_values=views.form_echo(form),
                             error=exc, status=400)
    web.store.save_citizen(cid, profile_to_dict(profile),
                           profile.consultant or rec.consultant or session.user.name,
                           profile.start_date)
    web.store.log_access(session.user.name, "save", cid)
    return _see_other(f"/citizens/{cid}?saved=1")


@router.post("/citizens/{cid}/feedback")
async def citizen_feedback(request: Request, cid: str,
                           session: SessionDep) -> Response:
    from ipsmatch.jobdev import Feedback

    form = await checked_form(request, session)
    web = web_state(request)
    web.store.get_citizen(cid)
    verdict = form.get("verdict", "")
    vacancy = ((form["source"], form["external_id"])
               if form.get("source") and form.get("external_id") else None)
    fb = Feedback(citizen_id=cid, verdict=verdict, date=web.today(),
                  consultant=session.user.name, vacancy=vacancy,
                  employer_cvr=form.get("employer_cvr") or None,
                  employer_name=form.get("employer_name") or None,
                  reason=form.get("reason") or None)
    web.store.add_feedback(fb, today=web.today())
    web.store.log_access(session.user.name, "feedback", cid)
    return _see_other(f"/citizens/{cid}?saved=2#suggestions")


@router.get("/citizens/{cid}/map", response_class=HTMLResponse)
def citizen_map(request: Request, cid: str,
                session: SessionDep) -> Response:
    from ipsmatch.commute import max_distance_km
    from ipsmatch.geo import postcode_info
    from ipsmatch.profile import as_profile
    from ipsmatch.web.mapsvg import ATTRIBUTION, markers_for, render_map

    rec = _citizen(request, cid, session, "map")
    lang = session.user.lang
    if not rec.profile:
        raise NotFoundError(code="citizen.no_profile_yet", params={"id": cid})
    profile = as_profile(rec.profile)
    result = _suggest(request, profile)
    info = postcode_info(profile.home_postcode)
    svg = None
    # profile v2 may carry the home's own point; else the postcode's (what the matcher uses)
    lat, lon = getattr(profile, "home_lat", None), getattr(profile, "home_lon", None)
    if lat is not None and lon is not None:
        home: tuple[float, float] | None = (float(lat), float(lon))
    else:
        home = (info.point[0], info.point[1]) if info is not None else None
    if home is not None:
        reach = max_distance_km(profile.max_minutes, profile.travel_mode)
        title = (f"Kort over {cid}" if lang == "da" else f"Map of {cid}")
        svg = render_map(home, markers_for(result, lang), reach_km=reach, title=title,
                         lang=lang)
    return render(request, "map.html", {
        "rec": rec, "profile": profile, "svg": svg, "attribution": ATTRIBUTION,
        "vacancies": [views.vacancy_view(s, i, lang) for i, s in enumerate(result.vacancies, 1)],
        "employers": [views.employer_view(e, i, lang) for i, e in enumerate(result.employers, 1)],
    })


@router.get("/citizens/{cid}/print", response_class=HTMLResponse)
def citizen_print(request: Request, cid: str,
                  session: SessionDep) -> Response:
    from ipsmatch.profile import as_profile

    rec = _citizen(request, cid, session, "print")
    lang = session.user.lang
    if not rec.profile:
        raise NotFoundError(code="citizen.no_profile_yet", params={"id": cid})
    result = _suggest(request, as_profile(rec.profile))
    items = views.print_items(result, lang)
    return render(request, "print.html", {"rec": rec, "items": items,
                                          "questions": views.questions(result, lang)})


# --- employers and job development ----------------------------------------------------------

def _employer_page(request: Request, eid: int, session: Session, *, error: Any = None,
                   notice: str | None = None, form: dict[str, str] | None = None,
                   status: int = 200) -> Response:
    web = web_state(request)
    store = web.store
    emp = store.get_employer_by_id(eid)
    contacts = [c for c in store.list_contacts(employer=str(eid))]
    ads = store.list_vacancies(employer=str(eid), limit=50)
    cid = request.query_params.get("citizen") or (form or {}).get("citizen") or ""
    return render(request, "employer.html", {
        "emp": emp, "ads": ads, "contacts": list(reversed(contacts)),
        "learned": views.learned_view(emp, session.user.lang),
        "next_steps": [c for c in contacts if c.next_step or c.next_date],
        "error": _shown(error, session.user.lang), "notice": notice,
        "form": form or {"citizen": cid},
        "learned_keys": views.learned_choices(session.user.lang),
        "kinds": views.KIND_CHOICES, "purposes": views.PURPOSE_CHOICES,
    }, status=status)


@router.get("/employers/{eid}", response_class=HTMLResponse)
def employer_page(request: Request, eid: int, session: SessionDep, saved: int = 0) -> Response:
    return _employer_page(request, eid, session,
                          notice="Kontakten er registreret." if saved else None)


@router.post("/employers/{eid}/contacts", response_class=HTMLResponse)
async def employer_contact(request: Request, eid: int,
                           session: SessionDep) -> Response:
    from ipsmatch.jobdev import Contact

    form = await checked_form(request, session)
    web = web_state(request)
    emp = web.store.get_employer_by_id(eid)
    cid = form.get("citizen", "").strip() or None
    try:
        if cid is not None:
            web.store.get_citizen(cid)
        contact = Contact(
            date=views.parse_day(form.get("date"), "date") or web.today(),
            consultant=session.user.name, employer_cvr=emp.cvr, employer_name=emp.name,
            citizen_id=cid, kind=form.get("kind", "face-to-face"),
            purpose=form.get("purpose", "learn_business"),
            learned=views.learned_from_form(form),
            outcome=form.get("outcome") or None, next_step=form.get("next_step") or None,
            next_date=views.parse_day(form.get("next_date"), "next_date"),
            note=form.get("note") or None)
        web.store.add_contact(contact, today=web.today())
    except (InputError, UsageError, NotFoundError) as exc:
        return _employer_page(request, eid, session, error=exc, form=form, status=400)
    if cid is not None:
        web.store.log_access(session.user.name, "contact", cid)
    return _see_other(f"/employers/{eid}?saved=1")


@router.get("/jobdev", response_class=HTMLResponse)
def jobdev_page(request: Request, session: SessionDep) -> Response:
    from ipsmatch.jobdev.caseload import week_bounds, week_plan
    from ipsmatch.profile import as_profile

    web = web_state(request)
    store = web.store
    today = web.today()
    cits = [c for c in store.list_citizens() if c.active and c.profile]
    profiles = []
    for c in cits:
        try:
            profiles.append(as_profile(c.profile))
        except IpsmatchError:
            continue  # a profile that no longer validates is shown on its own page
    with web.matcher() as m:
        plan = week_plan(m, profiles, store.list_contacts(until=today), store.list_employers(),
                         today=today)
    for c in cits:
        store.log_access(session.user.name, "plan", c.id)
    monday, sunday = week_bounds(today)
    return render(request, "jobdev.html", {"plan": plan, "monday": monday, "sunday": sunday,
                                           "week": today.isocalendar().week,
                                           "lang": session.user.lang})


# --- search, fidelity, index ----------------------------------------------------------------

@router.get("/search", response_class=HTMLResponse)
def search_get(request: Request, session: SessionDep) -> Response:
    return render(request, "search.html", {"form": {}, "results": None,
                                           "needs": views.need_choices(session.user.lang)})


@router.post("/search", response_class=HTMLResponse)
async def search_post(request: Request, session: SessionDep
                      ) -> Response:
    form = await checked_form(request, session)
    lang = session.user.lang
    error = None
    results = None
    try:
        needs = [c for c in form.get("needs", "").split("\n") if c]
        with web_state(request).matcher() as m:
            found = m.search(form.get("q", ""), near=form.get("near") or None,
                             within_km=views.parse_float(form.get("within_km"), "within_km"),
                             max_hours=views.parse_float(form.get("max_hours"), "max_hours"),
                             needs=needs, limit=30)
        results = [views.vacancy_view(s, i, lang) for i, s in enumerate(found, 1)]
    except (UsageError, InputError) as exc:
        error = exc
    return render(request, "search.html", {"form": form, "results": results,
                                           "error": _shown(error, lang),
                                           "needs": views.need_choices(lang)},
                  status=400 if error else 200)


@router.get("/fidelity", response_class=HTMLResponse)
def fidelity_page(request: Request, session: LeaderDep
                  ) -> Response:
    web = web_state(request)
    qp = request.query_params
    error = None
    until = web.today()
    since = until - timedelta(days=28)
    try:
        until = views.parse_day(qp.get("to"), "to") or until
        since = views.parse_day(qp.get("from"), "from") or until - timedelta(days=28)
        report = web.store.fidelity(since, until)
    except (InputError, UsageError) as exc:
        error = exc
        until = web.today()
        since = until - timedelta(days=28)
        report = web.store.fidelity(since, until)
    return render(request, "fidelity.html", {"report": report, "since": since, "until": until,
                                             "error": _shown(error, session.user.lang),
                                             "rows": views.fidelity_rows(report),
                                             "headers": views.fidelity_headers(
                                                 session.user.lang)},
                  status=400 if error else 200)


@router.get("/index-status", response_class=HTMLResponse)
def index_status(request: Request, session: SessionDep) -> Response:
    web = web_state(request)
    st = web.store.status(now=web.settings.now())
    return render(request, "index_status.html", {"st": st})


# --- users (admin) --------------------------------------------------------------------------

def _users_page(request: Request, session: Session, *, error: Any = None,
                changed: Any = None, notice: str | None = None,
                form: dict[str, str] | None = None, status: int = 200) -> Response:
    """The users page; ``error`` is a failed add (shown at the add form), ``changed`` a
    failed change of a listed user (shown above the list)."""
    from ipsmatch.web.users import list_users

    return render(request, "users.html", {"users": list_users(web_state(request).store.engine),
                                          "error": _shown(error, session.user.lang),
                                          "change_error": _shown(changed, session.user.lang),
                                          "notice": notice,
                                          "form": form or {}}, status=status)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, session: AdminDep) -> Response:
    return _users_page(request, session)


@router.post("/admin/users", response_class=HTMLResponse)
async def users_add(request: Request, session: AdminDep) -> Response:
    from ipsmatch.web.users import add_user

    form = await checked_form(request, session)
    try:
        add_user(web_state(request).store.engine, form.get("name", ""),
                 form.get("role", "consultant"), form.get("password", ""),
                 lang=form.get("lang", "da"))
    except (UsageError, InputError) as exc:
        form.pop("password", None)
        return _users_page(request, session, error=exc, form=form, status=400)
    return _see_other("/admin/users")


@router.post("/admin/users/{name}/active", response_class=HTMLResponse)
async def users_active(request: Request, name: str, session: AdminDep) -> Response:
    from ipsmatch.web.users import set_active

    form = await checked_form(request, session)
    if name == session.user.name:
        return _users_page(request, session, changed=UsageError(code="user.disable_self"),
                           status=400)
    try:
        set_active(web_state(request).store.engine, name, form.get("active") == "1")
    except NotFoundError as exc:  # removed, or a name typed into the address
        return _users_page(request, session, changed=exc, status=404)
    return _see_other("/admin/users")


def _public_routes() -> APIRouter:
    r = APIRouter()
    r.add_api_route("/login", login_get, methods=["GET"], response_class=HTMLResponse)
    r.add_api_route("/login", login_post, methods=["POST"], response_class=HTMLResponse)
    return r


#: what create_app includes: the public login routes and the session-only pages
pages = APIRouter()
pages.include_router(_public_routes())
pages.include_router(router)
