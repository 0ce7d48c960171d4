"""IPS beyond the job search (issue #17) on the command line: the employer-facing
jobudviklingsark (``sheet``). Thin: read the stored profile, call the library, print.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from ipsmatch.cli.common import ROW_ID, FiniteFloatRange, format_option, settings
from ipsmatch.cli.jobdev import DATE
from ipsmatch.messages import plural


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
@format_option(("text", "html"), default="text")
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
    sheet = jobdev_sheet(p, include=chosen, consultant=p.consultant or cfg.consultant,
                         today=cfg.today or date.today())
    if sheet.pending:
        click.echo(f"Left off ({plural(len(sheet.pending), 'free text', 'free texts')} "
                   "not confirmed; add with "
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


def _job_id(store: Any, ref: str) -> int:
    """A job id, or a citizen id standing for that citizen's only open job."""
    if ref.isdigit():
        from ipsmatch.errors import NotFoundError
        from ipsmatch.store.serialize import row_id

        if row_id(ref) is None:
            raise NotFoundError(code="job.unknown", params={"id": ref})
        return int(ref)
    from ipsmatch.errors import UsageError

    open_jobs = store.list_job_starts(citizen=ref, open_only=True)
    if len(open_jobs) != 1:
        store.get_citizen(ref)
        raise UsageError(f"citizen {ref} has {plural(len(open_jobs), 'open job', 'open jobs')}",
                         hint=f"give the job id (see `ipsmatch followup show {ref}`)")
    return int(open_jobs[0].id)


@followup_group.command("hours")
@click.argument("job", metavar="JOB_ID|CITIZEN_ID")
@click.argument("hours", type=FiniteFloatRange(0, 80, min_open=True))
@click.option("--date", "day", type=DATE, help="From this day [default: today].")
def followup_hours(job: str, hours: float, day: date | None) -> None:
    """Record that a job (JOB_ID, or CITIZEN_ID's only open job) now has HOURS a week; the
    timeline keeps every step."""
    from ipsmatch.ips.followalong import HoursChange, hours_timeline

    store = _store()
    job_id = _job_id(store, job)
    when = day or _today()
    store.add_job_hours(HoursChange(job_id, when, hours), today=_today())
    started = store.get_job_start(job_id)
    store.log_access(settings().consultant, "job_hours", started.citizen_id)
    steps = hours_timeline(started, store.list_job_hours(job_id=job_id))
    click.echo("hours: " + " → ".join(f"{h:g} ({d.isoformat()})" for d, h in steps))


@followup_group.command("plan")
@click.argument("job", metavar="JOB_ID|CITIZEN_ID")
@click.option("--support", "supports", multiple=True, metavar="TEXT[=WHO]",
              help="An agreed support and who does it (citizen, employer, consultant, "
                   "colleague, other; default consultant); repeatable.")
@click.option("--next", "next_follow_up", type=DATE, help="Next follow-up.")
@click.option("--goal-hours", type=FiniteFloatRange(0, 80, min_open=True),
              help="The hours goal in this job.")
@click.option("--note", metavar="TEXT", help="A few words; never health details.")
def followup_plan(job: str, supports: tuple[str, ...], next_follow_up: date | None,
                  goal_hours: float | None, note: str | None) -> None:
    """Set the job support plan of a job (JOB_ID, or CITIZEN_ID's only open job); it
    replaces the earlier plan."""
    from ipsmatch.ips.followalong import SupportItem, SupportPlan

    items = []
    for raw in supports:
        text, _, who = raw.rpartition("=") if "=" in raw else (raw, "", "consultant")
        items.append(SupportItem(text.strip(), who.strip() or "consultant"))
    store = _store()
    job_id = _job_id(store, job)
    plan = store.set_support_plan(SupportPlan(job_id, tuple(items), next_follow_up,
                                              goal_hours, note))
    citizen = store.get_job_start(job_id).citizen_id
    store.log_access(settings().consultant, "support_plan", citizen)
    click.echo(f"support plan for job {job_id}: {plural(len(plan.items), 'support', 'supports')}"
               + (f", next follow-up {plan.next_follow_up.isoformat()}"
                  if plan.next_follow_up else ""))


@followup_group.command("contact")
@click.argument("citizen_id")
@click.option("--date", "day", type=DATE, help="Day of the contact [default: today].")
@click.option("--with", "with_whom", type=click.Choice(["citizen", "employer", "both"]),
              default="citizen", show_default=True)
@click.option("--kind", type=click.Choice(["face-to-face", "phone", "email", "other"]),
              default="face-to-face", show_default=True)
@click.option("--job", "job_id", type=ROW_ID,
              help="The job it was about [default: the citizen's only open job].")
@click.option("--note", metavar="TEXT", help="A few words; never health details.")
def followup_contact(citizen_id: str, day: date | None, with_whom: str, kind: str,
                     job_id: int | None, note: str | None) -> None:
    """Log a follow-along contact for CITIZEN_ID (during a job, or after one ended)."""
    from ipsmatch.ips.followalong import FollowAlong

    store = _store()
    if job_id is None:  # the citizen's only open job, when there is one
        open_jobs = store.list_job_starts(citizen=citizen_id, open_only=True)
        job_id = open_jobs[0].id if len(open_jobs) == 1 else None
    c = store.add_followalong(FollowAlong(citizen_id, day or _today(), with_whom, kind,
                                          settings().consultant, job_id, note), today=_today())
    store.log_access(settings().consultant, "followalong", citizen_id)
    click.echo(f"follow-along contact {c.id} logged for {citizen_id}")


@followup_group.command("show")
@click.argument("citizen_id")
@format_option(("text", "json"), default="text")
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


# --- reports --------------------------------------------------------------------------------

@click.command("report")
@click.argument("citizen_id")
@click.option("--kind", type=click.Choice(["interval", "end"]), default="interval",
              show_default=True, help="A status report (interval) or the end report.")
@click.option("--from", "since", type=DATE,
              help="First day [default: the citizen's start date].")
@click.option("--to", "until", type=DATE, help="Last day [default: today].")
@click.option("--next", "next_steps", multiple=True, metavar="TEXT",
              help="A next step in plain words (repeatable).")
@click.option("--comment", metavar="TEXT", help="The citizen's own comment, if given now.")
@format_option(("text", "html"), default="text")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file.")
def report_cmd(citizen_id: str, kind: str, since: date | None, until: date | None,
               next_steps: tuple[str, ...], comment: str | None, fmt: str,
               out: str | None) -> None:
    """A report for the citizen in plain Danish (text or printable HTML)."""
    from ipsmatch.ips.reports import citizen_report

    p = _profile(citizen_id, "report")
    store = _store()
    to = until or _today()
    frm = since or p.start_date or to.replace(day=1)
    r = citizen_report(p, kind=kind, period_from=frm, period_to=to,
                       contacts=store.list_contacts(citizen=citizen_id),
                       jobs=store.job_follow_ups(citizen_id),
                       education=store.list_education_starts(citizen=citizen_id),
                       next_steps=next_steps, comment=comment)
    _write(r.html() if fmt == "html" else r.text(), out)


@click.command("funder-export")
@click.option("--from", "first", required=True, metavar="YYYY-MM", help="First month.")
@click.option("--to", "last", required=True, metavar="YYYY-MM", help="Last month.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the CSV to this file.")
def funder_cmd(first: str, last: str, out: str | None) -> None:
    """Per citizen and month: paid hours by wage form, education, and whether the citizen
    counts under the funder rule (IPSMATCH_FUNDER_* settings; see docs/jobdev.md)."""
    from ipsmatch.ips.funder import months, to_csv

    cfg = settings()
    store = _store()
    rows = store.funder_rows(months(first, last), cfg.funder_rule(), as_of=_today())
    store.log_access(cfg.consultant, "funder_export", None)
    _write(to_csv(rows), out)
    counted = sum(r.counts for r in rows)
    rows_text = plural(len(rows), 'citizen-month row', 'citizen-month rows')
    click.echo(f"{rows_text}, {counted} counted", err=True)
