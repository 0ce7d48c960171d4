"""Issue #14, "a real install": a wheel built from the checkout is as complete as the checkout.

Builds the wheel (pip, isolated build: it fetches setuptools from the configured index),
installs it into a fresh venv and runs ``ipsmatch demo`` from another directory and from
inside the checkout, asserting the semantic model was used. The venv reuses this venv's
dependencies through a ``.pth`` path line (no download of numpy & co.); ipsmatch itself comes
only from the wheel. Slow (about a minute): ``.ci/run`` runs it after ``make test``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("IPSMATCH_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["XDG_DATA_HOME"] = str(tmp / "xdg")
    return env


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("install")
    env = _env(tmp)
    wheels = tmp / "wheels"
    r = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, REPO],
             tmp, env)
    assert r.returncode == 0, r.stderr[-3000:]
    [wheel] = wheels.glob("ipsmatch-*.whl")
    venv = tmp / "venv"
    assert _run([sys.executable, "-m", "venv", venv], tmp, env).returncode == 0
    site = Path(_run([venv / "bin" / "python", "-c",
                      "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     tmp, env).stdout.strip())
    # this venv's dependencies as a plain path (its own .pth files, such as the editable
    # ipsmatch of the checkout, are not run from there)
    (site / "zz_shared_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    r = _run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps",
              "--force-reinstall", wheel], tmp, env)
    assert r.returncode == 0, r.stderr[-3000:]
    return wheel, venv, env


def test_the_wheel_ships_models_and_demo_data(installed: tuple[Path, Path, dict[str, str]]
                                              ) -> None:
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for need in ("ipsmatch/models/static-da-e5/manifest.json",
                 "ipsmatch/models/static-da-e5/vectors.npy",
                 "ipsmatch/models/e5-labels/vectors.npy",
                 "ipsmatch/models/e5-labels/labels.json",
                 "ipsmatch/fixtures/employers.csv",
                 "ipsmatch/fixtures/feeds/demo_vacancies.csv"):
        assert need in names, f"{need} is not in {wheel.name}"
    size_mb = wheel.stat().st_size / 1e6
    print(f"\nwheel {wheel.name}: {size_mb:.1f} MB")
    assert size_mb < 40


def test_installed_demo_runs_anywhere_with_the_semantic_model(
        installed: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    _, venv, env = installed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([venv / "bin" / "python", "-c", "import ipsmatch; print(ipsmatch.__file__)"],
                 elsewhere, env)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    backend = _run([venv / "bin" / "python", "-c",
                    "from ipsmatch.taxonomy import OccupationMatcher; "
                    "print(OccupationMatcher.load().semantic_backend)"], elsewhere, env)
    assert backend.stdout.strip() == "e5", backend.stdout + backend.stderr
    for cwd, extra in ((elsewhere, []), (REPO, ["--demo-db", str(tmp_path / "d2.db")])):
        r = _run([venv / "bin" / "ipsmatch", "demo", *extra], cwd, env)
        assert r.returncode == 0, (cwd, r.stdout[-2000:], r.stderr[-2000:])
        assert "semantic model: e5" in r.stdout, r.stdout[:2000]
        # no model warning (the demo's other warnings, e.g. about consent not asked, are data)
        model_warnings = [w for w in r.stderr.splitlines()
                          if w.startswith("Warning") and ("model" in w or "semantic" in w)]
        assert not model_warnings, r.stderr
        assert "Traceback" not in r.stderr
    # the printed commands can be copied: they name the venv's ipsmatch (it is not on PATH)
    assert f"$ {shlex.quote(str(venv / 'bin' / 'ipsmatch'))} --db" in r.stdout
