"""One settings object: each setting has a name, a default, a help text, an ``IPSMATCH_*``
environment variable and (for some) a CLI option. The CLI (:func:`ipsmatch.cli.common.
setting_option`), the docs (README "Settings", checked by tests/test_config.py) and the
library read the same table, so there is one place to add a setting.

Precedence: explicit argument / CLI option > environment variable > default.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from ipsmatch.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/ipsmatch`` (``~/.local/share/ipsmatch``): local to the user, per machine."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ipsmatch"


@contextlib.contextmanager
def private_files() -> Iterator[None]:
    """Create files 0600 and directories 0700 inside the block (umask 077).

    Everything ipsmatch writes under the data dir (database, search indexes, caches) is
    readable by its owner only. The umask is process-wide, so keep the block short.
    """
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def write_private_text(path: str | Path, text: str, *, overwrite: bool = False) -> Path:
    """Write ``text`` to ``path`` readable by its owner only (0600), atomically.

    For files that name citizens (reports, exports). An existing file is kept unless
    ``overwrite`` (UsageError, exit 2: ``--force``); a missing folder is created 0700.
    """
    from ipsmatch.errors import InputError, UsageError

    p = Path(path)
    if p.exists() and not overwrite:
        raise UsageError(f"{p} exists", hint="add --force to overwrite it")
    if p.is_dir():
        raise UsageError(f"{p} is a folder", hint="give a file name")
    tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
    try:
        with private_files():
            p.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, p)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {p}: {exc.strerror or exc}") from None
    return p


def default_db_url() -> str:
    return f"sqlite:///{default_data_dir() / 'ipsmatch.db'}"


def default_model_dir() -> Path:
    """Where the bundled text models are: ``models/`` of a source checkout (an editable
    install), else ``ipsmatch/models`` inside an installed wheel (setup.py copies them there),
    else the data dir. IPSMATCH_MODEL_DIR overrides all three."""
    for d in (REPO_DIR / "models", PACKAGE_DIR / "models"):
        if (d / "static-da-e5" / "manifest.json").is_file():
            return d
    return default_data_dir() / "models"


def demo_data_dir() -> Path | None:
    """The demo data (``fixtures/``): inside an installed wheel, or of the source checkout
    this package was imported from; None when neither has it."""
    for d in (PACKAGE_DIR / "fixtures", REPO_DIR / "fixtures"):
        if (d / "feeds").is_dir() and (d / "citizens").is_dir():
            return d
    return None


@dataclass(frozen=True)
class Setting:
    """One row of the settings table: the :class:`Settings` field ``name``, its environment
    variable, its help text, and the CLI option that sets it on the commands that take it
    (with its ``metavar`` or its ``choices``)."""

    name: str
    env: str
    help: str
    option: str | None = None
    metavar: str | None = None
    choices: tuple[str, ...] | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "IPSMATCH_DB", "Database URL (SQLAlchemy) or SQLite file path [default: "
            "~/.local/share/ipsmatch/ipsmatch.db; PostgreSQL: "
            "postgresql+psycopg://user@host/db].", "--db", metavar="URL"),
    Setting("model_dir", "IPSMATCH_MODEL_DIR", "Directory with the text models [default: "
            "models/ of a source checkout, or the copy inside an installed wheel].",
            "--model-dir", metavar="DIR"),
    Setting("semantic", "IPSMATCH_SEMANTIC", "Semantic text model: auto (use it when "
            "installed), on (require it), off (lexical only) [default: auto].", "--semantic",
            choices=("auto", "on", "off")),
    Setting("consultant", "IPSMATCH_CONSULTANT", "Consultant id written to the records and "
            "the access log [default: the login name].", "--consultant", metavar="NAME"),
    Setting("lang", "IPSMATCH_LANG", "Language of reasons [default: da].", "--lang",
            choices=("da", "en")),
    Setting("today", "IPSMATCH_TODAY", "Reference date (YYYY-MM-DD) for deadlines and "
            "freshness; default: today. The demo pins it to the date its data was made.", None),
    Setting("funder_min_hours", "IPSMATCH_FUNDER_MIN_HOURS", "Funder export: paid hours a "
            "citizen must reach in a month to count (default 1; see FunderRule).", None),
    Setting("funder_count_fleksjob", "IPSMATCH_FUNDER_FLEKSJOB", "Funder export: whether "
            "fleksjob hours count as paid hours: yes or no (default no).", None),
    Setting("funder_weeks_per_month", "IPSMATCH_FUNDER_WEEKS_PER_MONTH", "Funder export: "
            "weeks in a month when weekly hours become monthly hours (default 52/12 = "
            "4.333; a part month counts by its days).", None),
)


def setting(name: str) -> Setting:
    """The row of :data:`SETTINGS` for the :class:`Settings` field ``name``."""
    for s in SETTINGS:
        if s.name == name:
            return s
    raise KeyError(name)


@dataclass(frozen=True)
class FunderRule:
    """How the monthly funder export counts a citizen (Danish municipalities' result-based
    IPS funding counts citizens with ordinary paid hours or education in a month). The
    agreement with the funder decides the values; these are the defaults:

    - ``min_hours``: paid hours in the month needed to count (default 1.0: any paid work);
    - ``count_fleksjob``: fleksjob hours count as paid hours (default False: fleksjob is its
      own category, as in the fidelity figures);
    - ``weeks_per_month``: a full month of a 10-hour week is 10 × 52/12 = 43.3 hours; a part
      month counts by its days (10 hours a week for 15 of 30 days = 21.7 hours).

    Hours in ``other`` wage forms (løntilskud, virksomhedspraktik) never count: they are not
    ordinary paid work. An education counts when the citizen is enrolled on any day of the
    month.
    """

    min_hours: float = 1.0
    count_fleksjob: bool = False
    weeks_per_month: float = 52 / 12


@dataclass
class Settings:
    """Resolved settings. Build with :meth:`Settings.load`."""

    db: str = field(default_factory=default_db_url)
    model_dir: Path = field(default_factory=default_model_dir)
    semantic: str = "auto"
    consultant: str = field(default_factory=lambda: os.environ.get("USER") or "unknown")
    lang: str = "da"
    today: date | None = None
    funder_min_hours: float = 1.0
    funder_count_fleksjob: bool = False
    funder_weeks_per_month: float = 52 / 12

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Environment first, then explicit non-None ``overrides`` on top."""
        values: dict[str, Any] = {}
        for s in SETTINGS:
            env = os.environ.get(s.env)
            if env:
                values[s.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        if isinstance(values.get("today"), str):
            try:
                values["today"] = date.fromisoformat(values["today"])
            except ValueError:
                raise ConfigError(f"IPSMATCH_TODAY={values['today']!r} is not a date",
                                  hint="use YYYY-MM-DD") from None
        for key in ("funder_min_hours", "funder_weeks_per_month"):
            if isinstance(values.get(key), str):
                try:
                    values[key] = float(values[key].replace(",", "."))
                except ValueError:
                    raise ConfigError(f"{key.upper()}={values[key]!r} is not a number",
                                      hint="e.g. 1 or 4.33") from None
        if isinstance(values.get("funder_count_fleksjob"), str):
            raw = values["funder_count_fleksjob"].strip().casefold()
            if raw not in ("yes", "no", "ja", "nej", "true", "false", "1", "0"):
                raise ConfigError(f"IPSMATCH_FUNDER_FLEKSJOB={raw!r} is not yes or no",
                                  hint="use yes or no")
            values["funder_count_fleksjob"] = raw in ("yes", "ja", "true", "1")
        if "model_dir" in values:
            values["model_dir"] = Path(values["model_dir"])
        settings = cls(**values)
        settings.validate()
        return settings

    def funder_rule(self) -> FunderRule:
        """The funder export's counting rule from these settings."""
        return FunderRule(min_hours=self.funder_min_hours,
                          count_fleksjob=self.funder_count_fleksjob,
                          weeks_per_month=self.funder_weeks_per_month)

    def now(self) -> datetime | None:
        """Noon UTC on ``today`` when a reference date is set, else None (= the real now)."""
        return datetime.combine(self.today, time(12), tzinfo=UTC) if self.today else None

    def validate(self) -> None:
        if self.semantic not in ("auto", "off", "on"):
            raise ConfigError(f"IPSMATCH_SEMANTIC={self.semantic!r} is not valid",
                              hint="use auto, on or off")
        if self.funder_min_hours < 0 or not 1 <= self.funder_weeks_per_month <= 5:
            raise ConfigError("the funder rule is out of range",
                              hint="min hours >= 0; weeks per month between 1 and 5")
        from ipsmatch.privacy import find_cpr

        if find_cpr(self.consultant or "") is not None:
            # written to the access log with every view: never a CPR number (not echoed)
            raise ConfigError("IPSMATCH_CONSULTANT looks like a CPR number",
                              hint="use your initials or staff id, e.g. kons-anna")
        if self.model_dir.is_file():
            raise ConfigError(f"the model directory {self.model_dir} is a file",
                              hint="give a folder (--model-dir / IPSMATCH_MODEL_DIR)")
        if self.lang not in ("da", "en"):
            raise ConfigError(f"language {self.lang!r} is not supported", hint="use da or en")
        if "://" not in self.db:
            # A bare path is a SQLite file: be kind and accept it.
            self.db = f"sqlite:///{Path(self.db).expanduser().resolve()}"
