"""The one ASGI application: workspace pages (#15) and the JSON API under /api/v1 (#16).

``create_app(settings)`` builds it. The API's router (``ipsmatch.web.api:router``, an
``APIRouter`` with prefix ``/api/v1``) is included when that module exists. Shared pieces on
``app.state``: ``settings`` (ipsmatch.config.Settings) and ``web`` (a :class:`WebState` with
the Store, the per-worker matcher holder and the templates).

Secure by default (see docs/web.md):

- every route needs a login except ``/login``, ``/static/...`` and ``/healthz`` (the API
  answers 401 without a token instead of redirecting);
- the session cookie is HttpOnly and SameSite=Lax, and Secure whenever the request came over
  HTTPS (TLS in uvicorn, or a reverse proxy trusted with ``--forwarded-allow-ips`` that sends
  ``X-Forwarded-Proto: https``);
- every POST form carries the session's CSRF token (the login form a cookie-bound one);
- every form field is checked for CPR numbers before anything else looks at it;
- CSP without inline script or style, frame-ancestors 'none', Referrer-Policy no-referrer.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import secrets
import threading
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ipsmatch.errors import IpsmatchError, NotFoundError, PrivacyError
from ipsmatch.web.auth import Forbidden, Role
from ipsmatch.web.i18n import translator

if TYPE_CHECKING:
    from ipsmatch.config import Settings
    from ipsmatch.web.users import Session

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
SESSION_COOKIE = "ipsm_session"
LOGIN_CSRF_COOKIE = "ipsm_login_csrf"
#: reachable without a session
PUBLIC_PATHS = frozenset({"/login", "/healthz"})
PUBLIC_PREFIXES = ("/static/",)

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class LoginRequired(Exception):
    """No live session: pages redirect to the login page."""


class CsrfRefused(Exception):
    """A state-changing form without the session's CSRF token."""


class WebState:
    """What every request shares in one worker: store, matcher holder, templates."""

    def __init__(self, settings: Settings) -> None:
        from ipsmatch.store import Store
        from ipsmatch.web.holder import MatcherHolder

        self.settings = settings
        self.store = Store.open(settings.db)
        self.matchers = MatcherHolder(settings)
        self._open_lock = threading.Lock()
        self.templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
        self.templates.env.globals["static"] = _static_url

    def today(self) -> date:
        return self.settings.today or date.today()

    @contextlib.contextmanager
    def matcher(self) -> Iterator[Any]:
        """The worker's matcher for one request (opened on first use)."""
        if self.matchers.stamp is None:
            with self._open_lock:
                if self.matchers.stamp is None:
                    self.matchers.open()
        with self.matchers.lease() as m:
            yield m

    def close(self) -> None:
        self.matchers.close()
        self.store.close()


def _static_url(path: str) -> str:
    return f"/static/{path}"


def create_app(settings: Settings) -> FastAPI:
    """The workspace and the API over the database of ``settings`` (schema must be current)."""
    web = WebState(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        web.close()

    app = FastAPI(title="ipsmatch", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.web = web
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request,
                               call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        if request.url.scheme == "https":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if not request.url.path.startswith(PUBLIC_PREFIXES):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    _exception_handlers(app)
    from ipsmatch.web.ipspages import router as ips_pages
    from ipsmatch.web.pages import pages

    app.include_router(pages)
    app.include_router(ips_pages)
    _include_api(app)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (``serve --workers N``): settings from IPSMATCH_*."""
    from ipsmatch.config import Settings

    return create_app(Settings.load())


def _include_api(app: FastAPI) -> None:
    try:
        api = importlib.import_module("ipsmatch.web.api")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("ipsmatch.web.api"):
            return  # the API (#16) is not in this checkout
        raise
    router = getattr(api, "router", None)
    if router is not None:  # None while the API package is being written
        app.include_router(router)


def app_routes(app: FastAPI) -> list[tuple[str, frozenset[str]]]:
    """Every (path, methods) of the app's endpoints, through included routers (FastAPI
    includes them lazily), for the tests that enumerate routes."""
    from starlette.routing import Route

    out: list[tuple[str, frozenset[str]]] = []

    def walk(routes: Any, prefix: str) -> None:
        for r in routes:
            if isinstance(r, Route):
                out.append((prefix + r.path, frozenset(r.methods or ())))
            elif hasattr(r, "original_router"):
                walk(r.original_router.routes, prefix + r.include_context.prefix)

    walk(app.routes, "")
    return out


# --- sessions, roles, forms -----------------------------------------------------------------

def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def current_session(request: Request) -> Session:
    """The request's live session (dependency); LoginRequired without one."""
    from ipsmatch.web.users import get_session

    cached = getattr(request.state, "session", None)
    if cached is not None:
        return cached
    session = get_session(web_state(request).store.engine, request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise LoginRequired()
    request.state.session = session
    return session


def require(role: Role) -> Callable[[Request], Session]:
    """A dependency: the session, if its user has ``role`` (or higher); else 403."""
    def dep(request: Request) -> Session:
        session = current_session(request)
        if not session.principal.has_role(role):
            raise Forbidden(role)
        return session

    return dep


async def _csrf_form(request: Request, session: Session) -> dict[str, str]:
    """The POSTed form after the CSRF check; repeated fields (checkbox groups) joined with
    newlines."""
    from ipsmatch.web.users import csrf_ok

    form = await request.form()
    if not csrf_ok(session, str(form.get("csrf") or "")):
        raise CsrfRefused()
    out: dict[str, str] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = "\n".join(values)
    out.pop("csrf", None)
    return out


async def checked_form(request: Request, session: Session) -> dict[str, str]:
    """The POSTed form, after the CSRF token and a CPR check of every field.

    Fields repeated in the form (checkbox groups) are joined with newlines."""
    from ipsmatch.privacy import assert_no_cpr

    out = await _csrf_form(request, session)
    assert_no_cpr(out, "form")
    return out


async def checked_form_fields(request: Request, session: Session
                              ) -> tuple[dict[str, str], dict[str, str]]:
    """The POSTed form after the CSRF check, and the fields that held a CPR number: those
    are emptied (a refused value is never shown again) and their refusal is returned by
    field, so a long form keeps everything else that was typed."""
    from ipsmatch.messages import message_text
    from ipsmatch.privacy import cpr_error, cpr_field

    out = await _csrf_form(request, session)
    refused: dict[str, str] = {}
    for key, value in out.items():
        if cpr_field(value) is not None:
            refused[key] = message_text(cpr_error("form", key), session.user.lang)
            out[key] = ""
    return out, refused


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    from ipsmatch.web.users import IDLE_TIMEOUT, MAX_AGE

    del IDLE_TIMEOUT  # the idle timeout is enforced on the server; the cookie lives MAX_AGE
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/",
                        max_age=int(MAX_AGE.total_seconds()))


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def render(request: Request, name: str, ctx: dict[str, Any] | None = None, *,
           status: int = 200, session: Session | None = None) -> HTMLResponse:
    """A page from ``templates/`` with the shared context (user, CSRF token, translator)."""
    web = web_state(request)
    session = session or getattr(request.state, "session", None)
    lang = session.user.lang if session else "da"
    base: dict[str, Any] = {"session": session, "user": session.user if session else None,
                            "csrf": session.csrf if session else "", "lang": lang,
                            "_": translator(lang), "today": web.today(),
                            "path": request.url.path}
    base.update(ctx or {})
    return web.templates.TemplateResponse(request, name, base, status_code=status)


def _exception_handlers(app: FastAPI) -> None:
    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if is_api(request):
            return api_refusal(request, 401, "unauthorized", "api.login_needed",
                               headers={"WWW-Authenticate": "Bearer"})
        nxt = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/login?next={nxt}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        if is_api(request):
            return api_refusal(request, 403, "forbidden", "api.forbidden", {"role": exc.needed})
        return render(request, "error.html", {"status": 403, "code": "forbidden",
                                              "needed": exc.needed}, status=403)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        return render(request, "error.html", {"status": 403, "code": "csrf"}, status=403)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return render(request, "error.html", {"status": 404, "code": "not_found",
                                              "message": _in_lang(request, exc)}, status=404)

    @app.exception_handler(PrivacyError)
    async def privacy(request: Request, exc: PrivacyError) -> Response:
        # back to the page the form was on (/citizens/x/profile -> /citizens/x)
        path = request.url.path
        back = (path.rsplit("/", 1)[0] or path) if request.method == "POST" else "/caseload"
        return render(request, "error.html", {"status": 400, "code": "privacy", "back": back,
                                              "message": _in_lang(request, exc)}, status=400)

    @app.exception_handler(StarletteHTTPException)
    async def no_route(request: Request, exc: StarletteHTTPException) -> Response:
        """An address no route serves: the API's error shape, or the workspace's page."""
        params = {"method": request.method, "path": request.url.path}
        if is_api(request) and exc.status_code in (404, 405):
            code = "not_found" if exc.status_code == 404 else "method_not_allowed"
            return api_refusal(request, exc.status_code, code, "api.no_route", params,
                               headers=dict(exc.headers or {}))
        if exc.status_code != 404 or is_api(request):
            return await http_exception_handler(request, exc)
        with contextlib.suppress(LoginRequired):  # the signed-in user's menu and language
            current_session(request)
        message = _in_lang(request, IpsmatchError(code="web.no_page", params=params))
        return render(request, "error.html", {"status": 404, "code": "not_found",
                                              "message": message}, status=404)

    @app.exception_handler(IpsmatchError)
    async def other(request: Request, exc: IpsmatchError) -> Response:
        return render(request, "error.html", {"status": 400, "code": "error",
                                              "message": _in_lang(request, exc)}, status=400)


def api_refusal(request: Request, status: int, code: str, text: str,
                params: dict[str, Any] | None = None, *,
                headers: dict[str, str] | None = None) -> Response:
    """The API's error shape for a refusal outside its router (login, role, no route), in
    the request's language."""
    from ipsmatch.web.api.core import ApiError, api_error, request_lang

    return api_error(ApiError(status, code, text, params, headers=headers), request_lang(request))


def _in_lang(request: Request, exc: IpsmatchError) -> str:
    """The error in the logged-in user's language (Danish before a login), as the forms
    show it."""
    from ipsmatch.web.ipsforms import error_line

    session = getattr(request.state, "session", None)
    return error_line(exc, session.user.lang if session else "da")
