"""``ipsmatch tokens``: API tokens for systems (create, list, revoke); see docs/deployment.md."""

from __future__ import annotations

import click

from ipsmatch.cli.common import emit_records, format_option
from ipsmatch.cli.index import open_store

TOKEN_COLUMNS = ("name", "role", "status", "created_at", "last_used_at", "revoked_at")


@click.group("tokens")
def tokens_group() -> None:
    """Tokens for systems that use the HTTP API (`Authorization: Bearer TOKEN`)."""


@tokens_group.command("create")
@click.option("--name", required=True, metavar="NAME",
              help="Who uses it, e.g. sagssystem; the access log records this name.")
@click.option("--role", required=True, type=click.Choice(["consultant", "leader", "admin"]),
              help="What it may do, as a user with that role.")
def tokens_create(name: str, role: str) -> None:
    """Create a token and print it once (only its hash is stored)."""
    from ipsmatch.web.tokens import create_token

    token, info = create_token(open_store().engine, name, role)
    click.echo(token)
    click.echo(f"token {info.name!r} ({info.role}) created; it is shown only this once: "
               "store it in the calling system's secret store", err=True)


@tokens_group.command("list")
@format_option()
def tokens_list(fmt: str) -> None:
    """The tokens (never their secrets), active and revoked."""
    from ipsmatch.web.tokens import list_tokens

    emit_records([t.to_dict() for t in list_tokens(open_store().engine)], fmt, TOKEN_COLUMNS)


@tokens_group.command("revoke")
@click.argument("name")
def tokens_revoke(name: str) -> None:
    """Revoke the token NAME: it stops working at once, in every worker."""
    from ipsmatch.web.tokens import revoke_token

    info = revoke_token(open_store().engine, name)
    click.echo(f"token {info.name!r} revoked")
