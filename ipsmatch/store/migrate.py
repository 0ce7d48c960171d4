"""Schema migrations with Alembic, run programmatically from scripts shipped in the package."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ipsmatch.errors import SchemaError, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: The newest migration. Every command checks the database against it, so it is a constant
#: (a test keeps it equal to Alembic's head): importing Alembic costs ~0.4 s of every cold
#: start, and is only needed to migrate or to explain a mismatch.
HEAD = "0005"


def alembic_config() -> Config:
    """An Alembic config pointing at the bundled migrations (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def alembic_head() -> str:
    """The head according to the migration scripts themselves."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:  # pragma: no cover - a packaging mistake, not a user error
        raise SchemaError(f"ipsmatch ships {len(heads)} migration heads, expected one")
    return str(heads[0])


def head_revision() -> str:
    return HEAD


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(conn: sa.Connection) -> str | None:
    """The revision stamped in the database, or None for an empty database."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    rows: list[Any] = list(conn.execute(sa.text("SELECT version_num FROM alembic_version")))
    return str(rows[0][0]) if rows else None


def check_schema(engine: Engine) -> str:
    """Raise SchemaError unless the database is at this code's head revision."""
    with reachable(engine), engine.connect() as conn:
        rev = current_revision(conn)
    head = head_revision()
    if rev is None:
        raise SchemaError("database not initialised: run `ipsmatch init`")
    if rev == head:
        return rev
    if rev not in known_revisions():
        raise SchemaError(_too_new(rev))
    raise SchemaError(f"database schema {rev} is older than this ipsmatch ({head})",
                      hint="run `ipsmatch init` to upgrade it; your data is kept")


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to head (idempotent). Returns (revision before, revision after)."""
    with reachable(engine), engine.begin() as conn:
        before = current_revision(conn)
        if before is not None and before not in known_revisions():
            raise SchemaError(_too_new(before))
        from alembic import command

        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before, head_revision()


@contextlib.contextmanager
def reachable(engine: Engine) -> Iterator[None]:
    """Turn "cannot connect" driver errors into a StoreError that names the database."""
    try:
        yield
    except sa.exc.OperationalError as exc:
        url = engine.url.render_as_string(hide_password=True)
        first = str(exc.orig or exc).strip().splitlines()[0]
        raise StoreError(f"cannot use database {url}: {first}",
                         hint="check --db / IPSMATCH_DB and that the server is running") from exc


def _too_new(rev: str) -> str:
    return (f"database schema {rev} is newer than this ipsmatch knows: "
            "upgrade ipsmatch, or use a different --db")
