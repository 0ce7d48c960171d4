"""The README's CLI reference must name every command (an undocumented command fails)."""

from __future__ import annotations

import click
from conftest import REPO

from ipsmatch.cli import LAZY_COMMANDS, cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def _leaves() -> list[list[str]]:
    ctx = click.Context(cli)
    out: list[list[str]] = []

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            assert cmd is not None, f"command {name!r} is registered but cannot be imported"
            if isinstance(cmd, click.Group):
                walk(cmd, [*prefix, name])
            else:
                out.append([*prefix, name])

    walk(cli, [])
    return out


def test_every_command_is_in_the_readme() -> None:
    missing = [" ".join(p) for p in _leaves()
               if (f"ipsmatch {' '.join(p)}" if len(p) == 1 else " ".join(p)) not in README]
    assert missing == [], f"document these in README.md's CLI reference: {missing}"


def test_every_lazy_command_imports() -> None:
    assert {p[0] for p in _leaves()} == set(LAZY_COMMANDS)


def test_readme_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    assert "make demo" in README and "make test" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
