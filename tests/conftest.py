"""Shared fixtures. The database fixture runs each store test on SQLite and, when a server is
available (IPSMATCH_TEST_PG_URL, set by scripts/with-postgres.sh), on PostgreSQL too."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import click
import pytest
from click.testing import CliRunner, Result

from ipsmatch.domain import Vacancy

if TYPE_CHECKING:
    from ipsmatch.matcher import Matcher
    from ipsmatch.store import Store

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
JOBNET_SAMPLE = SHARED / "jobnet_sample"
FIXTURES = REPO / "fixtures"

PG_URL = os.environ.get("IPSMATCH_TEST_PG_URL")
PG_SKIP_REASON = ("no PostgreSQL server: set IPSMATCH_TEST_PG_URL or run through "
                  "scripts/with-postgres.sh (make test) with Debian's postgresql installed")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                   ) -> None:
    """Never touch the real user's data dir or database from a test."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("IPSMATCH_DB", raising=False)


# --- database URLs (store helper) -----------------------------------------------------------

@contextmanager
def pg_database() -> Iterator[str]:
    """The URL of a fresh PostgreSQL database on the test server, dropped afterwards; skips
    the test when there is no server (IPSMATCH_TEST_PG_URL)."""
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    import uuid

    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(PG_URL).set(database=name).render_as_string(
            hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a fresh SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'ipsmatch.db'}"
        return
    with pg_database() as url:
        yield url


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    """An initialised Store on each backend."""
    from ipsmatch.store import Store

    s = Store.open(db_url, create=True, lock_timeout=2.0).init()
    yield s
    s.close()


def import_from(folder: Path, name: str) -> ModuleType:
    """Import the script ``folder/name.py`` (e.g. a benchmark) without leaving ``folder`` on
    ``sys.path`` for the rest of the session."""
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(folder))
        return importlib.import_module(name)


# --- shared helpers: a CLI runner and a vacancy factory ---------------------------------------

@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def entry(args: tuple[str, ...]) -> None:
    """The console script as a Click command: through ``run_main``, so exit codes and error
    messages are the real ones (2 for usage, 1 for data, no traceback)."""
    from ipsmatch.cli import main

    main(list(args))


def run_cli(*args: str, db: str | os.PathLike[str] | None = None, input: str | None = "",
            env: dict[str, str] | None = None) -> Result:
    """``ipsmatch [--db DB] ARGS...`` as a user types it; stdin is empty unless ``input``."""
    argv = (["--db", str(db)] if db is not None else []) + list(args)
    return CliRunner().invoke(entry, argv, input=input, env=env)


@pytest.fixture
def cli() -> Callable[..., Result]:
    """:func:`run_cli` as a fixture: ``cli("--db", db, "index", "status")``."""
    return run_cli


_SEQ = iter(range(1, 10**9))


def vacancy(**kw: Any) -> Vacancy:
    """A plausible vacancy for a test; every field can be given. Without ``external_id``
    each call makes a new one (``t-1``, ``t-2``…)."""
    base: dict[str, Any] = {"source": "test", "title": "Lagermedarbejder", "text": "",
                            "postcode": "9400"}
    base.update(kw)
    base.setdefault("external_id", f"t-{next(_SEQ)}")
    return Vacancy(**base)


@pytest.fixture(scope="session")
def demo_matcher() -> Matcher:
    """One matcher over ``tests/_suggest_data.py`` for the session (read-only: a test that
    changes vacancies or employers builds its own with ``_suggest_data.demo_matcher()``)."""
    from _suggest_data import demo_matcher

    return demo_matcher()


@pytest.fixture
def make_vacancy() -> Callable[..., Vacancy]:
    """:func:`vacancy` as a fixture."""
    return vacancy


def insert_vacancies(store: Store, vacancies: Iterable[Vacancy], *,
                     seen: datetime | None = None) -> None:
    """Put vacancies (and their employers) in the store as active rows, as a refresh would,
    without a feed file: for tests that need rows in the store but do not test the refresh."""
    from ipsmatch.store.schema import vacancies as table
    from ipsmatch.store.serialize import vacancy_to_row

    now = seen or datetime.now(UTC)
    with store.engine.begin() as conn:
        for v in vacancies:
            eid = store.upsert_employer(v.employer, conn=conn) if v.employer else None
            conn.execute(table.insert(), {**vacancy_to_row(v), "employer_id": eid,
                                          "first_seen": now, "last_seen": now})
