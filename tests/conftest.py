"""Shared fixtures. The database fixture runs each store test on SQLite and, when a server is
available (IPSMATCH_TEST_PG_URL, set by scripts/with-postgres.sh), on PostgreSQL too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
