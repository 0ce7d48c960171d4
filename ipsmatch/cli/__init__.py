"""The ``ipsmatch`` command line: a thin Click shell over the library.

Commands live in small modules by role and are imported lazily (``LAZY_COMMANDS``), so
``ipsmatch --help`` and lexical-only commands never import torch or the text models.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from ipsmatch.cli.common import run_main, setting_option

#: command name -> "module:attribute"
LAZY_COMMANDS: dict[str, str] = {
    "init": "ipsmatch.cli.index:init_cmd",
    "index": "ipsmatch.cli.index:index_group",
    "vacancies": "ipsmatch.cli.index:vacancies_group",
    "occupations": "ipsmatch.cli.occupations:occupations_group",
    "citizen": "ipsmatch.cli.citizen:citizen_group",
    "suggest": "ipsmatch.cli.suggest:suggest_cmd",
    "search": "ipsmatch.cli.suggest:search_cmd",
    "employers": "ipsmatch.cli.index:employers_group",
    "demo": "ipsmatch.cli.demo:demo_cmd",
    "contacts": "ipsmatch.cli.jobdev:contacts_group",
    "outcomes": "ipsmatch.cli.jobdev:outcomes_group",
    "feedback": "ipsmatch.cli.jobdev:feedback_group",
    "fidelity": "ipsmatch.cli.jobdev:fidelity_cmd",
    "backup": "ipsmatch.cli.admin:backup_cmd",
    "restore": "ipsmatch.cli.admin:restore_cmd",
    "audit": "ipsmatch.cli.admin:audit_cmd",
    "education": "ipsmatch.cli.education:education_group",
    "sheet": "ipsmatch.cli.ips:sheet_cmd",
    "followup": "ipsmatch.cli.ips:followup_group",
    "report": "ipsmatch.cli.ips:report_cmd",
    "funder-export": "ipsmatch.cli.ips:funder_cmd",
    "tokens": "ipsmatch.cli.tokens:tokens_group",
    "serve": "ipsmatch.cli.web:serve_cmd",
    "users": "ipsmatch.cli.web:users_group",
}


class LazyGroup(click.Group):
    """Imports a command's module only when the command runs (or help lists it)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module_name, attr = LAZY_COMMANDS[cmd_name].split(":")
            cmd: click.Command = getattr(importlib.import_module(module_name), attr)
            return cmd
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@setting_option("db")
@setting_option("model_dir")
@click.version_option(package_name="ipsmatch")
@click.pass_context
def cli(ctx: click.Context, db: str | None, model_dir: str | None) -> None:
    """ipsmatch: find jobs and employers for IPS citizens, with reasons.

    Exit codes: 0 ok; 1 an error in the data or the database (or, with --strict, rejected
    rows); 2 a usage error (bad option, unknown file or id).
    """
    from ipsmatch.config import Settings

    ctx.obj = Settings.load(db=db, model_dir=model_dir)


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point: runs the CLI and maps ipsmatch errors to exit codes."""
    return run_main(cli, argv if argv is not None else sys.argv[1:])
