"""Shared CLI pieces: error mapping, output formats, settings access."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

from ipsmatch.errors import IpsmatchError

F = TypeVar("F", bound=Callable[..., Any])


def run_main(group: click.Group, argv: list[str]) -> Any:
    """Run ``group``; an IpsmatchError becomes ``Error: message`` on stderr and its exit code."""
    import warnings

    from ipsmatch.privacy import redact_cpr

    warnings.showwarning = _show_warning

    # Messages go through redact_cpr: one that echoes what the user typed ("no citizen …",
    # "not a date: …") must not copy a CPR number into a terminal or a log.
    try:
        return group.main(args=argv, prog_name="ipsmatch", standalone_mode=False)
    except IpsmatchError as exc:
        click.echo(f"Error: {redact_cpr(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        # (typed Final in click; show() formats it, so mask it there)
        setattr(exc, "message", redact_cpr(exc.message))  # noqa: B010
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except UnicodeEncodeError as exc:
        # Bytes that are not UTF-8 on the command line reach Python as lone surrogates
        # ("\udcff"); no database or file can take them. Feeds and profiles clean their own
        # text (ipsmatch.text.clean); arguments are left alone, as file names need them.
        bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else ""
        shown = bad.encode("utf-8", "surrogateescape").hex(" ") if bad else "?"
        click.echo(f"Error: text that is not UTF-8 (byte(s) {shown}) in an argument or "
                   "an environment variable", err=True)
        click.echo("Hint: set the terminal to UTF-8, or retype the value", err=True)
        sys.exit(2)
    except OSError as exc:
        # The machine, not the input: a full disk, a folder that vanished, no permission.
        where = f": {exc.filename}" if exc.filename else ""
        click.echo(f"Error: {exc.strerror or exc}{where}", err=True)
        sys.exit(1)
    except Exception as exc:
        import sqlite3

        import sqlalchemy as sa

        if not isinstance(exc, sa.exc.SQLAlchemyError | sqlite3.Error):
            raise  # a bug: the traceback is what a developer needs
        # The database refused: say so in one line (the library maps the cases it expects).
        orig = getattr(exc, "orig", None) or exc
        first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
        if "disk is full" in first or "No space left" in first:
            click.echo("Error: the disk is full: nothing was written", err=True)
            click.echo("Hint: free some space, then run the command again", err=True)
        else:
            click.echo(f"Error: the database refused the operation: {first}", err=True)
            click.echo("Hint: check --db / IPSMATCH_DB", err=True)
        sys.exit(1)


class FiniteFloatRange(click.FloatRange):
    """A FloatRange that also refuses nan and inf (click lets nan through any range)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> Any:
        rv = super().convert(value, param, ctx)
        if rv is not None and not math.isfinite(rv):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return rv


#: ``--limit N``: at most this many rows (a bigger N is a typo, and no database takes it)
LIMIT = click.IntRange(1, 1_000_000)
#: a row id (``outcomes end JOB_ID``): what either database can store
ROW_ID = click.IntRange(1, 2**63 - 1)


_python_showwarning = __import__("warnings").showwarning


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """ipsmatch's own warnings as one ``Warning: ...`` line on stderr; others as Python does."""
    if category.__module__.startswith("ipsmatch"):
        click.echo(f"Warning: {message}", err=True)
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


def settings(ctx: click.Context | None = None) -> Any:
    """The Settings object the root group resolved."""
    ctx = ctx or click.get_current_context()
    return ctx.find_root().obj


def format_option(choices: Sequence[str] = ("table", "json", "csv"),
                  default: str | None = "table") -> Callable[[F], F]:
    """``--format`` written once, shared by every command that prints. ``default=None``: a
    table on a terminal, JSON when piped (:func:`output_format`)."""
    if default is None:
        return click.option("--format", "fmt", type=click.Choice(list(choices)), default=None,
                            help="Output format [default: table on a terminal, json "
                                 "otherwise].")
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default,
                        show_default=True, help="Output format.")


def output_format(fmt: str | None) -> str:
    """The ``--format`` of a :func:`format_option` without a default: a table on a terminal,
    JSON when piped into another program."""
    return fmt or ("table" if sys.stdout.isatty() else "json")


def setting_option(name: str, *, help: str | None = None) -> Callable[[F], F]:
    """The option of the setting ``name``, from the settings table
    (:data:`ipsmatch.config.SETTINGS`): its flag, metavar or choices, help text and
    environment variable are written there once. ``help`` says what the setting means to
    this command, when that is more than the table's words.

    The option's value is None when not given: :meth:`ipsmatch.config.Settings.load` then
    takes the environment variable, else the default (read it from :func:`settings`)."""
    from ipsmatch.config import setting

    s = setting(name)
    if s.option is None:
        raise ValueError(f"the setting {name!r} has no CLI option")
    kind: Any = click.Choice(list(s.choices)) if s.choices else None
    text = (help or s.help).rstrip()
    return click.option(s.option, s.name, type=kind, default=None,
                        metavar=None if s.choices else s.metavar,
                        help=f"{text} [env {s.env}]")


#: ``--force`` on the commands that store what a consultant writes about a case
health_force_option = click.option(
    "--force", "allow_health", is_flag=True,
    help="Keep free text that looks like health details (diagnosis, admission, medication); "
         "without it such text is refused. Only for a deliberate note (see PRIVACY.md).")


def emit_records(records: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str]) -> None:
    """Print records as a table (``columns`` only), JSON (all keys) or CSV (``columns``)."""
    rows = list(records)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False, default=str))
    elif fmt == "csv":
        from ipsmatch.csvout import write_csv

        click.echo(write_csv(({k: _flat(r.get(k)) for k in columns} for r in rows), columns),
                   nl=False)
    else:
        click.echo(render_table(rows, columns))


def _flat(v: Any) -> Any:
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, default=str)
    return v


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[str],
                 max_width: int = 48, headers: Sequence[str] | None = None) -> str:
    """A plain aligned text table; long cells are cut with an ellipsis. ``headers``: what
    to print above each column (default: the column keys)."""
    def cell(v: Any) -> str:
        s = "" if v is None else str(_flat(v))
        s = s.replace("\n", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    body = [[cell(r.get(c)) for c in columns] for r in rows]
    heads = list(headers) if headers is not None else list(columns)
    widths = [max([len(c)] + [len(b[i]) for b in body]) for i, c in enumerate(heads)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(heads, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(b, widths, strict=True)) for b in body]
    return "\n".join(lines)
