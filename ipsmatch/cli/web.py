"""``ipsmatch serve`` (the workspace and the API) and ``ipsmatch users`` (who may log in)."""

from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path
from typing import Any

import click

from ipsmatch.cli.common import emit_records, format_option, settings
from ipsmatch.errors import UsageError

#: where `ipsmatch demo` puts its database (relative to the current directory)
DEMO_DB = Path("demo") / "ipsmatch-demo.db"


def demo_login_file(db: Path) -> Path:
    """The demo's one-time login note, beside the demo database."""
    return db.with_name(db.name + ".login")


def _engine() -> Any:
    from ipsmatch.cli.index import open_store

    return open_store().engine


# --- users ----------------------------------------------------------------------------------

@click.group("users")
def users_group() -> None:
    """Who may log in to the workspace (`ipsmatch serve`), and with which role.

    A user's name is the consultant id the contact log and the access log record
    (e.g. kons-anna). Roles: consultant (the team's citizens and employers), leader (also
    fidelity), admin (also users)."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    pw: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return pw


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["consultant", "leader", "admin"]), required=True)
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True,
              help="The user's interface language.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input (also the "
                   "default when stdin is not a terminal).")
def users_add(name: str, role: str, lang: str, password_stdin: bool) -> None:
    """Add a user; the password is prompted for (or read from stdin) and stored as argon2id."""
    from ipsmatch.web.users import add_user, check_name

    check_name(name)
    user = add_user(_engine(), name, role, _read_password(password_stdin), lang=lang)
    click.echo(f"Added user {user.name} ({user.role}).")


@users_group.command("list")
@format_option()
def users_list(fmt: str) -> None:
    """List users."""
    from ipsmatch.web.users import list_users

    rows = [{"name": u.name, "role": u.role, "active": u.active, "lang": u.lang,
             "created": u.created_at.date().isoformat()} for u in list_users(_engine())]
    emit_records(rows, fmt, ("name", "role", "active", "lang", "created"))


@users_group.command("disable")
@click.argument("name")
def users_disable(name: str) -> None:
    """Disable a user: no more logins, and the user's sessions end now."""
    from ipsmatch.web.users import set_active

    set_active(_engine(), name, False)
    click.echo(f"Disabled user {name}; their sessions are ended.")


@users_group.command("enable")
@click.argument("name")
def users_enable(name: str) -> None:
    """Enable a disabled user again."""
    from ipsmatch.web.users import set_active

    set_active(_engine(), name, True)
    click.echo(f"Enabled user {name}.")


@users_group.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from stdin.")
def users_password(name: str, password_stdin: bool) -> None:
    """Set a new password (ends the user's sessions)."""
    from ipsmatch.web.users import get_user, set_password

    engine = _engine()
    get_user(engine, name)
    set_password(engine, name, _read_password(password_stdin))
    click.echo(f"New password set for {name}; their sessions are ended.")


# --- serve ----------------------------------------------------------------------------------

def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs TLS in front.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (PostgreSQL; SQLite has one writer: keep 1).")
@click.option("--forwarded-allow-ips", metavar="IPS", default=None,
              help="Trust X-Forwarded-Proto/For from these proxy addresses (comma-separated), "
                   "so cookies are Secure behind a TLS proxy. Default: none.")
@click.option("--ssl-certfile", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Serve HTTPS directly with this certificate (PEM).")
@click.option("--ssl-keyfile", type=click.Path(exists=True, dir_okay=False), default=None)
def serve_cmd(host: str, port: int, workers: int, forwarded_allow_ips: str | None,
              ssl_certfile: str | None, ssl_keyfile: str | None) -> None:
    """Run the consultant workspace and the HTTP API (open http://127.0.0.1:8765/).

    Without --db/IPSMATCH_DB and without a database in the default place, the demo database
    of `ipsmatch demo` (demo/ipsmatch-demo.db) is served, and its login is printed once."""
    import uvicorn

    cfg = settings()
    ctx = click.get_current_context()
    db_given = ctx.find_root().params.get("db") or os.environ.get("IPSMATCH_DB")
    from ipsmatch.store.engine import sqlite_path

    if not db_given:
        default = sqlite_path(cfg.db)
        if (default is None or not default.exists()) and DEMO_DB.exists():
            from ipsmatch.cli.demo import FIXTURES_DATE

            cfg.db = f"sqlite:///{DEMO_DB.resolve()}"
            os.environ["IPSMATCH_DB"] = cfg.db
            os.environ.setdefault("IPSMATCH_TODAY", FIXTURES_DATE)
            from datetime import date

            cfg.today = cfg.today or date.fromisoformat(os.environ["IPSMATCH_TODAY"])
            click.echo(f"Serving the demo database {DEMO_DB} (data as of {cfg.today}).",
                       err=True)
    if bool(ssl_certfile) != bool(ssl_keyfile):
        raise UsageError("give both --ssl-certfile and --ssl-keyfile")
    if not is_loopback(host):
        click.secho(f"Warning: listening on {host}, not only this machine. The workspace "
                    "holds health-related personal data: put TLS in front (a reverse proxy "
                    "with --forwarded-allow-ips, or --ssl-certfile/--ssl-keyfile) and a "
                    "firewall. See docs/web.md.", fg="yellow", err=True)
    if workers > 1 and sqlite_path(cfg.db) is not None:
        raise UsageError(f"--workers {workers} on SQLite: SQLite has one writer at a time",
                         hint="serve SQLite with one worker; use PostgreSQL for several")
    from ipsmatch.store import Store

    Store.open(cfg.db).close()  # the schema must be current: fail here, with the CLI's message
    path = sqlite_path(cfg.db)
    if path is not None:
        note = demo_login_file(path)
        if note.exists():
            click.secho(f"Demo login (shown once): {note.read_text(encoding='utf-8').strip()}",
                        fg="green", bold=True, err=True)
            note.unlink()
    scheme = "https" if ssl_certfile else "http"
    click.echo(f"ipsmatch workspace on {scheme}://{host}:{port}/  (Ctrl+C stops it)", err=True)
    common: dict[str, Any] = {
        "host": host, "port": port, "proxy_headers": bool(forwarded_allow_ips),
        "forwarded_allow_ips": forwarded_allow_ips or "", "ssl_certfile": ssl_certfile,
        "ssl_keyfile": ssl_keyfile, "server_header": False, "log_level": "info",
        "access_log": True,
    }
    if workers > 1:
        for k, v in (("IPSMATCH_DB", cfg.db),
                     ("IPSMATCH_TODAY", cfg.today.isoformat() if cfg.today else None)):
            if v:
                os.environ[k] = v
        uvicorn.run("ipsmatch.web.app:app_from_env", factory=True, workers=workers, **common)
        return
    from ipsmatch.web.app import create_app

    uvicorn.run(create_app(cfg), **common)
