from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ipsmatch.config import Settings
from ipsmatch.errors import ConfigError


def test_defaults_are_local(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    s = Settings.load()
    assert s.db == f"sqlite:///{tmp_path}/ipsmatch/ipsmatch.db"
    assert s.today is None and s.now() is None


def test_env_then_explicit_override(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("IPSMATCH_DB", "postgresql+psycopg://x@h/db")
    assert Settings.load().db == "postgresql+psycopg://x@h/db"
    assert Settings.load(db=str(tmp_path / "a.db")).db == f"sqlite:///{tmp_path / 'a.db'}"


def test_reference_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPSMATCH_TODAY", "2026-11-16")
    s = Settings.load()
    assert s.today == date(2026, 11, 16)
    assert s.now() == datetime(2026, 11, 16, 12, tzinfo=UTC)
    monkeypatch.setenv("IPSMATCH_TODAY", "16/11/2026")
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        Settings.load()


def test_bad_values_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        Settings.load(lang="fr")
    with pytest.raises(ConfigError):
        Settings.load(semantic="maybe")


def test_the_funder_rule_is_a_documented_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from ipsmatch.config import SETTINGS, FunderRule

    assert Settings.load().funder_rule() == FunderRule()
    assert FunderRule().count_fleksjob is False and FunderRule().min_hours == 1.0
    monkeypatch.setenv("IPSMATCH_FUNDER_MIN_HOURS", "8,5")
    monkeypatch.setenv("IPSMATCH_FUNDER_FLEKSJOB", "ja")
    rule = Settings.load().funder_rule()
    assert (rule.min_hours, rule.count_fleksjob) == (8.5, True)
    assert {s.env for s in SETTINGS} >= {"IPSMATCH_FUNDER_MIN_HOURS", "IPSMATCH_FUNDER_FLEKSJOB",
                                         "IPSMATCH_FUNDER_WEEKS_PER_MONTH"}
    monkeypatch.setenv("IPSMATCH_FUNDER_FLEKSJOB", "maybe")
    with pytest.raises(ConfigError, match="yes or no"):
        Settings.load()


def test_a_model_dir_that_is_a_file_is_a_config_error(tmp_path) -> None:
    f = tmp_path / "models"
    f.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="is a file"):
        Settings.load(model_dir=str(f))


def test_the_readme_documents_every_setting() -> None:
    """README "Settings" is the table in ipsmatch/config.py: each row names the variable and
    the CLI option."""
    from conftest import REPO

    from ipsmatch.config import SETTINGS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[3].strip(" `"): line.split("|")[2].strip(" `")
            for line in readme.split("## Settings", 1)[1].split("\n## ", 1)[0].splitlines()
            if line.startswith("| ") and "IPSMATCH_" in line}
    assert rows == {s.env: (s.option or "") for s in SETTINGS}


def test_the_cli_options_come_from_the_settings_table() -> None:
    """Each setting's option takes the table's flag and help text and names its variable
    (a --consultant that filters a listing is another option)."""
    import click

    from ipsmatch.cli import cli
    from ipsmatch.config import SETTINGS, setting

    where = {"db": [()], "model_dir": [()], "lang": [("suggest",), ("search",)],
             "consultant": [("contacts", "add"), ("feedback", "add")],
             "semantic": [("occupations", "match")]}
    assert set(where) == {s.name for s in SETTINGS if s.option}
    ctx = click.Context(cli)
    for name, paths in where.items():
        s = setting(name)
        for path in paths:
            cmd: click.Command | None = cli
            for part in path:
                assert isinstance(cmd, click.Group)
                cmd = cmd.get_command(ctx, part)
            assert cmd is not None
            (opt,) = [p for p in cmd.params if p.name == name]
            assert isinstance(opt, click.Option) and opt.opts == [s.option]
            assert opt.help is not None and opt.help.endswith(f"[env {s.env}]"), path
            assert opt.default is None  # the environment, then the default: Settings.load
