"""The database schema: SQLAlchemy Core tables with portable types (SQLite and PostgreSQL).

The migrations in ``ipsmatch/store/migrations`` create exactly these tables; a test compares
them (alembic ``compare_metadata``), so change both together.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend.

    SQLite has no time zones and hands back naive values; we store UTC and re-attach it, so
    callers always get aware datetimes. A naive input is taken to be UTC already.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC) if dialect.name != "sqlite" else value
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _ts(name: str, **kw: Any) -> sa.Column[Any]:
    return sa.Column(name, UTCDateTime(), **kw)


employers = sa.Table(
    "employers", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("cvr", sa.String(16), nullable=True, unique=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("name_key", sa.String(300), nullable=False, index=True),
    sa.Column("address", sa.String(300)),
    sa.Column("postcode", sa.String(8)),
    sa.Column("city", sa.String(120)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("industry", sa.String(200)),
    sa.Column("notes", sa.Text),
    sa.Column("attributes", sa.JSON, nullable=False),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
)

vacancies = sa.Table(
    "vacancies", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(64), nullable=False),
    sa.Column("external_id", sa.String(200), nullable=False),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("url", sa.String(1000)),
    sa.Column("employer_id", sa.Integer, sa.ForeignKey("employers.id"), index=True),
    sa.Column("address", sa.String(300)),
    sa.Column("postcode", sa.String(8), index=True),
    sa.Column("city", sa.String(120)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("hours_min", sa.Float),
    sa.Column("hours_max", sa.Float),
    sa.Column("sched_day", sa.Boolean),
    sa.Column("sched_evening", sa.Boolean),
    sa.Column("sched_night", sa.Boolean),
    sa.Column("sched_weekend", sa.Boolean),
    sa.Column("sched_shifts", sa.Boolean),
    sa.Column("employment_type", sa.String(64)),
    sa.Column("work_conditions", sa.JSON, nullable=False),
    sa.Column("posted", sa.Date),
    sa.Column("deadline", sa.Date),
    sa.Column("occupation_hint", sa.String(300)),
    sa.Column("occupation_uri", sa.String(300), index=True),
    sa.Column("occupation_label", sa.String(300)),
    sa.Column("occupation_confidence", sa.Float),
    sa.Column("facts", sa.JSON, nullable=False),
    sa.Column("content_hash", sa.String(64)),
    _ts("first_seen", nullable=False),
    _ts("last_seen", nullable=False),
    _ts("expired_at", index=True),
    #: sha256 of the raw feed record(s) + reader version: the next refresh skips re-reading
    #: a record whose raw hash is unchanged (migration 0003)
    sa.Column("raw_hash", sa.String(64)),
    sa.UniqueConstraint("source", "external_id", name="uq_vacancies_source_external_id"),
)

citizens = sa.Table(
    "citizens", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("profile", sa.JSON, nullable=False),
    sa.Column("consultant", sa.String(120)),
    sa.Column("start_date", sa.Date),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
    #: False once the citizen has left IPS (not in the active caseload any more)
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
)

employer_contacts = sa.Table(
    "employer_contacts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("contact_date", sa.Date, nullable=False, index=True),
    sa.Column("consultant", sa.String(120)),
    sa.Column("employer_id", sa.Integer, sa.ForeignKey("employers.id"), nullable=False,
              index=True),
    sa.Column("citizen_id", sa.String(64), sa.ForeignKey("citizens.id", ondelete="SET NULL"),
              index=True),
    sa.Column("kind", sa.String(32)),
    sa.Column("purpose", sa.String(300)),
    sa.Column("learned", sa.JSON, nullable=False),
    sa.Column("outcome", sa.String(300)),
    sa.Column("next_step", sa.String(300)),
    sa.Column("next_date", sa.Date),
    sa.Column("note", sa.Text),
    _ts("created_at", nullable=False),
)

suggestion_feedback = sa.Table(
    "suggestion_feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("citizen_id", sa.String(64), sa.ForeignKey("citizens.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("vacancy_id", sa.Integer),
    sa.Column("employer_id", sa.Integer),
    sa.Column("verdict", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("consultant", sa.String(120)),
    _ts("created_at", nullable=False),
    #: the day of the verdict (created_at is when it was recorded)
    sa.Column("feedback_date", sa.Date),
)

job_starts = sa.Table(
    "job_starts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("citizen_id", sa.String(64), sa.ForeignKey("citizens.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("employer_id", sa.Integer, sa.ForeignKey("employers.id"), index=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("start_date", sa.Date, nullable=False, index=True),
    sa.Column("hours_per_week", sa.Float),
    #: an ordinary paid job on ordinary terms (not fleksjob, løntilskud, praktik ...)
    sa.Column("competitive", sa.Boolean, nullable=False),
    sa.Column("end_date", sa.Date),
    sa.Column("end_reason", sa.String(300)),
    _ts("created_at", nullable=False),
)

access_log = sa.Table(
    "access_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _ts("at", nullable=False, index=True),
    sa.Column("consultant", sa.String(120)),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("citizen_id", sa.String(64), index=True),
)

refresh_runs = sa.Table(
    "refresh_runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _ts("started_at", nullable=False),
    _ts("finished_at"),
    sa.Column("sources", sa.JSON, nullable=False),
    sa.Column("files", sa.JSON, nullable=False),
    sa.Column("added", sa.Integer, nullable=False),
    sa.Column("updated", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("expired", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("message", sa.Text),
)

# --- the web workspace (#15, migration 0005) ------------------------------------------------

users = sa.Table(
    "users", metadata,
    #: the login name is the consultant id the contact log and the access log use
    sa.Column("name", sa.String(120), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(300), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    #: the user's interface language (da/en)
    sa.Column("lang", sa.String(8), nullable=False, server_default="da"),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
)

web_sessions = sa.Table(
    "web_sessions", metadata,
    #: sha256 of the session cookie's value (the cookie itself is never stored)
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_name", sa.String(120), sa.ForeignKey("users.name", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    _ts("created_at", nullable=False),
    _ts("last_seen", nullable=False),
)

login_attempts = sa.Table(
    "login_attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    #: sha256 of the lower-cased name typed at the login form
    sa.Column("key", sa.String(64), nullable=False, index=True),
    _ts("at", nullable=False, index=True),
)

# --- the HTTP API (#16, migration 0005) -----------------------------------------------------

api_tokens = sa.Table(
    "api_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    #: what the access log records for the token's requests (like a user's name)
    sa.Column("name", sa.String(120), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    #: sha256 of the token (the token is printed once, never stored)
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    _ts("created_at", nullable=False),
    _ts("revoked_at"),
    _ts("last_used_at"),
)

api_rate = sa.Table(
    "api_rate", metadata,
    #: requests per token and minute since the epoch, counted across all workers
    sa.Column("token_id", sa.Integer, sa.ForeignKey("api_tokens.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("minute", sa.Integer, primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)
