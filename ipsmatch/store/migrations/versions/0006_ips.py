"""IPS beyond the job search (issue #17): education catalogue and starts, job start wage form
and contact person, hours timeline, job support plans, follow-along contacts.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _ts(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode (see 0002): a batch rebuild of job_starts on SQLite
    # would drop the table the new ones refer to.
    op.add_column("job_starts", sa.Column("wage_form", sa.String(16)))
    op.add_column("job_starts", sa.Column("contact_person", sa.String(120)))

    op.create_table(
        "education_offers",
        sa.Column("id", sa.String(64), nullable=False),
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
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_education_offers"),
    )
    op.create_table(
        "education_starts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("citizen_id", sa.String(64), nullable=False),
        sa.Column("offer_id", sa.String(64)),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("institution", sa.String(300)),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("hours_per_week", sa.Float),
        sa.Column("end_date", sa.Date),
        sa.Column("end_reason", sa.String(32)),
        sa.Column("end_note", sa.Text),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_education_starts"),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"], ondelete="CASCADE",
                                name="fk_education_starts_citizen_id_citizens"),
    )
    op.create_index("ix_education_starts_citizen_id", "education_starts", ["citizen_id"])
    op.create_index("ix_education_starts_start_date", "education_starts", ["start_date"])
    op.create_table(
        "job_hours",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.Integer, nullable=False),
        sa.Column("from_date", sa.Date, nullable=False),
        sa.Column("hours_per_week", sa.Float, nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_job_hours"),
        sa.ForeignKeyConstraint(["job_id"], ["job_starts.id"], ondelete="CASCADE",
                                name="fk_job_hours_job_id_job_starts"),
    )
    op.create_index("ix_job_hours_job_id", "job_hours", ["job_id"])
    op.create_table(
        "support_plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.Integer, nullable=False),
        sa.Column("items", sa.JSON, nullable=False),
        sa.Column("next_follow_up", sa.Date),
        sa.Column("goal_hours", sa.Float),
        sa.Column("note", sa.Text),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_support_plans"),
        sa.ForeignKeyConstraint(["job_id"], ["job_starts.id"], ondelete="CASCADE",
                                name="fk_support_plans_job_id_job_starts"),
        sa.UniqueConstraint("job_id", name="uq_support_plans_job_id"),
    )
    op.create_table(
        "followalong_contacts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("citizen_id", sa.String(64), nullable=False),
        sa.Column("job_id", sa.Integer),
        sa.Column("contact_date", sa.Date, nullable=False),
        sa.Column("consultant", sa.String(120)),
        sa.Column("with_whom", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("note", sa.Text),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_followalong_contacts"),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"], ondelete="CASCADE",
                                name="fk_followalong_contacts_citizen_id_citizens"),
        sa.ForeignKeyConstraint(["job_id"], ["job_starts.id"], ondelete="SET NULL",
                                name="fk_followalong_contacts_job_id_job_starts"),
    )
    op.create_index("ix_followalong_contacts_citizen_id", "followalong_contacts",
                    ["citizen_id"])
    op.create_index("ix_followalong_contacts_contact_date", "followalong_contacts",
                    ["contact_date"])


def downgrade() -> None:
    op.drop_table("followalong_contacts")
    op.drop_table("support_plans")
    op.drop_table("job_hours")
    op.drop_table("education_starts")
    op.drop_table("education_offers")
    op.drop_column("job_starts", "contact_person")
    op.drop_column("job_starts", "wage_form")
