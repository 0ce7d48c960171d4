"""``ipsmatch demo``: load the bundled North Jutland demo data and run ``suggest``.

The demo is a script of ordinary ipsmatch commands, each printed before it runs, so a new user
sees exactly what to type for their own data.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import click

from ipsmatch.config import demo_data_dir
from ipsmatch.errors import UsageError

#: The fixtures were generated as of this date (scripts/make_fixtures.py); the demo pins
#: IPSMATCH_TODAY to it so deadlines and freshness look the same on any day.
FIXTURES_DATE = "2026-11-16"


def demo_steps(fx: Path, citizen: str) -> list[list[str]]:
    """The demo's commands (argument lists), in order; tests load the same data with them."""
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

    ips = fx / "ips"
    if ips.is_dir():  # issue #17: a citizen with a career profile and a disclosure choice
        steps += [["citizen", "add", str(p)] for p in sorted(ips.glob("*.json"))]
    if "education" in LAZY_COMMANDS and (fx / "education" / "catalogue.csv").exists():
        steps.append(["education", "import", str(fx / "education" / "catalogue.csv")])
    if "contacts" in LAZY_COMMANDS:
        steps.append(["contacts", "import", str(fx / "contacts.csv")])
    if "outcomes" in LAZY_COMMANDS and (fx / "job_starts.csv").exists():
        steps.append(["outcomes", "import", str(fx / "job_starts.csv")])
    if "fidelity" in LAZY_COMMANDS:
        steps.append(["fidelity", "--to", FIXTURES_DATE])
    steps.append(["index", "status"])
    steps.append(["suggest", citizen, "--limit", "10", "--format", "table"])
    if "education" in LAZY_COMMANDS and ips.is_dir():
        steps.append(["search", "elevplads", "--near", "9000", "--limit", "5",
                      "--format", "table"])
        # the disclosure choice honoured: only what demo-06 agreed to share, and only the
        # free texts the consultant confirmed
        steps.append(["sheet", "demo-06", "--include", "career.strengths[0]",
                      "--include", "career.work_history[1]"])
        # support after the start: a job whose hours grow (8 -> 12), a plan, follow-along
        steps += [
            ["outcomes", "start", "--citizen", "demo-06", "--employer", "Frederiksen Pizzeria",
             "--title", "Køkkenmedhjælper", "--date", "2026-10-19", "--hours", "8",
             "--wage-form", "ordinary", "--contact-person", "køkkenchefen"],
            ["followup", "hours", "demo-06", "12", "--date", "2026-11-09"],
            ["followup", "plan", "demo-06", "--support", "opgaverne skrevet ned=employer",
             "--support", "opfølgning hver 14. dag=consultant", "--next", "2026-11-23",
             "--goal-hours", "15"],
            ["followup", "contact", "demo-06", "--date", "2026-11-12", "--with", "both"],
            ["followup", "show", "demo-06"],
        ]
        steps.append(["suggest", "demo-06", "--limit", "5", "--format", "table"])
        steps.append(["report", "demo-06", "--next", "Spørge køkkenet om 15 timer fra januar",
                      "--next", "Søge ind på Gastronom (kok) til januar"])
        steps.append(["funder-export", "--from", "2026-09", "--to", "2026-11"])
    return steps


@click.command("demo")
@click.option("--demo-db", type=click.Path(dir_okay=False), default="demo/ipsmatch-demo.db",
              show_default=True, help="Demo database file (recreated on every run).")
@click.option("--citizen", default="demo-01", show_default=True,
              help="Demo citizen to run suggest for (demo-01 … demo-05).")
@click.option("--fixtures", type=click.Path(file_okay=False), default=None,
              help="Demo data directory [default: the copy in the installed package, or "
                   "fixtures/ of the source checkout].")
def demo_cmd(demo_db: str, citizen: str, fixtures: str | None) -> None:
    """Load the bundled demo region (Aalborg, Nørresundby, Hjørring) and run suggest.

    Uses its own database file, never your real one, and pins the reference date to the day
    the demo data was made.
    """
    from ipsmatch.cli import cli

    fx = Path(fixtures) if fixtures else demo_data_dir()
    if fx is None or not (fx / "feeds").is_dir():
        raise UsageError(f"demo data not found{f' in {fx}' if fx else ''}",
                         hint="this ipsmatch was installed without it: reinstall from a "
                              "checkout or a wheel built from one, or pass --fixtures DIR")
    db = Path(demo_db)
    from ipsmatch.config import private_files

    with private_files():  # the demo database holds (made-up) citizens: owner-only like a real one
        db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    # the demo's commands read the pinned date from the environment; it is put back after,
    # so a process that runs the demo (a test, a notebook) keeps its own reference date
    saved = os.environ.get("IPSMATCH_TODAY")
    os.environ["IPSMATCH_TODAY"] = FIXTURES_DATE
    try:
        from ipsmatch.config import Settings
        from ipsmatch.text.embed import semantic_choice

        cfg = Settings.load()
        backend = semantic_choice(cfg.model_dir)[0] if cfg.semantic != "off" else None
        prog = program_name()
        click.secho(f"# demo data as of {FIXTURES_DATE} (IPSMATCH_TODAY); database {db}", fg="cyan")
        click.secho(f"# semantic model: {backend or 'none (lexical matching only)'}", fg="cyan")
        if prog != "ipsmatch":
            click.secho(f"# ipsmatch is not on your PATH: type {prog} (or activate its venv: "
                        f"source {Path(prog).parent}/activate)", fg="cyan")
        for args in demo_steps(fx, citizen):
            full = ["--db", str(db), *args]
            shown = " ".join(shlex.quote(_short(a)) for a in full)
            click.secho(f"\n$ {prog} {shown}", fg="cyan", bold=True)
            cli.main(args=full, prog_name="ipsmatch", standalone_mode=False)
    finally:
        if saved is None:
            os.environ.pop("IPSMATCH_TODAY", None)
        else:
            os.environ["IPSMATCH_TODAY"] = saved
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


def program_name() -> str:
    """How to type this ipsmatch: ``ipsmatch`` when that is what PATH finds, else its path
    (relative when inside the current folder, e.g. ``.venv/bin/ipsmatch`` after make demo)."""
    argv0 = Path(sys.argv[0])
    if argv0.name != "ipsmatch" or not argv0.exists():
        exe = Path(sys.executable).parent / "ipsmatch"
        argv0 = exe if exe.exists() else Path("ipsmatch")
    found = shutil.which("ipsmatch")
    if found and argv0.exists() and Path(found).resolve() == argv0.resolve():
        return "ipsmatch"
    if not argv0.exists():
        return "ipsmatch"
    return shlex.quote(_short(str(argv0.absolute())))


def _short(arg: str) -> str:
    # Print repo-relative paths: shorter, and what the user would type in the checkout.
    try:
        return str(Path(arg).resolve().relative_to(Path.cwd()))
    except ValueError:
        return arg
