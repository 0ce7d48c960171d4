"""The database schema: SQLAlchemy Core tables with portable types (SQLite and PostgreSQL).

The migrations in ``ipsmatch/store/migrations`` create exactly these tables; a test compares
them (alembic ``compare_metadata``), so change both together.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from ipsmatch import limits as L

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


def utc_now() -> datetime:
    """The store's clock: every timestamp it writes is UTC."""
    return datetime.now(UTC)


def _ts(name: str, **kw: Any) -> sa.Column[Any]:
    return sa.Column(name, UTCDateTime(), **kw)


employers = sa.Table(
    "employers", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("cvr", sa.String(L.CVR), nullable=True, unique=True),
    sa.Column("name", sa.String(L.NAME), nullable=False),
    sa.Column("name_key", sa.String(L.NAME), nullable=False, index=True),
    sa.Column("address", sa.String(L.NAME)),
    sa.Column("postcode", sa.String(L.POSTCODE)),
    sa.Column("city", sa.String(L.CITY)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("industry", sa.String(L.INDUSTRY)),
    sa.Column("notes", sa.Text),
    sa.Column("attributes", sa.JSON, nullable=False),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
)

vacancies = sa.Table(
    "vacancies", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(L.ID), nullable=False),
    sa.Column("external_id", sa.String(L.EXTERNAL_ID), nullable=False),
    sa.Column("title", sa.String(L.TITLE), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("url", sa.String(L.URL)),
    sa.Column("employer_id", sa.Integer, sa.ForeignKey("employers.id"), index=True),
    sa.Column("address", sa.String(L.NAME)),
    sa.Column("postcode", sa.String(L.POSTCODE), index=True),
    sa.Column("city", sa.String(L.CITY)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("hours_min", sa.Float),
    sa.Column("hours_max", sa.Float),
    sa.Column("sched_day", sa.Boolean),
    sa.Column("sched_evening", sa.Boolean),
    sa.Column("sched_night", sa.Boolean),
    sa.Column("sched_weekend", sa.Boolean),
    sa.Column("sched_shifts", sa.Boolean),
    sa.Column("employment_type", sa.String(L.ID)),
    sa.Column("work_conditions", sa.JSON, nullable=False),
    sa.Column("posted", sa.Date),
    sa.Column("deadline", sa.Date),
    sa.Column("occupation_hint", sa.String(L.NAME)),
    sa.Column("occupation_uri", sa.String(L.NAME), index=True),
    sa.Column("occupation_label", sa.String(L.NAME)),
    sa.Column("occupation_confidence", sa.Float),
    sa.Column("facts", sa.JSON, nullable=False),
    sa.Column("content_hash", sa.String(L.ID)),
    _ts("first_seen", nullable=False),
    _ts("last_seen", nullable=False),
    _ts("expired_at", index=True),
    #: sha256 of the raw feed record(s) + reader version: the next refresh skips re-reading
    #: a record whose raw hash is unchanged (migration 0003)
    sa.Column("raw_hash", sa.String(L.ID)),
    #: the contact details the ad gives: {person, phone, email, website, apply_url}
    #: (migration 0007)
    sa.Column("contact", sa.JSON),
    sa.UniqueConstraint("source", "external_id", name="uq_vacancies_source_external_id"),
)

citizens = sa.Table(
    "citizens", metadata,
    sa.Column("id", sa.String(L.ID), primary_key=True),
    sa.Column("profile", sa.JSON, nullable=False),
    sa.Column("consultant", sa.String(L.CONSULTANT)),
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
    sa.Column("consultant", sa.String(L.CONSULTANT)),
    sa.Column("employer_id", sa.Integer, sa.ForeignKey("employers.id"), nullable=False,
              index=True),
    sa.Column("citizen_id", sa.String(L.ID), sa.ForeignKey("citizens.id", ondelete="SET NULL"),
              index=True),
    sa.Column("kind", sa.String(L.CODE)),
    sa.Column("purpose", sa.String(L.NAME)),
    sa.Column("learned", sa.JSON, nullable=False),
    sa.Column("outcome", sa.String(L.NAME)),
    sa.Column("next_step", sa.String(L.NAME)),
    sa.Column("next_date", sa.Date),
    sa.Column("note", sa.Text),
    _ts("created_at", nullable=False),
    #: an imported row's key (a hash of its content, or of the log's contact_id): importing
    #: the same log again adds nothing. NULL for contacts added by hand (migration 0004)
    sa.Column("import_key", sa.String(L.ID), index=True, unique=True),
)

suggestion_feedback = sa.Table(
    "suggestion_feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("citizen_id", sa.String(L.ID), sa.ForeignKey("citizens.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("vacancy_id", sa.Integer),
    sa.Column("employer_id", sa.Integer),
    sa.Column("verdict", sa.String(L.CODE), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("consultant", sa.String(L.CONSULTANT)),
    _ts("created_at", nullable=False),
    #: the day of the verdict (created_at is when it was recorded)
    sa.Column("feedback_date", sa.Date),
)

job_starts = sa.Table(
    "job_starts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("citizen_id", sa.String(L.ID), sa.ForeignKey("citizens.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("employer_id", sa.Integer, sa.ForeignKey("employers.id"), index=True),
    sa.Column("title", sa.String(L.NAME), nullable=False),
    sa.Column("start_date", sa.Date, nullable=False, index=True),
    sa.Column("hours_per_week", sa.Float),
    #: an ordinary paid job on ordinary terms (not fleksjob, løntilskud, praktik ...)
    sa.Column("competitive", sa.Boolean, nullable=False),
    sa.Column("end_date", sa.Date),
    sa.Column("end_reason", sa.String(L.NAME)),
    _ts("created_at", nullable=False),
    #: ordinary / fleksjob / other (migration 0006); NULL on older rows: read from competitive
    sa.Column("wage_form", sa.String(16)),
    #: the employer's contact person for follow-along (a role or first name, 0006)
    sa.Column("contact_person", sa.String(120)),
    #: an imported row's key (hash of citizen, employer, title, start, hours, terms): the same
    #: file imported again adds nothing. NULL for job starts added by hand (migration 0004)
    sa.Column("import_key", sa.String(L.ID), index=True, unique=True),
)

# --- IPS beyond the job search (issue #17, migration 0006) ----------------------------------

education_offers = sa.Table(
    "education_offers", metadata,
    #: the catalogue's own id (e.g. "eucnord-kok-eud")
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("institution", sa.String(300), nullable=False),
    sa.Column("address", sa.String(300)),
    sa.Column("postcode", sa.String(8), nullable=False),
    sa.Column("city", sa.String(120)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("start_dates", sa.JSON, nullable=False),
    sa.Column("continuous_intake", sa.Boolean, nullable=False),
    sa.Column("duration_weeks", sa.Float),
    sa.Column("hours_per_week", sa.Float),
    sa.Column("part_time", sa.Boolean, nullable=False),
    sa.Column("requirements", sa.JSON, nullable=False),
    sa.Column("admission", sa.Text),
    sa.Column("su", sa.Boolean),
    sa.Column("leads_to", sa.JSON, nullable=False),
    sa.Column("leads_to_labels", sa.JSON, nullable=False),
    sa.Column("special_education", sa.Boolean, nullable=False),
    sa.Column("url", sa.String(1000)),
    sa.Column("description", sa.Text),
    _ts("updated_at", nullable=False),
)

education_starts = sa.Table(
    "education_starts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("citizen_id", sa.String(64), sa.ForeignKey("citizens.id", ondelete="CASCADE"),
              nullable=False, index=True),
    #: the catalogue offer, when it came from one (no foreign key: a catalogue re-import
    #: may drop the offer, the outcome stays)
    sa.Column("offer_id", sa.String(64)),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("institution", sa.String(300)),
    sa.Column("start_date", sa.Date, nullable=False, index=True),
    sa.Column("hours_per_week", sa.Float),
    sa.Column("end_date", sa.Date),
    sa.Column("end_reason", sa.String(32)),
    sa.Column("end_note", sa.Text),
    _ts("created_at", nullable=False),
)

job_hours = sa.Table(
    "job_hours", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.Integer, sa.ForeignKey("job_starts.id", ondelete="CASCADE"),
              nullable=False, index=True),
    #: from this day the citizen works ``hours_per_week`` in the job
    sa.Column("from_date", sa.Date, nullable=False),
    sa.Column("hours_per_week", sa.Float, nullable=False),
    _ts("created_at", nullable=False),
)

support_plans = sa.Table(
    "support_plans", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.Integer, sa.ForeignKey("job_starts.id", ondelete="CASCADE"),
              nullable=False, unique=True),
    #: [{"support": ..., "who": ...}]: the agreed supports and who does what
    sa.Column("items", sa.JSON, nullable=False),
    sa.Column("next_follow_up", sa.Date),
    sa.Column("goal_hours", sa.Float),
    sa.Column("note", sa.Text),
    _ts("updated_at", nullable=False),
)

followalong_contacts = sa.Table(
    "followalong_contacts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("citizen_id", sa.String(64), sa.ForeignKey("citizens.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("job_id", sa.Integer, sa.ForeignKey("job_starts.id", ondelete="SET NULL")),
    sa.Column("contact_date", sa.Date, nullable=False, index=True),
    sa.Column("consultant", sa.String(120)),
    #: citizen / employer / both
    sa.Column("with_whom", sa.String(16), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("note", sa.Text),
    _ts("created_at", nullable=False),
)

access_log = sa.Table(
    "access_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _ts("at", nullable=False, index=True),
    sa.Column("consultant", sa.String(L.CONSULTANT)),
    sa.Column("action", sa.String(L.ID), nullable=False),
    sa.Column("citizen_id", sa.String(L.ID), index=True),
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
    sa.Column("status", sa.String(L.STATUS), nullable=False),
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
