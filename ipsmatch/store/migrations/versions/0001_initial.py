"""Initial schema: employers, vacancies, citizens, contacts, feedback, access log, refresh runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "employers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("cvr", sa.String(16), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False),
        sa.Column("address", sa.String(300)),
        sa.Column("postcode", sa.String(8)),
        sa.Column("city", sa.String(120)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("industry", sa.String(200)),
        sa.Column("notes", sa.Text),
        sa.Column("attributes", sa.JSON, nullable=False),
        _ts("created_at", False),
        _ts("updated_at", False),
        sa.PrimaryKeyConstraint("id", name="pk_employers"),
        sa.UniqueConstraint("cvr", name="uq_employers_cvr"),
    )
    op.create_index("ix_employers_name_key", "employers", ["name_key"])

    op.create_table(
        "vacancies",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(200), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("url", sa.String(1000)),
        sa.Column("employer_id", sa.Integer),
        sa.Column("address", sa.String(300)),
        sa.Column("postcode", sa.String(8)),
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
        sa.Column("occupation_uri", sa.String(300)),
        sa.Column("occupation_label", sa.String(300)),
        sa.Column("occupation_confidence", sa.Float),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64)),
        _ts("first_seen", False),
        _ts("last_seen", False),
        _ts("expired_at"),
        sa.PrimaryKeyConstraint("id", name="pk_vacancies"),
        sa.UniqueConstraint("source", "external_id", name="uq_vacancies_source_external_id"),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"],
                                name="fk_vacancies_employer_id_employers"),
    )
    for col in ("employer_id", "postcode", "occupation_uri", "expired_at"):
        op.create_index(f"ix_vacancies_{col}", "vacancies", [col])

    op.create_table(
        "citizens",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("consultant", sa.String(120)),
        sa.Column("start_date", sa.Date),
        _ts("created_at", False),
        _ts("updated_at", False),
        sa.PrimaryKeyConstraint("id", name="pk_citizens"),
    )

    op.create_table(
        "employer_contacts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("contact_date", sa.Date, nullable=False),
        sa.Column("consultant", sa.String(120)),
        sa.Column("employer_id", sa.Integer, nullable=False),
        sa.Column("citizen_id", sa.String(64)),
        sa.Column("kind", sa.String(32)),
        sa.Column("purpose", sa.String(300)),
        sa.Column("learned", sa.JSON, nullable=False),
        sa.Column("outcome", sa.String(300)),
        sa.Column("next_step", sa.String(300)),
        sa.Column("next_date", sa.Date),
        sa.Column("note", sa.Text),
        _ts("created_at", False),
        sa.PrimaryKeyConstraint("id", name="pk_employer_contacts"),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"],
                                name="fk_employer_contacts_employer_id_employers"),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"], ondelete="SET NULL",
                                name="fk_employer_contacts_citizen_id_citizens"),
    )
    op.create_index("ix_employer_contacts_employer_id", "employer_contacts", ["employer_id"])
    op.create_index("ix_employer_contacts_citizen_id", "employer_contacts", ["citizen_id"])

    op.create_table(
        "suggestion_feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("citizen_id", sa.String(64), nullable=False),
        sa.Column("vacancy_id", sa.Integer),
        sa.Column("employer_id", sa.Integer),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("consultant", sa.String(120)),
        _ts("created_at", False),
        sa.PrimaryKeyConstraint("id", name="pk_suggestion_feedback"),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"], ondelete="CASCADE",
                                name="fk_suggestion_feedback_citizen_id_citizens"),
    )
    op.create_index("ix_suggestion_feedback_citizen_id", "suggestion_feedback", ["citizen_id"])

    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _ts("at", False),
        sa.Column("consultant", sa.String(120)),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("citizen_id", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_access_log"),
    )
    op.create_index("ix_access_log_at", "access_log", ["at"])
    op.create_index("ix_access_log_citizen_id", "access_log", ["citizen_id"])

    op.create_table(
        "refresh_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _ts("started_at", False),
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
        sa.PrimaryKeyConstraint("id", name="pk_refresh_runs"),
    )


def downgrade() -> None:
    for table in ("refresh_runs", "access_log", "suggestion_feedback", "employer_contacts",
                  "citizens", "vacancies", "employers"):
        op.drop_table(table)
