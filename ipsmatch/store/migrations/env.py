"""Alembic environment. ipsmatch runs migrations programmatically (see ipsmatch.store.migrate):
the caller passes an open connection in ``config.attributes["connection"]``; no alembic.ini."""

from __future__ import annotations

from alembic import context

from ipsmatch.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable when run by hand without ipsmatch
    raise RuntimeError("run migrations through `ipsmatch init` (ipsmatch.store.Store.init)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
