"""Every command, bad values: one line on stderr and the documented exit code, never a
traceback (issue #14). Usage errors exit 2, data problems 1.

The commands are enumerated from the Click group ``ipsmatch.cli:cli`` (recursing into groups),
so a command added later is covered without editing this file: it is called with an unknown
option, with ``--db`` pointing at a file that is not a database, and with a table of bad values
for each of its parameters by type (numbers, dates, choices, paths, and free text such as ids).
The parameters not under test get a plausible value, so the bad one is the one that counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import Result
from conftest import FIXTURES, run_cli

from ipsmatch.cli import cli

#: commands that serve until stopped: only their argument parsing is exercised here
LONG_RUNNING = {("serve",)}


def _commands() -> Iterator[tuple[tuple[str, ...], click.Command]]:
    def walk(cmd: click.Command, path: tuple[str, ...], ctx: click.Context
             ) -> Iterator[tuple[tuple[str, ...], click.Command]]:
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None:
                    yield from walk(sub, (*path, name), click.Context(sub, parent=ctx,
                                                                      info_name=name))
        else:
            yield path, cmd

    yield from walk(cli, (), click.Context(cli, info_name="ipsmatch"))


COMMANDS = sorted(_commands(), key=lambda pc: pc[0])
IDS = [" ".join(p) for p, _ in COMMANDS]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A database with the demo's vacancies, citizens, contacts and job starts."""
    from ipsmatch.jobdev.contacts_csv import read_contacts_csv, read_job_starts_csv
    from ipsmatch.profile import load_profile, profile_to_dict
    from ipsmatch.refresh import refresh
    from ipsmatch.store import Store

    tmp = tmp_path_factory.mktemp("world")
    db = f"sqlite:///{tmp / 'ipsmatch.db'}"
    store = Store.open(db, create=True).init()
    refresh(store, [FIXTURES / "feeds" / "demo_jobposting.jsonl"], occupation_resolver=None)
    for p in sorted((FIXTURES / "citizens").iterdir()):
        prof = load_profile(p)
        store.save_citizen(prof.id, profile_to_dict(prof), "kons-anna", prof.start_date)
    read = read_contacts_csv(FIXTURES / "contacts.csv")
    store.import_contacts(read.records)
    read = read_job_starts_csv(FIXTURES / "job_starts.csv")
    store.import_job_starts(read.records)
    store.close()
    from ipsmatch.store.backup import backup

    backup(db, tmp / "backup.db")
    junk = tmp / "junk"
    junk.write_bytes(b"this is not a database\n" * 200)
    (tmp / "a_dir").mkdir()
    return {"db": db, "tmp": tmp, "junk": junk}


def _backup(world: dict[str, Any]) -> Path:
    return Path(world["tmp"]) / "backup.db"


def _good(param: click.Parameter, tmp: Path) -> str | None:
    """A plausible value for a parameter that is not under test (None: leave it out)."""
    t = param.type
    name = param.name or ""
    if isinstance(t, click.Choice):
        return str(t.choices[0])
    if isinstance(t, click.types._NumberParamTypeBase):  # Int, Float and their ranges
        return "2"
    if isinstance(t, click.DateTime) or t.name == "date":
        return "2026-11-02"
    if isinstance(t, click.Path):
        if "profile" in name:
            return str(FIXTURES / "citizens" / "demo-01.json")
        if name in ("feeds",):
            return str(FIXTURES / "feeds" / "demo_jobposting.jsonl")
        if getattr(t, "exists", False):
            return str(FIXTURES / "contacts.csv")
        return str(tmp / "out" / f"{name}.out")
    if "citizen" in name:
        return "demo-01"
    return "1"


def _args(path: tuple[str, ...], cmd: click.Command, tmp: Path,
          bad: tuple[click.Parameter, str] | None = None) -> list[str]:
    """The command line: every required parameter, and the one under test, if any."""
    args: list[str] = list(path)
    for p in cmd.params:
        is_bad = bad is not None and p is bad[0]
        if not (p.required or is_bad):
            continue
        value = bad[1] if is_bad and bad is not None else _good(p, tmp)
        if value is None:
            continue
        if isinstance(p, click.Option):
            args += [p.opts[0], value]
        else:
            args.append(value)
    return args


def _run(db: str, args: list[str]) -> Result:
    """``ipsmatch --db DB ARGS`` with the lexical text models only (fast)."""
    return run_cli(*args, db=db, env={"IPSMATCH_SEMANTIC": "off"})


def _no_traceback(r: Result, args: list[str]) -> None:
    crashed = r.exception is not None and not isinstance(r.exception, SystemExit)
    assert not crashed and "Traceback" not in r.output, (
        f"{args}: {type(r.exception).__name__}: {r.exception}\n{r.output}")
    lines = [line for line in r.output.splitlines() if line.startswith("Error")]
    assert len(lines) <= 1, (args, r.output)


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=IDS)
def test_an_unknown_option_is_a_usage_error(path: tuple[str, ...], cmd: click.Command,
                                            world: dict[str, Any]) -> None:
    args = [*_args(path, cmd, world["tmp"]), "--no-such-option"]
    r = _run(world["db"], args)
    _no_traceback(r, args)
    assert r.exit_code == 2, (args, r.output)


@pytest.mark.parametrize("kind", ["junk", "a_dir"])
@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=IDS)
def test_a_db_that_is_not_a_database_is_one_line(path: tuple[str, ...], cmd: click.Command,
                                                 kind: str, world: dict[str, Any]) -> None:
    if path in LONG_RUNNING or path == ("demo",):
        pytest.skip("does not use --db as given")
    args = _args(path, cmd, world["tmp"])
    if path == ("restore",):
        args = ["restore", str(_backup(world)), "--yes"]
    r = _run(str(world["tmp"] / kind), args)
    _no_traceback(r, args)
    assert r.exit_code in (0, 1, 2), (args, r.output)  # 0: the command needs no database
    if r.exit_code:
        assert r.output.strip(), args  # says what went wrong (or that it was not confirmed)


#: (values, exit codes allowed) by kind of parameter
INTS = (["99999999999999999999999", "²", "-99999999999999999999999", "1e3"], {2})
FLOATS = (["1e999", "nan", "²"], {2})
DATES = (["2026-02-30", "²", "99999-01-01"], {2})
EDGE_DATES = (["0001-01-01", "9999-12-31"], {0, 1, 2})
CHOICES = (["no-such-choice"], {2})
TEXTS = (["99999999999999999999999", "²", "%", "_", "x" * 20_000], {0, 1, 2})


def _paths(tmp: Path) -> tuple[list[str], set[int]]:
    # 0: a command may create the folder it writes into
    return ([str(tmp / "missing" / "dir" / "f"), str(tmp / "a_dir"), "/dev/full"], {0, 1, 2})


def _table(param: click.Parameter, tmp: Path) -> tuple[list[str], set[int]] | None:
    t = param.type
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    if isinstance(t, click.Choice):
        return CHOICES
    if isinstance(t, click.types._NumberParamTypeBase):
        return INTS if isinstance(t, click.types.IntParamType) else FLOATS
    if t.name == "date":
        return DATES[0] + EDGE_DATES[0], {0, 1, 2}
    if isinstance(t, click.Path):
        return _paths(tmp)
    if isinstance(t, click.types.StringParamType):
        return TEXTS
    return None


#: commands that read the whole demo, a feed or the text models on each call: their value
#: table runs with the slow tests (their unknown-option and --db cases stay in the default run)
EXPENSIVE = {("demo",), ("index", "refresh"), ("search",), ("occupations", "match")}
CASES = [pytest.param(path, cmd, p, id=f"{' '.join(path)}:{p.name}",
                      marks=[pytest.mark.slow] if path in EXPENSIVE else [])
         for path, cmd in COMMANDS if path not in LONG_RUNNING
         for p in cmd.params if p.name not in ("help",)]


@pytest.mark.parametrize(("path", "cmd", "param"), CASES)
def test_bad_values_are_one_line_with_the_right_exit_code(
        path: tuple[str, ...], cmd: click.Command, param: click.Parameter,
        world: dict[str, Any]) -> None:
    table = _table(param, world["tmp"])
    if table is None:
        pytest.skip(f"{param.name}: a flag, nothing to get wrong")
    values, codes = table
    for value in values:
        if path == ("demo",) and isinstance(param.type, click.Path) and value != "/dev/full":
            continue  # the demo creates its folder and runs in full: too slow here
        args = _args(path, cmd, world["tmp"], (param, value))
        r = _run(world["db"], args)
        _no_traceback(r, args)
        assert r.exit_code in codes, (args, r.exit_code, r.output)
        if r.exit_code:
            assert r.output.strip(), args  # an error says what went wrong
