"""The web workspace (#15) and the HTTP API (#16): users, server-side sessions, login
rate limiting (and the API's tokens).

NOTE TO THE API HELPER (#16): this ONE file is revision 0005 for the whole `web` branch.
Add your `api_tokens` table to `upgrade()`/`downgrade()` below (marked "API (#16)") and
declare it in ipsmatch/store/schema.py too (tests/test_store.py compares the two). The
users/sessions/login_attempts part is owned by the #15 helper; please don't change it.

Revision ID: 0005
Revises: 0003 (the lead re-chains the branches' revisions at merge)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _ts(name: str, **kw: object) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), **kw)  # type: ignore[arg-type]


def upgrade() -> None:
    # --- workspace (#15): users, sessions, login attempts -------------------------------
    op.create_table(
        "users",
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("lang", sa.String(8), nullable=False, server_default="da"),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_users"),
    )
    op.create_table(
        "web_sessions",
        # sha256 of the cookie value: a copy of the database does not hold live sessions
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(120), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        _ts("created_at", nullable=False),
        _ts("last_seen", nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name="pk_web_sessions"),
        sa.ForeignKeyConstraint(["user_name"], ["users.name"], ondelete="CASCADE",
                                name="fk_web_sessions_user_name_users"),
    )
    op.create_index("ix_web_sessions_user_name", "web_sessions", ["user_name"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        # sha256 of the lower-cased user name typed: no names in the clear
        sa.Column("key", sa.String(64), nullable=False),
        _ts("at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_attempts"),
    )
    op.create_index("ix_login_attempts_key", "login_attempts", ["key"])
    op.create_index("ix_login_attempts_at", "login_attempts", ["at"])

    # --- API (#16): api_tokens ------------------------------------------------------------
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        # the name is what the access log and the contact log record for the token
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        # sha256 of the token: the token itself is printed once and never stored
        sa.Column("token_hash", sa.String(64), nullable=False),
        _ts("created_at", nullable=False),
        _ts("revoked_at"),
        _ts("last_used_at"),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("name", name="uq_api_tokens_name"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_table(
        "api_rate",
        # requests per token and minute, shared by every worker (rate limiting)
        sa.Column("token_id", sa.Integer, nullable=False),
        sa.Column("minute", sa.Integer, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("token_id", "minute", name="pk_api_rate"),
        sa.ForeignKeyConstraint(["token_id"], ["api_tokens.id"], ondelete="CASCADE",
                                name="fk_api_rate_token_id_api_tokens"),
    )


def downgrade() -> None:
    # --- API (#16) ------------------------------------------------------------------------
    op.drop_table("api_rate")
    op.drop_table("api_tokens")

    # --- workspace (#15) ------------------------------------------------------------------
    op.drop_index("ix_login_attempts_at", "login_attempts")
    op.drop_index("ix_login_attempts_key", "login_attempts")
    op.drop_table("login_attempts")
    op.drop_index("ix_web_sessions_user_name", "web_sessions")
    op.drop_table("web_sessions")
    op.drop_table("users")
