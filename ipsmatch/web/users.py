"""Users, server-side sessions and login rate limiting, kept in the database (migration 0005).

Everything lives in the database, so it works across worker processes and restarts:

- users: a login name (the consultant id the contact and access logs use, e.g. ``kons-anna``),
  a role, an argon2id password hash, active or disabled, and the interface language;
- sessions: a random cookie value; the table holds only its sha256, the user, a CSRF token and
  when it was last used. A session unused for :data:`IDLE_TIMEOUT` is gone;
- login attempts: failed logins per typed name (hashed); :data:`MAX_FAILURES` within
  :data:`FAILURE_WINDOW` lock that name out until the window has passed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ipsmatch.errors import InputError, NotFoundError, UsageError
from ipsmatch.store.schema import login_attempts, users, web_sessions
from ipsmatch.web.auth import Principal, Role, check_role

#: a session not used for this long is logged out
IDLE_TIMEOUT = timedelta(minutes=30)
#: a session is never older than this, however active
MAX_AGE = timedelta(hours=12)
#: failed logins for one name within FAILURE_WINDOW before it is locked out
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
#: last_seen is written at most this often (not on every request)
TOUCH_EVERY = timedelta(seconds=60)
MIN_PASSWORD = 10
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
LANGS = ("da", "en")


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    active: bool
    lang: str
    created_at: datetime

    def principal(self) -> Principal:
        return Principal(name=self.name, role=self.role, kind="user")


@dataclass(frozen=True)
class Session:
    """A live session: the user and the CSRF token every state-changing form must carry."""

    user: User
    csrf: str

    @property
    def principal(self) -> Principal:
        return self.user.principal()


def _now() -> datetime:
    return datetime.now(UTC)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def _user(r: Any) -> User:
    return User(name=r["name"], role=r["role"], active=bool(r["active"]), lang=r["lang"],
                created_at=r["created_at"])


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME_RE.match(name):
        raise UsageError(code="user.name_invalid", params={"name": name})
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(code="user.password_short", params={"min": MIN_PASSWORD})
    return password


# --- users ----------------------------------------------------------------------------------

def add_user(engine: Engine, name: str, role: str, password: str, *, lang: str = "da") -> User:
    """Create a user (UsageError if the name is taken). The password is stored as argon2id."""
    name, role_ = check_name(name), check_role(role)
    check_password(password)
    if lang not in LANGS:
        raise UsageError(code="user.lang_unknown", params={"lang": lang})
    now = _now()
    with engine.begin() as conn:
        if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
            raise UsageError(code="user.exists", params={"name": name})
        conn.execute(users.insert(), {"name": name, "role": role_, "active": True, "lang": lang,
                                      "password_hash": _hasher().hash(password),
                                      "created_at": now, "updated_at": now})
    return get_user(engine, name)


def get_user(engine: Engine, name: str) -> User:
    with engine.connect() as conn:
        r = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
    if r is None:
        raise NotFoundError(code="user.unknown", params={"name": name})
    return _user(r)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(sa.select(users).order_by(users.c.name))
                .mappings()]


def set_active(engine: Engine, name: str, active: bool) -> User:
    """Disable (or re-enable) a user; disabling also ends the user's sessions."""
    with engine.begin() as conn:
        n = conn.execute(users.update().where(users.c.name == name),
                         {"active": active, "updated_at": _now()}).rowcount
        if not n:
            raise NotFoundError(code="user.unknown", params={"name": name})
        if not active:
            conn.execute(web_sessions.delete().where(web_sessions.c.user_name == name))
    return get_user(engine, name)


def set_password(engine: Engine, name: str, password: str) -> None:
    check_password(password)
    with engine.begin() as conn:
        n = conn.execute(users.update().where(users.c.name == name),
                         {"password_hash": _hasher().hash(password), "updated_at": _now()}
                         ).rowcount
        if not n:
            raise NotFoundError(code="user.unknown", params={"name": name})
        conn.execute(web_sessions.delete().where(web_sessions.c.user_name == name))


def set_lang(engine: Engine, name: str, lang: str) -> None:
    if lang not in LANGS:
        raise InputError(code="settings.lang_unknown", params={"lang": lang})
    with engine.begin() as conn:
        conn.execute(users.update().where(users.c.name == name),
                     {"lang": lang, "updated_at": _now()})


# --- login and rate limiting ----------------------------------------------------------------

class LoginRefused(Exception):
    """Wrong name or password, a disabled user, or too many failures (``locked``)."""

    def __init__(self, locked: bool = False) -> None:
        super().__init__("locked" if locked else "refused")
        self.locked = locked


def _attempt_key(name: str) -> str:
    return _sha("login:" + (name or "").strip().casefold())


def _recent_failures(conn: sa.Connection, key: str, now: datetime) -> int:
    q = (sa.select(sa.func.count()).select_from(login_attempts)
         .where(login_attempts.c.key == key, login_attempts.c.at >= now - FAILURE_WINDOW))
    return int(conn.execute(q).scalar_one())


def authenticate(engine: Engine, name: str, password: str, *, now: datetime | None = None
                 ) -> User:
    """The user if ``password`` is right; else :class:`LoginRefused` (and the failure counts).

    After MAX_FAILURES failures for a name within FAILURE_WINDOW, even the right password is
    refused until the window has passed (``locked``). The same work (one argon2 verify) is
    done for unknown names, so timing does not tell which names exist.
    """
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    now = now or _now()
    key = _attempt_key(name)
    with engine.begin() as conn:
        if _recent_failures(conn, key, now) >= MAX_FAILURES:
            raise LoginRefused(locked=True)
        r = conn.execute(sa.select(users).where(users.c.name == (name or "").strip())
                         ).mappings().first()
    ph = _hasher()
    ok = False
    try:
        ok = ph.verify(r["password_hash"] if r else _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or r is None or not r["active"]:
        with engine.begin() as conn:
            conn.execute(login_attempts.insert(), {"key": key, "at": now})
            conn.execute(login_attempts.delete()
                         .where(login_attempts.c.at < now - 2 * FAILURE_WINDOW))
        raise LoginRefused()
    with engine.begin() as conn:
        conn.execute(login_attempts.delete().where(login_attempts.c.key == key))
        if ph.check_needs_rehash(r["password_hash"]):
            conn.execute(users.update().where(users.c.name == r["name"]),
                         {"password_hash": ph.hash(password)})
    return _user(r)


_dummy: list[str] = []


def _dummy_hash() -> str:
    """A hash of a random password, verified for unknown names (same work as a real one)."""
    if not _dummy:
        _dummy.append(_hasher().hash(secrets.token_urlsafe(16)))
    return _dummy[0]


# --- sessions -------------------------------------------------------------------------------

def create_session(engine: Engine, user: User, *, now: datetime | None = None) -> str:
    """Start a session for ``user``; returns the cookie value (stored only as a hash)."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(web_sessions.insert(), {"id_hash": _sha(token), "user_name": user.name,
                                             "csrf": secrets.token_urlsafe(32),
                                             "created_at": now, "last_seen": now})
        # Expired sessions of anyone are removed as a side effect, so the table stays small.
        conn.execute(web_sessions.delete().where(sa.or_(
            web_sessions.c.last_seen < now - IDLE_TIMEOUT,
            web_sessions.c.created_at < now - MAX_AGE)))
    return token


def get_session(engine: Engine, token: str | None, *, now: datetime | None = None
                ) -> Session | None:
    """The live session for a cookie value, or None (unknown, idle too long, user disabled)."""
    if not token or len(token) > 200:
        return None
    now = now or _now()
    h = _sha(token)
    q = (sa.select(web_sessions.c.csrf, web_sessions.c.last_seen, web_sessions.c.created_at,
                   users)
         .join(users, users.c.name == web_sessions.c.user_name)
         .where(web_sessions.c.id_hash == h))
    with engine.connect() as conn:
        r = conn.execute(q).mappings().first()
    if r is None:
        return None
    if (not r["active"] or r["last_seen"] < now - IDLE_TIMEOUT
            or r["created_at"] < now - MAX_AGE):
        end_session(engine, token)
        return None
    if now - r["last_seen"] >= TOUCH_EVERY:
        with engine.begin() as conn:
            conn.execute(web_sessions.update().where(web_sessions.c.id_hash == h),
                         {"last_seen": now})
    return Session(user=_user(r), csrf=r["csrf"])


def end_session(engine: Engine, token: str | None) -> None:
    if not token:
        return
    with engine.begin() as conn:
        conn.execute(web_sessions.delete().where(web_sessions.c.id_hash == _sha(token)))


def csrf_ok(session: Session, token: str | None) -> bool:
    return bool(token) and secrets.compare_digest(session.csrf, token or "")
