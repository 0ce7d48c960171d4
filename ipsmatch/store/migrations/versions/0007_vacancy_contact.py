"""Vacancies: the contact details an ad gives (contact person, phone, e-mail, website, where to
apply), so the job-development list is something a consultant can call from (issue #13).

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode (see 0002/0003). NULL for existing rows: the reader
    # fingerprint changed with this release, so the next refresh reads every record again.
    op.add_column("vacancies", sa.Column("contact", sa.JSON))


def downgrade() -> None:
    op.drop_column("vacancies", "contact")
