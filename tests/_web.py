"""Helpers for the workspace tests: a demo database made by `ipsmatch demo`, users, logins."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEMO_TODAY = "2026-11-16"
PASSWORD = "correct horse battery"


def env_for(tmp: Path) -> dict[str, str]:
    """A child-process environment that uses only ``tmp`` (data dir, no IPSMATCH_DB)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPSMATCH_")}
    env["XDG_DATA_HOME"] = str(tmp / "xdg")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def make_demo(tmp: Path) -> Path:
    """Run `ipsmatch demo` in ``tmp``; returns the demo database file."""
    subprocess.run([sys.executable, "-m", "ipsmatch", "demo"], cwd=tmp, env=env_for(tmp),
                   check=True, capture_output=True, timeout=300)
    db = tmp / "demo" / "ipsmatch-demo.db"
    assert db.exists()
    return db


def add_user(db_url: str, name: str, role: str, password: str = PASSWORD) -> None:
    from ipsmatch.store import Store
    from ipsmatch.web.users import add_user as add

    with Store.open(db_url) as store:
        add(store.engine, name, role, password)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def login(client: Any, name: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post("/login", data={"csrf": csrf_of(page.text), "username": name,
                                       "password": password, "next": "/caseload"},
                       follow_redirects=False)
