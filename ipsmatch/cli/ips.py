"""IPS beyond the job search (issue #17) on the command line: the employer-facing
jobudviklingsark (``sheet``). Thin: read the stored profile, call the library, print.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from ipsmatch.cli.common import settings


def _profile(citizen_id: str, action: str) -> Any:
    from ipsmatch.cli.suggest import load_citizen
    from ipsmatch.profile import as_profile

    return as_profile(load_citizen(settings(), citizen_id, action=action))


def _write(text: str, out: str | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    from ipsmatch.config import private_files

    with private_files():
        Path(out).write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)


@click.command("sheet")
@click.argument("citizen_id")
@click.option("--include", "include", multiple=True, metavar="KEY",
              help="A free text the consultant confirmed for the sheet (repeatable), e.g. "
                   "career.strengths[0]; without it each one is asked on a terminal.")
@click.option("--format", "fmt", type=click.Choice(["text", "html"]), default="text",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file.")
def sheet_cmd(citizen_id: str, include: tuple[str, ...], fmt: str, out: str | None) -> None:
    """The jobudviklingsark for CITIZEN_ID: what an employer may read (Danish, printable).

    Only what the citizen agreed to share (profile `disclosure`) is on it; each free text
    (wishes, strengths, past jobs ...) is shown to you first and goes on only if you say yes.
    """
    from ipsmatch.ips.disclosure import jobdev_sheet, sheet_free_texts

    cfg = settings()
    p = _profile(citizen_id, "sheet")
    chosen = set(include)
    if not include and sys.stdin.isatty():
        jobdev_sheet(p)  # refuses (ConsentError) before asking anything
        for t in sheet_free_texts(p):
            if click.confirm(f"På arket? {t.label}: «{t.text}»", default=False, err=True):
                chosen.add(t.key)
    sheet = jobdev_sheet(p, include=chosen, consultant=cfg.consultant,
                         today=cfg.today or date.today())
    if sheet.pending:
        click.echo(f"Left off ({len(sheet.pending)} free text(s) not confirmed; add with "
                   "--include KEY): " + ", ".join(t.key for t in sheet.pending), err=True)
    _write(sheet.html() if fmt == "html" else sheet.text(), out)


# --- support after the start ----------------------------------------------------------------

@click.group("followup")
def followup_group() -> None:
    """Support after a job start: hours as they grow, the support plan, follow-along."""


def _store() -> Any:
    from ipsmatch.cli.index import open_store

    return open_store()


def _today() -> date:
    return settings().today or date.today()


@followup_group.command("hours")
@click.argument("job_id", type=int)
@click.argument("hours", type=click.FloatRange(0, 80, min_open=True))
@click.option("--date", "day", metavar="YYYY-MM-DD", help="From this day [default: today].")
def followup_hours(job_id: int, hours: float, day: str | None) -> None:
    """Record that job JOB_ID now has HOURS a week (the timeline keeps every step)."""
    from ipsmatch.ips.followalong import HoursChange, hours_timeline

    store = _store()
    when = _date(day) or _today()
    store.add_job_hours(HoursChange(job_id, when, hours), today=_today())
    job = store.get_job_start(job_id)
    store.log_access(settings().consultant, "job_hours", job.citizen_id)
    steps = hours_timeline(job, store.list_job_hours(job_id=job_id))
    click.echo("hours: " + " → ".join(f"{h:g} ({d.isoformat()})" for d, h in steps))


@followup_group.command("plan")
@click.argument("job_id", type=int)
@click.option("--support", "supports", multiple=True, metavar="TEXT[=WHO]",
              help="An agreed support and who does it (citizen, employer, consultant, "
                   "colleague, other; default consultant); repeatable.")
@click.option("--next", "next_follow_up", metavar="YYYY-MM-DD", help="Next follow-up.")
@click.option("--goal-hours", type=float, help="The hours goal in this job.")
@click.option("--note", metavar="TEXT", help="A few words; never health details.")
def followup_plan(job_id: int, supports: tuple[str, ...], next_follow_up: str | None,
                  goal_hours: float | None, note: str | None) -> None:
    """Set the job support plan of JOB_ID (replaces the earlier one)."""
    from ipsmatch.ips.followalong import SupportItem, SupportPlan

    items = []
    for raw in supports:
        text, _, who = raw.rpartition("=") if "=" in raw else (raw, "", "consultant")
        items.append(SupportItem(text.strip(), who.strip() or "consultant"))
    store = _store()
    plan = store.set_support_plan(SupportPlan(job_id, tuple(items), _date(next_follow_up),
                                              goal_hours, note))
    citizen = store.get_job_start(job_id).citizen_id
    store.log_access(settings().consultant, "support_plan", citizen)
    click.echo(f"support plan for job {job_id}: {len(plan.items)} support(s)"
               + (f", next follow-up {plan.next_follow_up.isoformat()}"
                  if plan.next_follow_up else ""))


@followup_group.command("contact")
@click.argument("citizen_id")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Day of the contact [default: today].")
@click.option("--with", "with_whom", type=click.Choice(["citizen", "employer", "both"]),
              default="citizen", show_default=True)
@click.option("--kind", type=click.Choice(["face-to-face", "phone", "email", "other"]),
              default="face-to-face", show_default=True)
@click.option("--job", "job_id", type=int, help="The job it was about.")
@click.option("--note", metavar="TEXT", help="A few words; never health details.")
def followup_contact(citizen_id: str, day: str | None, with_whom: str, kind: str,
                     job_id: int | None, note: str | None) -> None:
    """Log a follow-along contact for CITIZEN_ID (during a job, or after one ended)."""
    from ipsmatch.ips.followalong import FollowAlong

    store = _store()
    c = store.add_followalong(FollowAlong(citizen_id, _date(day) or _today(), with_whom, kind,
                                          settings().consultant, job_id, note), today=_today())
    store.log_access(settings().consultant, "followalong", citizen_id)
    click.echo(f"follow-along contact {c.id} logged for {citizen_id}")


@followup_group.command("show")
@click.argument("citizen_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def followup_show(citizen_id: str, fmt: str) -> None:
    """CITIZEN_ID's jobs: the hours timeline, the support plan and follow-along contacts."""
    import json

    store = _store()
    store.get_citizen(citizen_id)
    store.log_access(settings().consultant, "followup_show", citizen_id)
    ups = store.job_follow_ups(citizen_id)
    if fmt == "json":
        click.echo(json.dumps([{"job": u.job.to_dict(), "wage_form": u.job.wage,
                                "timeline": [[d.isoformat(), h] for d, h in u.timeline],
                                "plan": u.plan.to_dict() if u.plan else None,
                                "contacts": [c.to_dict() for c in u.contacts]} for u in ups],
                              ensure_ascii=False, indent=2))
        return
    if not ups:
        click.echo(f"{citizen_id}: no job starts yet")
    for u in ups:
        j = u.job
        end = f", ended {j.end_date.isoformat()} ({j.end_reason})" if j.end_date else ""
        click.echo(f"job {j.id}: {j.title} – {j.employer_name} ({j.wage}), from "
                   f"{j.start_date.isoformat()}{end}")
        if u.timeline:
            click.echo("  hours: " + " → ".join(f"{h:g}" for _, h in u.timeline))
        if u.plan:
            for it in u.plan.items:
                click.echo(f"  support: {it.support} ({it.who})")
            if u.plan.next_follow_up:
                click.echo(f"  next follow-up: {u.plan.next_follow_up.isoformat()}")
        for c in u.contacts:
            click.echo(f"  contact {c.contact_date.isoformat()} with {c.with_whom} ({c.kind})")


def _date(raw: str | None) -> date | None:
    if raw is None:
        return None
    from ipsmatch.jobdev.contacts_csv import parse_date

    return parse_date(raw, "--date")
