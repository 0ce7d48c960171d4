"""``ipsmatch demo``: load the bundled North Jutland demo data and run ``suggest``.

The demo is a script of ordinary ipsmatch commands, each printed before it runs, so a new user
sees exactly what to type for their own data.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import click

from ipsmatch.config import REPO_DIR
from ipsmatch.errors import UsageError

#: The fixtures were generated as of this date (scripts/make_fixtures.py); the demo pins
#: IPSMATCH_TODAY to it so deadlines and freshness look the same on any day.
FIXTURES_DATE = "2026-11-16"


def _steps(fx: Path, citizen: str) -> list[list[str]]:
    feeds = fx / "feeds"
    steps = [
        ["init"],
        ["index", "refresh", str(feeds / "demo_jobnet_page.json"),
         *sorted(str(p) for p in (feeds / "jobnet_details").glob("*.json")),
         str(feeds / "demo_jobposting.jsonl"), str(feeds / "demo_vacancies.csv")],
        ["employers", "import", str(fx / "employers.csv")],
        *(["citizen", "add", str(p)] for p in sorted((fx / "citizens").iterdir())
          if p.suffix in (".json", ".toml")),
    ]
    from ipsmatch.cli import LAZY_COMMANDS

    if "contacts" in LAZY_COMMANDS:
        steps.append(["contacts", "import", str(fx / "contacts.csv")])
    if "outcomes" in LAZY_COMMANDS and (fx / "job_starts.csv").exists():
        steps.append(["outcomes", "import", str(fx / "job_starts.csv")])
    if "fidelity" in LAZY_COMMANDS:
        steps.append(["fidelity", "--to", FIXTURES_DATE])
    steps.append(["index", "status"])
    steps.append(["suggest", citizen, "--limit", "10", "--format", "table"])
    return steps


@click.command("demo")
@click.option("--demo-db", type=click.Path(dir_okay=False), default="demo/ipsmatch-demo.db",
              show_default=True, help="Demo database file (recreated on every run).")
@click.option("--citizen", default="demo-01", show_default=True,
              help="Demo citizen to run suggest for (demo-01 … demo-05).")
@click.option("--fixtures", type=click.Path(file_okay=False), default=None,
              help="Fixtures directory [default: fixtures/ of the source checkout].")
def demo_cmd(demo_db: str, citizen: str, fixtures: str | None) -> None:
    """Load the bundled demo region (Aalborg, Nørresundby, Hjørring) and run suggest.

    Uses its own database file, never your real one, and pins the reference date to the day
    the demo data was made.
    """
    from ipsmatch.cli import cli

    fx = Path(fixtures) if fixtures else REPO_DIR / "fixtures"
    if not (fx / "feeds").is_dir():
        raise UsageError(f"demo data not found in {fx}",
                         hint="run from a source checkout, or pass --fixtures DIR")
    db = Path(demo_db)
    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["IPSMATCH_TODAY"] = FIXTURES_DATE
    click.secho(f"# demo data as of {FIXTURES_DATE} (IPSMATCH_TODAY); database {db}", fg="cyan")
    for args in _steps(fx, citizen):
        full = ["--db", str(db), *args]
        shown = " ".join(shlex.quote(_short(a)) for a in full)
        click.secho(f"\n$ ipsmatch {shown}", fg="cyan", bold=True)
        cli.main(args=full, prog_name="ipsmatch", standalone_mode=False)
    _demo_user(db)


#: the demo's workspace user: a team leader, so every page (fidelity too) can be tried
DEMO_USER = "kons-demo"


def _demo_user(db: Path) -> None:
    """A workspace login for the demo with a fresh random password, which `ipsmatch serve`
    prints once (from a 0600 note beside the database, deleted when shown)."""
    import secrets

    try:
        from ipsmatch.cli.web import demo_login_file
        from ipsmatch.web.users import add_user
    except ModuleNotFoundError:  # the workspace is not in this build
        return
    from ipsmatch.config import private_files
    from ipsmatch.store import Store

    password = secrets.token_urlsafe(12)
    with Store.open(f"sqlite:///{db.resolve()}") as store:
        add_user(store.engine, DEMO_USER, "leader", password)
    with private_files():
        demo_login_file(db).write_text(f"user {DEMO_USER}, password {password}\n",
                                       encoding="utf-8")
    click.secho("\n# the workspace: run `ipsmatch serve` and open http://127.0.0.1:8765/ "
                "(it prints the demo login once)", fg="cyan")


def _short(arg: str) -> str:
    # Print repo-relative paths: shorter, and what the user would type in the checkout.
    try:
        return str(Path(arg).resolve().relative_to(Path.cwd()))
    except ValueError:
        return arg
