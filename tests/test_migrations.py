"""Migrations from EVERY earlier schema revision to head, on SQLite and PostgreSQL.

For each revision in the Alembic script directory (so a new ``0002`` is covered without
touching this file): upgrade an empty database to that revision, insert rows valid at that
revision (generated from the reflected tables, foreign keys included), upgrade to head, and
check that every row survived (columns that kept their name keep their value), that the
schema equals the models (``compare_metadata``) and that the Store accepts the database.

A migration that renames or converts a column on purpose declares it in ``CONVERSIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ipsmatch.store import Store, migrate
from ipsmatch.store.engine import make_engine
from ipsmatch.store.schema import metadata

SCRIPTS = ScriptDirectory.from_config(migrate.alembic_config())
#: base first, head last
REVISIONS = [s.revision for s in reversed(list(SCRIPTS.walk_revisions()))]
#: (revision that changes it, table, old column) -> (new column, convert(old value))
CONVERSIONS: dict[tuple[str, str, str], tuple[str, Callable[[Any], Any]]] = {}
ROWS_PER_TABLE = 3


def upgrade_to(engine: sa.Engine, revision: str) -> None:
    with engine.begin() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def reflect(engine: sa.Engine) -> sa.MetaData:
    md = sa.MetaData()
    md.reflect(engine)
    md.remove(md.tables["alembic_version"])
    return md


def value_for(col: sa.Column[Any], i: int, fk_values: dict[str, list[Any]]) -> Any:
    """A value of the column's type, different per row ``i`` (unique constraints hold)."""
    for fk in col.foreign_keys:
        target = fk.target_fullname
        if target in fk_values:
            return fk_values[target][i % len(fk_values[target])]
    t = col.type
    if isinstance(t, sa.Boolean):
        return i % 2 == 0
    if isinstance(t, sa.Integer):
        return i + 1
    if isinstance(t, sa.Float | sa.Numeric):
        return 55.5 + i
    if isinstance(t, sa.DateTime):
        return datetime(2026, 1, 2, 3, 4, 5 + i, tzinfo=UTC)
    if isinstance(t, sa.Date):
        return date(2026, 1, 1 + i)
    if isinstance(t, sa.JSON):
        return {"row": i, "ord": ["æøå", i]}
    if isinstance(t, sa.String | sa.Text):
        length = getattr(t, "length", None) or 200
        return f"{col.name}-{i}-æøå"[:length]
    raise AssertionError(f"no test value for {col.table.name}.{col.name} ({t!r}): add one")


def fill(engine: sa.Engine, md: sa.MetaData) -> dict[str, list[dict[str, Any]]]:
    inserted: dict[str, list[dict[str, Any]]] = {}
    fk_values: dict[str, list[Any]] = {}
    with engine.begin() as conn:
        for table in md.sorted_tables:
            rows = [{c.name: value_for(c, i, fk_values) for c in table.columns}
                    for i in range(ROWS_PER_TABLE)]
            conn.execute(table.insert(), rows)
            inserted[table.name] = rows
            for c in table.columns:
                fk_values[f"{table.name}.{c.name}"] = [r[c.name] for r in rows]
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences on
            for table in md.sorted_tables:
                for c in table.primary_key.columns:
                    if isinstance(c.type, sa.Integer):
                        conn.exec_driver_sql(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{c.name}'),"
                            f" (SELECT max({c.name}) FROM {table.name}))")
    return inserted


def read_all(engine: sa.Engine, md: sa.MetaData) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        return {t.name: [dict(r) for r in conn.execute(
            sa.select(t).order_by(*t.primary_key.columns)).mappings()]
            for t in md.sorted_tables}


def later(rev: str) -> list[str]:
    return REVISIONS[REVISIONS.index(rev) + 1:]


def test_revisions_form_one_line() -> None:
    assert REVISIONS and REVISIONS[-1] == migrate.head_revision()
    assert len(SCRIPTS.get_bases()) == 1


@pytest.mark.parametrize("revision", REVISIONS)
def test_upgrade_from_each_revision_keeps_data(db_url: str, revision: str) -> None:
    engine = make_engine(db_url, create=True)
    try:
        upgrade_to(engine, revision)
        old_md = reflect(engine)
        fill(engine, old_md)
        before = read_all(engine, old_md)   # as the database returns them at this revision

        upgrade_to(engine, "head")
        new_md = reflect(engine)
        after = read_all(engine, new_md)
        for table, rows in before.items():
            if table not in after:
                continue  # a table a later revision drops on purpose
            assert len(after[table]) == len(rows), f"rows lost from {table}"
            for old, new in zip(rows, after[table], strict=True):
                for col, val in old.items():
                    conv = next((CONVERSIONS[k] for k in CONVERSIONS
                                 if k[1:] == (table, col) and k[0] in later(revision)), None)
                    if conv:
                        assert new[conv[0]] == conv[1](val), f"{table}.{col}"
                    elif col in new:
                        assert new[col] == val, f"{table}.{col} changed by the migration"

        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(
                conn, opts={"compare_type": True}), metadata)
            assert diff == [], diff
            assert migrate.current_revision(conn) == migrate.head_revision()
        with Store.open(db_url) as store:
            status = store.status()
            assert status["schema_revision"] == migrate.head_revision()
            assert status["citizens"] == ROWS_PER_TABLE
            # new rows still get fresh ids after the explicit ones inserted above
            store.log_access("kh", "suggest", "c-new")
            after_filled = ROWS_PER_TABLE if "access_log" in old_md.tables else 0
            assert [r["id"] for r in store.list_access(citizen_id="c-new")] == \
                [after_filled + 1]
    finally:
        engine.dispose()


def test_init_runs_the_migrations_and_is_idempotent(db_url: str) -> None:
    store = Store.open(db_url, create=True)
    assert store.upgrade() == (None, migrate.head_revision())
    assert store.upgrade() == (migrate.head_revision(), migrate.head_revision())
    store.close()
