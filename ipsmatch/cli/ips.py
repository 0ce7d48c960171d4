"""IPS beyond the job search (issue #17) on the command line: the employer-facing
jobudviklingsark (``sheet``). Thin: read the stored profile, call the library, print.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from ipsmatch.cli.common import settings


def _profile(citizen_id: str, action: str) -> Any:
    from ipsmatch.cli.suggest import load_citizen
    from ipsmatch.profile import as_profile

    return as_profile(load_citizen(settings(), citizen_id, action=action))


def _write(text: str, out: str | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    from ipsmatch.config import private_files

    with private_files():
        Path(out).write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)


@click.command("sheet")
@click.argument("citizen_id")
@click.option("--include", "include", multiple=True, metavar="KEY",
              help="A free text the consultant confirmed for the sheet (repeatable), e.g. "
                   "career.strengths[0]; without it each one is asked on a terminal.")
@click.option("--format", "fmt", type=click.Choice(["text", "html"]), default="text",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file.")
def sheet_cmd(citizen_id: str, include: tuple[str, ...], fmt: str, out: str | None) -> None:
    """The jobudviklingsark for CITIZEN_ID: what an employer may read (Danish, printable).

    Only what the citizen agreed to share (profile `disclosure`) is on it; each free text
    (wishes, strengths, past jobs ...) is shown to you first and goes on only if you say yes.
    """
    from ipsmatch.ips.disclosure import jobdev_sheet, sheet_free_texts

    cfg = settings()
    p = _profile(citizen_id, "sheet")
    chosen = set(include)
    if not include and sys.stdin.isatty():
        jobdev_sheet(p)  # refuses (ConsentError) before asking anything
        for t in sheet_free_texts(p):
            if click.confirm(f"På arket? {t.label}: «{t.text}»", default=False, err=True):
                chosen.add(t.key)
    sheet = jobdev_sheet(p, include=chosen, consultant=cfg.consultant,
                         today=cfg.today or date.today())
    if sheet.pending:
        click.echo(f"Left off ({len(sheet.pending)} free text(s) not confirmed; add with "
                   "--include KEY): " + ", ".join(t.key for t in sheet.pending), err=True)
    _write(sheet.html() if fmt == "html" else sheet.text(), out)
