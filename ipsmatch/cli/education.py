"""``ipsmatch education``: import and list the education catalogue; record education starts
and ends (an IPS outcome beside job starts). Thin: parse, call one library function, format.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from ipsmatch.cli.common import ROW_ID, emit_records, format_option, settings
from ipsmatch.cli.index import open_store
from ipsmatch.cli.jobdev import DATE

OFFER_COLUMNS = ["id", "name", "type", "institution", "postcode", "next_start", "hours",
                 "part_time", "su", "leads_to"]
START_COLUMNS = ["id", "citizen", "start_date", "name", "type", "institution", "hours",
                 "end_date", "end_reason"]


def _today() -> date:
    return settings().today or date.today()


def _offer_record(o: Any) -> dict[str, Any]:
    nxt = o.next_start(_today())
    return {**o.to_dict(), "next_start": nxt.isoformat() if nxt else
            ("løbende" if o.continuous_intake else ""),
            "hours": o.hours_per_week, "leads_to": ";".join(o.leads_to_labels)}


def _start_record(s: Any) -> dict[str, Any]:
    return {**s.to_dict(), "citizen": s.citizen_id, "hours": s.hours_per_week}


@click.group("education")
def education_group() -> None:
    """The education catalogue (import, list) and education starts (start, end, starts)."""


@education_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", "replace_all", is_flag=True,
              help="Also remove stored offers the file no longer has.")
def education_import(file: str, replace_all: bool) -> None:
    """Import an education catalogue (CSV or JSON, see docs/jobdev.md) in one transaction.

    The first bad record stops the import with ``file:line N: field: what is wrong``."""
    from ipsmatch.education import read_catalogue

    offers = read_catalogue(file)
    summary = open_store().import_education(offers, replace_all=replace_all)
    click.echo(f"education offers: added {summary.added}, updated {summary.updated}, "
               f"removed {summary.removed}")


@education_group.command("list")
@click.option("--type", "etype", metavar="TYPE", help="Only this type (eud, amu, hf ...).")
@format_option()
def education_list(etype: str | None, fmt: str) -> None:
    """The education catalogue, by institution."""
    offers = open_store().list_education(type=etype)
    emit_records([_offer_record(o) for o in offers], fmt, OFFER_COLUMNS)


@education_group.command("start")
@click.argument("citizen")
@click.option("--offer", "offer_id", metavar="ID", help="The catalogue offer (fills name, type, "
                                                        "institution and load).")
@click.option("--name", metavar="TEXT", help="The education's name (without --offer).")
@click.option("--type", "etype", metavar="TYPE", help="eud, eux, amu, vuc, fvu, hf, kvu, "
                                                      "erhvervsakademi, university.")
@click.option("--institution", metavar="TEXT")
@click.option("--date", "day", type=DATE, help="First day [default: today].")
@click.option("--hours", type=float, metavar="H", help="Hours per week the citizen follows.")
@format_option(("table", "json"))
def education_start(citizen: str, offer_id: str | None, name: str | None, etype: str | None,
                    institution: str | None, day: date | None, hours: float | None,
                    fmt: str) -> None:
    """Record that CITIZEN started an education."""
    from ipsmatch.education import EducationStart
    from ipsmatch.errors import UsageError

    store = open_store()
    if offer_id:
        o = store.get_education(offer_id)
        name, etype, institution = name or o.name, etype or o.type, institution or o.institution
        hours = hours if hours is not None else o.hours_per_week
    if not name or not etype:
        raise UsageError("say which education", hint="give --offer ID, or --name and --type")
    start = EducationStart(citizen_id=citizen, start_date=day or _today(), name=name,
                           type=etype, institution=institution, offer_id=offer_id,
                           hours_per_week=hours)
    stored = store.add_education_start(start, today=_today())
    store.log_access(settings().consultant, "education_start", citizen)
    emit_records([_start_record(stored)], fmt, START_COLUMNS)


@education_group.command("end")
@click.argument("start_id", required=False, type=ROW_ID, metavar="[ID]")
@click.option("--citizen", metavar="ID", help="End this citizen's only open education.")
@click.option("--date", "day", type=DATE, help="Last day [default: today].")
@click.option("--reason", required=True,
              type=click.Choice(["completed", "dropped_out", "paused", "moved_to_job",
                                 "other"]), help="Why it ended.")
@click.option("--note", metavar="TEXT", help="A few words; never health details.")
@format_option(("table", "json"))
def education_end(start_id: int | None, citizen: str | None, day: date | None, reason: str,
                  note: str | None, fmt: str) -> None:
    """Record that an education ended (by ID from `education starts`, or --citizen)."""
    store = open_store()
    ended = store.end_education_start(start_id=start_id, citizen_id=citizen,
                                      end_date=day or _today(), reason=reason, note=note,
                                      today=_today())
    store.log_access(settings().consultant, "education_end", ended.citizen_id)
    emit_records([_start_record(ended)], fmt, START_COLUMNS)


@education_group.command("starts")
@click.option("--citizen", metavar="ID")
@click.option("--open", "open_only", is_flag=True, help="Only educations not ended.")
@format_option()
def education_starts(citizen: str | None, open_only: bool, fmt: str) -> None:
    """Education starts, oldest first."""
    rows = open_store().list_education_starts(citizen=citizen, open_only=open_only)
    emit_records([_start_record(s) for s in rows], fmt, START_COLUMNS)
