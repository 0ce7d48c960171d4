"""What every API route shares: token auth and rate limit, the error mapping, the JSON body.

Errors are JSON ``{"error": {"code", "message", "hint", "field"}}`` with the status the
library error means (:data:`ERROR_STATUS`); the message says what to fix, as the CLI's does,
in English, or in Danish when the request's ``Accept-Language`` prefers it
(:func:`request_lang`); ``code`` and ``field`` are the same in both.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.responses import Response

from ipsmatch.errors import (
    ConfigError,
    FeedError,
    IndexNotReadyError,
    InputError,
    IpsmatchError,
    ModelUnavailableError,
    NotFoundError,
    PrivacyError,
    ProfileError,
    SchemaError,
    StoreError,
    UsageError,
)
from ipsmatch.output import dumps
from ipsmatch.web.app import WebState, web_state
from ipsmatch.web.auth import Forbidden, Principal

#: library error -> (HTTP status, code); the first matching class wins
ERROR_STATUS: tuple[tuple[type[Exception], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (SchemaError, 503, "database_not_ready"),
    (StoreError, 503, "database_busy"),
    (IndexNotReadyError, 503, "index_not_ready"),
    (ModelUnavailableError, 503, "model_unavailable"),
    (PrivacyError, 422, "personal_data_refused"),
    (InputError, 422, "invalid_input"),
    (ConfigError, 400, "bad_setting"),
    (UsageError, 400, "bad_request"),
    (IpsmatchError, 400, "error"),
)


class ContractJSON(JSONResponse):
    """The CLI's ``--format json`` text (``ipsmatch.output.dumps``) as an HTTP body."""

    def render(self, content: Any) -> bytes:
        return dumps(content, indent=None).encode("utf-8")


class ApiError(Exception):
    """An HTTP error of the API layer itself (auth, conflict, rate limit).

    ``code`` is for programs (``unauthorized``); ``text`` is the
    :data:`ipsmatch.messages.MESSAGES` code of the message and hint (with ``params``), or a
    coded library error to pass on: they are sent in the request's language."""

    def __init__(self, status: int, code: str, text: str | IpsmatchError,
                 params: dict[str, Any] | None = None, *, field: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        self.error = text if isinstance(text, IpsmatchError) else IpsmatchError(
            code=text, params=params)
        super().__init__(self.error.message)
        self.status, self.code, self.field, self.headers = status, code, field, headers or {}


def error_response(status: int, code: str, message: str, *, hint: str | None = None,
                   field: str | None = None, headers: dict[str, str] | None = None
                   ) -> ContractJSON:
    return ContractJSON({"error": {"code": code, "message": message, "hint": hint,
                                   "field": field}}, status_code=status, headers=headers)


def request_lang(request: Request) -> str:
    """The language of an error's message and hint: ``da`` when the request's
    ``Accept-Language`` prefers Danish to English, else ``en`` (the API's messages were
    English before they had a Danish text, and a program that sends no header keeps them).
    ``error.code`` and ``error.field`` are the same in both."""
    tags = []
    for i, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        tags.append((-q, i, tag.split("-")[0].strip().lower()))
    for _, _, primary in sorted(tags):
        if primary in ("da", "en"):
            return primary
    return "en"


def api_error(exc: ApiError, lang: str = "en") -> ContractJSON:
    """An :class:`ApiError` as JSON, its message and hint in ``lang``."""
    from ipsmatch.messages import message_and_hint

    message, hint = message_and_hint(exc.error, lang)
    return error_response(exc.status, exc.code, message, hint=hint, field=exc.field,
                          headers={**exc.headers, "Content-Language": lang})


def library_error(exc: IpsmatchError, lang: str = "en") -> ContractJSON:
    """A library error as the API's JSON error, its message and hint in ``lang``."""
    status, code = next((s, c) for t, s, c in ERROR_STATUS if isinstance(exc, t))
    field = exc.field if isinstance(exc, FeedError | ProfileError) else None
    return api_error(ApiError(status, code, exc, field=field), lang)


def validation_error(exc: RequestValidationError) -> ContractJSON:
    """A request FastAPI could not parse: a bad query or path value is a usage error (400,
    like the CLI's bad option); a body field that is wrong is 422."""
    errs = exc.errors()
    first = errs[0] if errs else {}
    loc = list(first.get("loc", ()))
    part = str(loc[0]) if loc else "body"
    field = ".".join(str(p) for p in loc[1:]) or None
    where = {"body": "in the JSON body", "query": "in the query string",
             "path": "in the URL"}.get(part, "")
    more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
    msg = f"{field + ': ' if field else ''}{first.get('msg', 'invalid request')} {where}"
    return error_response(422 if part == "body" else 400, "invalid_request",
                          msg.strip() + more,
                          hint="see /api/v1/openapi.json for the fields and their types",
                          field=field)


class ApiRoute(APIRoute):
    """An API route whose errors are JSON with the right status (never the HTML pages')."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as exc:
                return api_error(exc, request_lang(request))
            except Forbidden as exc:
                return api_error(ApiError(403, "forbidden", "api.forbidden",
                                          {"role": exc.needed}), request_lang(request))
            except RequestValidationError as exc:
                return validation_error(exc)
            except IpsmatchError as exc:
                return library_error(exc, request_lang(request))

        return route


# --- who is asking --------------------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, description="A token from `ipsmatch tokens create`")


def _limiter(request: Request) -> Any:
    limiter = getattr(request.app.state, "api_limiter", None)
    if limiter is None:
        from ipsmatch.web.tokens import DEFAULT_RATE, RateLimiter

        raw = os.environ.get("IPSMATCH_API_RATE")
        try:
            rate = int(raw) if raw else DEFAULT_RATE
        except ValueError:
            raise ConfigError(f"IPSMATCH_API_RATE={raw!r} is not a number",
                              hint="requests per token and minute, e.g. 600") from None
        limiter = RateLimiter(request.app.state.settings.db, per_minute=rate)
        request.app.state.api_limiter = limiter
    return limiter


def api_principal(request: Request,
                  cred: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
                  web: Annotated[WebState, Depends(web_state)]) -> Principal:
    """The token's principal (dependency of every API route); 401 without a valid token,
    429 over the token's rate limit."""
    from ipsmatch.web.tokens import check_token

    challenge = {"WWW-Authenticate": "Bearer"}
    if cred is None:
        raise ApiError(401, "unauthorized", "api.token_missing", headers=challenge)
    info = check_token(web.store.engine, cred.credentials)
    if info is None:
        raise ApiError(401, "unauthorized", "api.token_unknown", headers=challenge)
    allowed, retry = _limiter(request).hit(info)
    if not allowed:
        raise ApiError(429, "rate_limited", "api.rate_limited",
                       {"max": _limiter(request).per_minute, "name": info.name,
                        "retry": retry}, headers={"Retry-After": str(retry)})
    principal = info.principal()
    request.state.principal = principal
    return principal


def lang_of(lang: str | None, web: WebState) -> str:
    return lang or web.settings.lang or "da"


#: the responses every route may give, for the OpenAPI document
def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    from ipsmatch.web.api.models.errors import ErrorOut

    text = {400: "a bad parameter value", 401: "no token, or an unknown or revoked one",
            403: "the token's role may not do this", 404: "no such citizen, job or vacancy",
            409: "it exists already", 422: "a field is wrong (named in error.field)",
            429: "over the token's rate limit", 503: "the database or index is not ready"}
    return {s: {"model": ErrorOut, "description": text[s]}
            for s in sorted({400, 401, 422, 429, *statuses})}
