"""API tokens for systems (a case system, a script): create, list, revoke, check, rate-limit.

A token is 32 random bytes (URL-safe base64, prefixed ``ipsm_`` so it is recognisable in a
leaked file); only its sha256 is stored, so a copy of the database holds no usable token. A
token has a name (what the access log and the contact log record for its requests, as a
user's name) and a role (``consultant``, ``leader``, ``admin``) that limits it exactly as a
user's role does (:mod:`ipsmatch.web.auth`).

    >>> token, info = create_token(store.engine, "sagssystem", "consultant")   # doctest: +SKIP
    >>> check_token(store.engine, token).name                                   # doctest: +SKIP
    'sagssystem'

Rate limiting counts requests per token and minute in the database (``api_rate``), so the
limit holds across all workers of ``ipsmatch serve --workers N``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ipsmatch.errors import NotFoundError, UsageError
from ipsmatch.store.schema import api_rate, api_tokens, users
from ipsmatch.web.auth import Principal, check_role

PREFIX = "ipsm_"
#: a token name is written to the access log: a short id, like a consultant id
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
#: requests per token per minute (IPSMATCH_API_RATE overrides; see docs/deployment.md)
DEFAULT_RATE = 600


@dataclass(frozen=True)
class TokenInfo:
    """A stored token without its secret."""

    id: int
    name: str
    role: str
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def principal(self) -> Principal:
        return Principal(name=self.name, role=check_role(self.role), kind="token")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role,
                "created_at": self.created_at.isoformat(timespec="seconds"),
                "revoked_at": (self.revoked_at.isoformat(timespec="seconds")
                               if self.revoked_at else None),
                "last_used_at": (self.last_used_at.isoformat(timespec="seconds")
                                 if self.last_used_at else None),
                "status": "active" if self.active else "revoked"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(r: Any) -> TokenInfo:
    return TokenInfo(id=r["id"], name=r["name"], role=r["role"], created_at=r["created_at"],
                     revoked_at=r["revoked_at"], last_used_at=r["last_used_at"])


def _now() -> datetime:
    return datetime.now(UTC)


def create_token(engine: sa.Engine, name: str, role: str) -> tuple[str, TokenInfo]:
    """A new token for ``name`` with ``role``: (the token, shown once; what is stored)."""
    from ipsmatch.privacy import assert_no_cpr

    name = (name or "").strip()
    if not NAME_RE.match(name):
        raise UsageError(code="token.name_invalid", params={"name": name})
    assert_no_cpr({"name": name}, "token")
    role = check_role(role)
    token = PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
            raise UsageError(code="token.user_name", params={"name": name})
        if conn.execute(sa.select(api_tokens.c.id).where(api_tokens.c.name == name)).first():
            raise UsageError(code="token.exists", params={"name": name})
        tid = conn.execute(api_tokens.insert().returning(api_tokens.c.id),
                           {"name": name, "role": role, "token_hash": token_hash(token),
                            "created_at": _now()}).scalar_one()
        row = conn.execute(sa.select(api_tokens).where(api_tokens.c.id == tid)
                           ).mappings().one()
    return token, _info(row)


def list_tokens(engine: sa.Engine) -> list[TokenInfo]:
    with engine.connect() as conn:
        return [_info(r) for r in conn.execute(
            sa.select(api_tokens).order_by(api_tokens.c.name)).mappings()]


def revoke_token(engine: sa.Engine, name: str) -> TokenInfo:
    """Revoke the token ``name`` (it stops working at once, in every worker)."""
    with engine.begin() as conn:
        row = conn.execute(sa.select(api_tokens).where(api_tokens.c.name == name)
                           ).mappings().first()
        if row is None:
            raise NotFoundError(code="token.unknown", params={"name": name})
        if row["revoked_at"] is None:
            conn.execute(api_tokens.update().where(api_tokens.c.id == row["id"]),
                         {"revoked_at": _now()})
        row = conn.execute(sa.select(api_tokens).where(api_tokens.c.id == row["id"])
                           ).mappings().one()
    return _info(row)


def check_token(engine: sa.Engine, token: str) -> TokenInfo | None:
    """The active token with this secret, or None (unknown, malformed or revoked)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    with engine.connect() as conn:
        row = conn.execute(sa.select(api_tokens)
                           .where(api_tokens.c.token_hash == token_hash(token))
                           ).mappings().first()
    if row is None or row["revoked_at"] is not None:
        return None
    return _info(row)


class RateLimiter:
    """At most ``per_minute`` requests per token and calendar minute, across all workers.

    One upsert per request on a small table (``api_rate``). On SQLite a refresh holds the
    one write lock for its whole transaction; the limiter then waits at most
    ``busy_timeout`` seconds and lets the request through uncounted rather than failing it
    (a slow or refused request during the nightly refresh would be worse than a few
    uncounted ones). PostgreSQL never waits: the refresh's lock is an advisory lock.
    """

    def __init__(self, url: str, *, per_minute: int = DEFAULT_RATE,
                 busy_timeout: float = 0.2) -> None:
        self.url = url
        self.per_minute = per_minute
        self.busy_timeout = busy_timeout
        self._store: Any = None

    def _engine(self) -> sa.Engine:
        if self._store is None:
            from ipsmatch.store import Store

            self._store = Store.open(self.url, lock_timeout=self.busy_timeout)
        engine: sa.Engine = self._store.engine
        return engine

    def hit(self, token: TokenInfo, *, now: float | None = None) -> tuple[bool, int]:
        """Count one request; (allowed, seconds until the window resets)."""
        t = time.time() if now is None else now
        minute = int(t // 60)
        retry = 60 - int(t % 60)
        engine = self._engine()
        if engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        stmt = (insert(api_rate).values(token_id=token.id, minute=minute, count=1)
                .on_conflict_do_update(index_elements=["token_id", "minute"],
                                       set_={"count": api_rate.c.count + 1})
                .returning(api_rate.c.count))
        try:
            with engine.begin() as conn:
                count = int(conn.execute(stmt).scalar_one())
                if count == 1:  # first request this minute: note the use, drop old windows
                    conn.execute(api_rate.delete().where(api_rate.c.token_id == token.id,
                                                         api_rate.c.minute < minute - 1))
                    conn.execute(api_tokens.update().where(api_tokens.c.id == token.id),
                                 {"last_used_at": _now()})
        except sa.exc.OperationalError:
            return True, retry  # SQLite busy (a refresh is writing): let it through
        return count <= self.per_minute, retry

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
