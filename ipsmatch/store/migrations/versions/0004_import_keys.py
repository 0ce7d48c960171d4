"""Contacts and job starts: import_key, so importing the same file twice adds nothing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TABLES = ("employer_contacts", "job_starts")


def upgrade() -> None:
    from ipsmatch.store.contacts_repo import contact_import_key
    from ipsmatch.store.job_starts_repo import job_start_import_key

    # Plain ADD COLUMN, no batch rebuild (see 0003).
    for table in _TABLES:
        op.add_column(table, sa.Column("import_key", sa.String(64)))
    conn = op.get_bind()
    md = sa.MetaData()
    # Rows imported before have their content's key, so re-importing their file adds
    # nothing. A row that is there twice (a file imported twice) keeps both copies; only the
    # first is keyed (deleting would change figures without anyone deciding to).
    for table, key_of in (("employer_contacts", contact_import_key),
                          ("job_starts", job_start_import_key)):
        t = sa.Table(table, md, autoload_with=conn)
        seen: set[str] = set()
        updates = []
        for row in conn.execute(sa.select(t).order_by(t.c.id)).mappings():
            key = key_of(dict(row))
            if key not in seen:
                seen.add(key)
                updates.append({"_id": row["id"], "_key": key})
        if updates:
            conn.execute(t.update().where(t.c.id == sa.bindparam("_id"))
                         .values(import_key=sa.bindparam("_key")), updates)
        op.create_index(f"ix_{table}_import_key", table, ["import_key"], unique=True)


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(f"ix_{table}_import_key", table_name=table)
        op.drop_column(table, "import_key")
