"""``ipsmatch init``, ``index refresh|status``, ``vacancies list|show``, ``employers ...``.

Thin: parse arguments, call the store/refresh library, format the result.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from ipsmatch.cli.common import LIMIT, emit_records, format_option, render_table, settings
from ipsmatch.errors import UsageError
from ipsmatch.messages import plural

if TYPE_CHECKING:
    from ipsmatch.store import Store

MAX_ERRORS_SHOWN = 50


def open_store() -> Store:
    """The Store at the configured --db; SchemaError (exit 1) if it is not initialised."""
    from ipsmatch.store import Store

    return Store.open(settings().db)


def print_problems(lines: Sequence[str], limit: int = MAX_ERRORS_SHOWN) -> None:
    """Row/file errors on stderr, at most ``limit`` of them, then how many more."""
    for line in lines[:limit]:
        click.echo(line, err=True)
    if len(lines) > limit:
        click.echo(f"... {len(lines) - limit} more", err=True)


@click.command("init")
def init_cmd() -> None:
    """Create the database, or upgrade it to this version's schema (safe to re-run)."""
    from ipsmatch.store import Store

    store = Store.open(settings().db, create=True)
    before, after = store.upgrade()
    url = store.engine.url.render_as_string(hide_password=True)
    if before is None:
        click.echo(f"created database {url} (schema {after})")
    elif before == after:
        click.echo(f"database {url} is up to date (schema {after})")
    else:
        click.echo(f"upgraded database {url} from schema {before} to {after}")


# --- index ----------------------------------------------------------------------------------

@click.group("index")
def index_group() -> None:
    """Load vacancy feeds into the database and check how fresh it is."""


@index_group.command("refresh")
@click.argument("feeds", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--source", metavar="NAME", help="Source name for these ads (default: from the "
              "feed, e.g. jobnet).")
@click.option("--format", "fmt", type=click.Choice(["auto", "jobnet", "jsonld", "csv"]),
              default="auto", show_default=True, help="Feed format.")
@click.option("--snapshot", is_flag=True, help="The feed is complete: expire this source's "
              "ads that are missing from it (only if every file was read fully).")
@click.option("--strict", is_flag=True, help="Any rejected row aborts the refresh (nothing is "
              "written; exit 1).")
@click.option("--no-warm", is_flag=True, help="Do not rebuild this machine's search index "
              "after the refresh (the first suggest then does it).")
def refresh_cmd(feeds: tuple[str, ...], source: str | None, fmt: str, snapshot: bool,
                strict: bool, no_warm: bool) -> None:
    """Read FEED files (Jobnet JSON, JSON-LD JobPosting, CSV) into the database in one
    transaction: new ads are added, changed ones updated, past-deadline ones expired."""
    from ipsmatch.refresh import RejectedRowsError, refresh

    store = open_store()
    bar = None
    progress = None
    if sys.stderr.isatty():
        label = f"refreshing from {plural(len(feeds), 'file', 'files')}"
        bar = click.progressbar(length=2, label=label,
                                file=sys.stderr)
        bar.__enter__()

        def progress(done: int, total: int, label: str) -> None:
            bar.label = label
            bar.update(1)

    try:
        report = refresh(store, list(feeds), fmt=fmt, source=source, snapshot=snapshot,
                         strict=strict, progress=progress, now=settings().now())
    except RejectedRowsError as exc:
        print_problems(exc.read_errors + exc.errors)
        raise
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    print_problems(report.read_errors + report.errors)
    print_problems([f"warning: {w}" for w in report.warnings])
    if snapshot and report.snapshot_skipped:
        click.echo(f"warning: --snapshot ignored, nothing expired as missing: "
                   f"{report.snapshot_skipped}", err=True)
    click.echo(report.summary())
    if not no_warm and (report.added or report.updated or report.expired):
        _warm_index()
    if not report.ok:
        click.echo(f"Error: {plural(len(report.read_errors), 'file', 'files')} could not be read",
                   err=True)
        sys.exit(1)


def _warm_index() -> None:
    """Rebuild the search index now, in the nightly batch, not in a consultant's first
    suggest. A failure here never fails the refresh: the data is already committed."""
    from ipsmatch.errors import IpsmatchError
    from ipsmatch.matcher import Matcher

    cfg = settings()
    try:
        Matcher.open(cfg.db, settings=cfg, progress=lambda msg: click.echo(msg, err=True))
    except IpsmatchError as exc:
        click.echo(f"warning: search index not rebuilt ({exc}); the next suggest will do it",
                   err=True)


@index_group.command("status")
@format_option(("table", "json"))
def status_cmd(fmt: str) -> None:
    """Active/expired ads per source, employers, citizens and the last refresh."""
    st = open_store().status(now=settings().now())
    if fmt == "json":
        from ipsmatch.output import dumps

        click.echo(dumps(st))
        return
    rows = [{"source": s, "active": d["active"], "expired": d["expired"]}
            for s, d in st["sources"].items()]
    click.echo(f"database: {st['db']} (schema {st['schema_revision']})")
    click.echo(render_table(rows, ["source", "active", "expired"]) if rows
               else "no vacancies yet: run `ipsmatch index refresh FEED...`")
    click.echo(f"employers: {st['employers']}  citizens: {st['citizens']}")
    last = st["last_refresh"]
    if last:
        click.echo(f"last refresh: {last['finished_at']} {last['status']} (added "
                   f"{last['added']}, updated {last['updated']}, unchanged {last['unchanged']}, "
                   f"expired {last['expired']}, rejected {last['rejected']})"
                   + (f": {last['message']}" if last["message"] else ""))
    else:
        click.echo("last refresh: never")
    if st["stale"]:
        click.echo("STALE: no successful refresh in the last 36 hours", err=True)


# --- vacancies ------------------------------------------------------------------------------

VACANCY_COLUMNS = ["id", "source", "external_id", "title", "employer", "postcode", "city",
                   "hours", "deadline", "status"]


def _flat_vacancy(d: dict[str, Any]) -> dict[str, Any]:
    hours = ""
    if d["hours_min"] is not None or d["hours_max"] is not None:
        lo, hi = d["hours_min"], d["hours_max"]
        hours = f"{lo:g}" if lo == hi else f"{'' if lo is None else f'{lo:g}'}-" \
                                           f"{'' if hi is None else f'{hi:g}'}"
    return {**d, "employer": (d["employer"] or {}).get("name"), "hours": hours,
            "status": "expired" if d["expired_at"] else "active"}


@click.group("vacancies")
def vacancies_group() -> None:
    """List and show indexed vacancies."""


@vacancies_group.command("list")
@click.option("--source", metavar="NAME")
@click.option("--postcode", metavar="NNNN")
@click.option("--employer", metavar="CVR|NAME", help="Employer CVR number, id or name.")
@click.option("--occupation", metavar="URI|TEXT", help="ESCO URI, or text in the occupation.")
@click.option("--all", "show_all", is_flag=True, help="Include expired ads.")
@click.option("--limit", type=LIMIT, metavar="N")
@format_option()
def vacancies_list(source: str | None, postcode: str | None, employer: str | None,
                   occupation: str | None, show_all: bool, limit: int | None, fmt: str) -> None:
    """Vacancies in the database, newest first (active ones unless --all)."""
    from ipsmatch.store import vacancy_to_dict

    vs = open_store().list_vacancies(source=source, postcode=postcode, employer=employer,
                                     occupation=occupation, active=not show_all, limit=limit)
    records = [vacancy_to_dict(v) for v in vs]
    if fmt != "json":
        records = [_flat_vacancy(r) for r in records]
    emit_records(records, fmt, VACANCY_COLUMNS)


def parse_vacancy_id(text: str) -> int | tuple[str, str]:
    """``123`` -> 123; ``jobnet:ABC`` -> ("jobnet", "ABC")."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)  # a number no row has is simply not found (Store.get_vacancy)
    src, sep, ext = text.partition(":")
    if not sep or not src or not ext:
        raise UsageError(f"not a vacancy id: {text!r}",
                         hint="use the numeric id or SOURCE:EXTERNAL_ID, e.g. jobnet:12345")
    return (src, ext)


@vacancies_group.command("show")
@click.argument("vacancy_id", metavar="ID")
@format_option(("table", "json"))
def vacancies_show(vacancy_id: str, fmt: str) -> None:
    """One vacancy by numeric ID or SOURCE:EXTERNAL_ID, with its facts and text."""
    from ipsmatch.store import vacancy_to_dict

    v = open_store().get_vacancy(parse_vacancy_id(vacancy_id))
    d = vacancy_to_dict(v)
    if fmt == "json":
        click.echo(json.dumps({**d, "text": v.text}, ensure_ascii=False, indent=2))
        return
    flat = _flat_vacancy(d)
    occ = d["occupation"]
    lines = [
        f"{d['title']}  [{d['source']}:{d['external_id']}, id {d['id']}, {flat['status']}]",
        f"employer:    {flat['employer'] or '-'}"
        + (f" (CVR {d['employer']['cvr']})" if d["employer"] and d["employer"]["cvr"] else ""),
        f"place:       {d['postcode'] or '-'} {d['city'] or ''}".rstrip(),
        f"hours:       {flat['hours'] or 'not stated'}",
        "schedule:    " + (", ".join(f"{k}={'yes' if val else 'no'}"
                                     for k, val in d["schedule"].items() if val is not None)
                           or "not stated"),
        f"conditions:  {', '.join(d['work_conditions']) or 'not stated'}",
        f"occupation:  {occ['label'] or '-'}"
        + (f" ({occ['confidence']:.2f})" if occ["confidence"] is not None else ""),
        f"posted:      {d['posted'] or '-'}   deadline: {d['deadline'] or '-'}",
        f"seen:        {d['first_seen']} .. {d['last_seen']}",
        f"url:         {d['url'] or '-'}",
    ]
    for f in d["facts"]:
        how = " (implied)" if f.get("implied") else ""
        what = f" [{f['detail']}]" if f.get("detail") else ""
        lines.append(f"fact:        {f['key']}={'yes' if f['value'] else 'no'}{how}{what}  "
                     f"{f.get('source', 'text')} «{f['phrase']}»")
    click.echo("\n".join(lines))
    if v.text:
        click.echo("\n" + v.text)


# --- employers ------------------------------------------------------------------------------

EMPLOYER_COLUMNS = ["id", "cvr", "name", "postcode", "city", "industry", "open_vacancies"]


@click.group("employers")
def employers_group() -> None:
    """Import, list and show employers."""


@employers_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def employers_import(file: str) -> None:
    """Upsert employers from a CSV/JSON FILE (identity: CVR, else the name)."""
    from ipsmatch.feeds import read_employers

    store = open_store()
    emps, errors = read_employers(file)
    print_problems([str(e) for e in errors])
    counts = store.import_employers(emps) if emps else {"added": 0, "merged": 0}
    click.echo(f"employers: added {counts['added']}, updated {counts['merged']}, "
               f"rejected {len(errors)}")


@employers_group.command("list")
@click.option("--postcode", metavar="NNNN")
@click.option("--name", metavar="TEXT", help="Part of the employer name.")
@click.option("--limit", type=LIMIT, metavar="N")
@format_option()
def employers_list(postcode: str | None, name: str | None, limit: int | None, fmt: str) -> None:
    """Employers with their number of open vacancies."""
    from ipsmatch.store import employer_to_dict

    store = open_store()
    open_counts = store.open_vacancy_counts()
    records = [{**employer_to_dict(e), "open_vacancies": open_counts.get(e.id or -1, 0)}
               for e in store.list_employers(postcode=postcode, name=name, limit=limit)]
    emit_records(records, fmt, EMPLOYER_COLUMNS)


@employers_group.command("show")
@click.argument("key", metavar="CVR|ID")
@format_option(("table", "json"))
def employers_show(key: str, fmt: str) -> None:
    """One employer by CVR number or id, with its open vacancies."""
    from ipsmatch.store import employer_to_dict

    store = open_store()
    e = store.get_employer(key)
    vs = store.list_vacancies(employer=e.cvr or str(e.id)) if e.id is not None else []
    vs = [v for v in vs if v.employer and v.employer.id == e.id]
    d = {**employer_to_dict(e),
         "open_vacancies": [{"id": v.id, "title": v.title, "postcode": v.postcode}
                            for v in vs]}
    if fmt == "json":
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    for k in ("id", "cvr", "name", "address", "postcode", "city", "industry", "notes"):
        click.echo(f"{k + ':':<10} {'' if d[k] is None else d[k]}")
    if d["attributes"]:
        click.echo(f"{'known:':<10} " + ", ".join(f"{k}={v}" for k, v in d["attributes"].items()))
    click.echo(f"open vacancies: {len(vs)}")
    for v in vs:
        click.echo(f"  {v.id}  {v.title}  {v.postcode or ''}")
