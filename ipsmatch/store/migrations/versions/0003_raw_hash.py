"""Vacancies: raw_hash, so a refresh can skip re-reading records whose raw input is unchanged.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode (see 0002): a batch rebuild of `vacancies` on SQLite
    # would drop the old table and fire the ON DELETE rules of the rows referring to it.
    # NULL for existing rows: the first refresh after the upgrade reads everything once.
    op.add_column("vacancies", sa.Column("raw_hash", sa.String(64)))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35 and PostgreSQL), again without a table rebuild.
    op.drop_column("vacancies", "raw_hash")
