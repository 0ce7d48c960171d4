"""``ipsmatch suggest`` and ``ipsmatch search``: parse options, call the Matcher, print."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ipsmatch.cli.common import (
    FiniteFloatRange,
    emit_records,
    format_option,
    output_format,
    render_table,
    setting_option,
    settings,
)
from ipsmatch.errors import UsageError

if TYPE_CHECKING:
    from ipsmatch.config import Settings
    from ipsmatch.matcher import Matcher


def open_matcher(cfg: Settings) -> Matcher:
    """The Matcher over the configured database; rebuilding an index is said on stderr."""
    from ipsmatch.matcher import Matcher

    return Matcher.open(cfg.db, settings=cfg,
                        progress=lambda msg: click.echo(msg, err=True))


def load_citizen(cfg: Settings, citizen_id: str, action: str = "suggest") -> dict[str, Any]:
    """A stored citizen profile (a dict in the file format); notes the access in the log."""
    from ipsmatch.store import Store

    with Store.open(cfg.db) as store:
        return store.read_profile(citizen_id, who=cfg.consultant, action=action)


@click.command("suggest")
@click.argument("citizen_id", required=False)
@click.option("--profile", "profile_file", type=click.Path(exists=True, dir_okay=False),
              help="Read the profile from a JSON/TOML file instead of the database.")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True,
              help="Number of vacancies and employers to show.")
@click.option("--per-employer", type=click.IntRange(1, 50), default=2, show_default=True,
              help="At most this many ads per employer in the top 10.")
@format_option(default=None)
@click.option("--explain", is_flag=True, help="Show the per-signal score breakdown.")
@click.option("--show-excluded", is_flag=True, help="Also list ads filtered out, and why.")
@setting_option("lang")
def suggest_cmd(citizen_id: str | None, profile_file: str | None, limit: int,
                per_employer: int, fmt: str | None, explain: bool, show_excluded: bool,
                lang: str | None) -> None:
    """Rank vacancies and employers for a citizen, with reasons.

    Give a stored CITIZEN_ID, or --profile FILE (see docs/profile.md).
    """
    from ipsmatch.output import dumps, suggest_json
    from ipsmatch.profile import as_profile, load_profile

    cfg = settings()
    if (citizen_id is None) == (profile_file is None):
        raise UsageError("give either CITIZEN_ID or --profile FILE",
                         hint="e.g. ipsmatch suggest --profile citizen.json")
    profile = (load_profile(profile_file) if profile_file
               else as_profile(load_citizen(cfg, citizen_id or "")))
    matcher = open_matcher(cfg)
    res = matcher.suggest(profile, limit=limit, per_employer=per_employer,
                          include_excluded=show_excluded)
    lang = lang or cfg.lang
    fmt = output_format(fmt)
    if fmt == "json":
        click.echo(dumps(suggest_json(res, lang=lang, explain=explain,
                                      show_excluded=show_excluded)))
        return
    _print_rows(res, fmt, lang, explain, show_excluded)


def _print_rows(res: Any, fmt: str, lang: str, explain: bool, show_excluded: bool) -> None:
    from ipsmatch.output import (
        CSV_COLUMNS,
        EMPLOYER_COLUMNS,
        EXCLUDED_COLUMNS,
        VACANCY_COLUMNS,
        employer_reason_lines,
        employer_row,
        excluded_row,
        explain_lines,
        headers,
        reason_lines,
        vacancy_row,
    )

    rows = [vacancy_row(s, i, lang=lang) for i, s in enumerate(res.vacancies, 1)]
    if fmt == "csv":
        emit_records(rows, "csv", CSV_COLUMNS)
        return
    da = lang == "da"
    if res.goals:
        click.echo("Mål" if da else "Goals")
        for g in res.goals:
            click.echo(f"  * {g.text(lang)}")
        click.echo("")
    click.echo(("Ledige stillinger" if da else "Vacancies") + f" ({len(rows)})")
    click.echo(render_table(rows, VACANCY_COLUMNS, max_width=60,
                            headers=headers(VACANCY_COLUMNS, lang)) if rows else
               ("  ingen" if da else "  none"))
    if rows:
        click.echo("")
        lines = explain_lines if explain else reason_lines
        for i, s in enumerate(res.vacancies, 1):
            click.echo("\n".join(lines(s, i, lang=lang)))
    emps = [employer_row(e, i, lang=lang) for i, e in enumerate(res.employers, 1)]
    click.echo("")
    click.echo(("Virksomheder til jobudvikling" if da else "Employers for job development")
               + f" ({len(emps)})")
    click.echo(render_table(emps, EMPLOYER_COLUMNS, max_width=60,
                            headers=headers(EMPLOYER_COLUMNS, lang)) if emps else
               ("  ingen" if da else "  none"))
    if emps:
        click.echo("")
        for i, e in enumerate(res.employers, 1):
            click.echo("\n".join(employer_reason_lines(e, i, lang=lang)))
    if res.education:
        from ipsmatch.output import EDUCATION_COLUMNS, education_reason_lines, education_row

        edus = [education_row(e, i, lang=lang) for i, e in enumerate(res.education, 1)]
        click.echo("")
        click.echo(("Uddannelse" if da else "Education") + f" ({len(edus)})")
        click.echo(render_table(edus, EDUCATION_COLUMNS, max_width=60))
        click.echo("")
        for i, e in enumerate(res.education, 1):
            click.echo("\n".join(education_reason_lines(e, i, lang=lang)))
    if show_excluded:
        ex = [excluded_row(x, lang=lang) for x in res.excluded]
        click.echo("")
        click.echo(("Frasorteret" if da else "Excluded") + f" ({len(ex)})")
        click.echo(render_table(ex, EXCLUDED_COLUMNS, max_width=70,
                                headers=headers(EXCLUDED_COLUMNS, lang)) if ex else
                   ("  ingen" if da else "  none"))


@click.command("search")
@click.argument("text")
@click.option("--near", metavar="POSTCODE", help="Rank by distance from this postcode.")
@click.option("--within-km", type=FiniteFloatRange(0, min_open=True), default=None,
              help="Only ads within this many km of --near.")
@click.option("--max-hours", type=FiniteFloatRange(1, 60), default=None,
              help="Leave out ads that state more weekly hours than this.")
@click.option("--needs", default="", metavar="CODE,...",
              help="Accommodations that must not be broken, e.g. no_night,no_weekend.")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@format_option(default=None)
@click.option("--explain", is_flag=True, help="Show the per-signal score breakdown.")
@setting_option("lang")
def search_cmd(text: str, near: str | None, within_km: float | None, max_hours: float | None,
               needs: str, limit: int, fmt: str | None, explain: bool, lang: str | None
               ) -> None:
    """Free-text vacancy search without a stored profile."""
    from ipsmatch.output import (
        CSV_COLUMNS,
        VACANCY_COLUMNS,
        dumps,
        explain_lines,
        headers,
        search_json,
        vacancy_row,
    )

    cfg = settings()
    codes = [c.strip() for c in needs.split(",") if c.strip()]
    matcher = open_matcher(cfg)
    found = matcher.search(text, near=near, within_km=within_km, max_hours=max_hours,
                           needs=codes, limit=limit)
    lang = lang or cfg.lang
    fmt = output_format(fmt)
    if fmt == "json":
        click.echo(dumps(search_json(text, found, lang=lang, explain=explain)))
        return
    rows = [vacancy_row(s, i, lang=lang) for i, s in enumerate(found, 1)]
    if fmt == "table":
        click.echo(render_table(rows, VACANCY_COLUMNS, headers=headers(VACANCY_COLUMNS, lang)))
    else:
        emit_records(rows, fmt, CSV_COLUMNS if fmt == "csv" else VACANCY_COLUMNS)
    if explain and fmt == "table":
        for i, s in enumerate(found, 1):
            click.echo("\n".join(explain_lines(s, i, lang=lang)))
