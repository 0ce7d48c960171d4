"""``ipsmatch backup``, ``restore`` and ``audit``: thin shells over ipsmatch.store."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import click

from ipsmatch.cli.common import LIMIT, emit_records, format_option, settings
from ipsmatch.errors import UsageError

AUDIT_COLUMNS = ["at", "consultant", "action", "citizen_id"]


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def backup_cmd(file: str, force: bool) -> None:
    """Write a consistent backup of the database to FILE (readable by you only).

    SQLite: an online copy (safe while a refresh runs). PostgreSQL: runs
    `pg_dump --format=custom`. The backup holds citizen data: keep it as safe as the
    database (see PRIVACY.md)."""
    from ipsmatch.store.backup import backup

    res = backup(settings().db, file, overwrite=force)
    click.echo(f"backup written to {res.path} ({res.bytes:,} bytes, schema "
               f"{res.revision or 'none'}, {res.tool})")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Confirm: replace everything in the database.")
def restore_cmd(file: str, yes: bool) -> None:
    """Replace the database with the backup FILE, after checking it.

    The backup must be intact and from this or an older ipsmatch. The replacement is atomic:
    a failure leaves the current database as it was."""
    from ipsmatch.store.backup import restore

    res = restore(settings().db, file, overwrite=yes)
    click.echo(f"restored {res.db} from {file} (schema {res.revision})")
    if res.needs_upgrade:
        click.echo("the backup's schema is older than this ipsmatch: run `ipsmatch init` "
                   "to upgrade it", err=True)


def parse_since(text: str) -> datetime:
    """``2026-11-01`` (from local midnight) or an ISO timestamp → an aware UTC datetime."""
    try:
        if len(text.strip()) == 10:
            d = date.fromisoformat(text.strip())
            return datetime.combine(d, time(0)).astimezone(UTC)
        dt = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--since {text!r} is not a date",
                         hint="use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    return (dt if dt.tzinfo else dt.astimezone()).astimezone(UTC)


@click.command("audit")
@click.option("--citizen", metavar="ID", help="Only this citizen (case reference).")
@click.option("--consultant", metavar="C", help="Only this consultant.")
@click.option("--action", metavar="NAME", help="Only this action, e.g. suggest or show.")
@click.option("--since", metavar="DATE", help="From this date (YYYY-MM-DD) or time on.")
@click.option("--limit", type=LIMIT, metavar="N", help="At most N entries.")
@format_option()
def audit_cmd(citizen: str | None, consultant: str | None, action: str | None,
              since: str | None, limit: int | None, fmt: str) -> None:
    """Who looked at which citizen's case, and when (newest first).

    The access log holds the consultant id, the action, the case reference and the time;
    never profile content."""
    from ipsmatch.store import Store

    store = Store.open(settings().db)
    rows = store.list_access(citizen_id=citizen, consultant=consultant, action=action,
                             since=parse_since(since) if since else None, limit=limit)
    records: list[dict[str, Any]] = [
        {"id": r["id"], "at": r["at"].isoformat(timespec="seconds"),
         "consultant": r["consultant"], "action": r["action"], "citizen_id": r["citizen_id"]}
        for r in rows]
    if not records and fmt == "table":
        click.echo("no access log entries match", err=True)
        return
    emit_records(records, fmt, AUDIT_COLUMNS)
