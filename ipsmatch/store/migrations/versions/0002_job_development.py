"""Job development: job starts, citizens.active, the date of a feedback verdict.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode: batch mode rebuilds the table on SQLite, and dropping
    # the old `citizens` fires ON DELETE SET NULL on employer_contacts.citizen_id, silently
    # unlinking every contact (caught by tests/test_migrations.py). SQLite accepts a NOT NULL
    # column with a constant default in ALTER TABLE ADD COLUMN.
    op.add_column("citizens", sa.Column("active", sa.Boolean, nullable=False,
                                        server_default=sa.true()))
    op.add_column("suggestion_feedback", sa.Column("feedback_date", sa.Date))

    op.create_table(
        "job_starts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("citizen_id", sa.String(64), nullable=False),
        sa.Column("employer_id", sa.Integer),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("hours_per_week", sa.Float),
        sa.Column("competitive", sa.Boolean, nullable=False),
        sa.Column("end_date", sa.Date),
        sa.Column("end_reason", sa.String(300)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_job_starts"),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"], ondelete="CASCADE",
                                name="fk_job_starts_citizen_id_citizens"),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"],
                                name="fk_job_starts_employer_id_employers"),
    )
    op.create_index("ix_job_starts_citizen_id", "job_starts", ["citizen_id"])
    op.create_index("ix_job_starts_employer_id", "job_starts", ["employer_id"])
    op.create_index("ix_job_starts_start_date", "job_starts", ["start_date"])
    op.create_index("ix_employer_contacts_contact_date", "employer_contacts", ["contact_date"])


def downgrade() -> None:
    op.drop_index("ix_employer_contacts_contact_date", "employer_contacts")
    op.drop_table("job_starts")
    with op.batch_alter_table("suggestion_feedback") as batch:
        batch.drop_column("feedback_date")
    with op.batch_alter_table("citizens") as batch:
        batch.drop_column("active")
