"""Job development: ``contacts``, ``outcomes``, ``feedback`` and ``fidelity``.

Thin: parse the options into a :mod:`ipsmatch.jobdev` record, call one store method, format.
Validation (dates in the future, CPR numbers in free text, unknown citizens) is the library's;
here a record field is renamed to the option that set it, so the message names what to fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import click

from ipsmatch.cli.common import (
    ROW_ID,
    FiniteFloatRange,
    emit_records,
    format_option,
    health_force_option,
    setting_option,
    settings,
)
from ipsmatch.cli.index import open_store, print_problems
from ipsmatch.errors import FeedError, UsageError
from ipsmatch.messages import plural
from ipsmatch.output import contact_json, feedback_json, job_start_json

#: record field -> the option that sets it (for error messages)
OPTION_OF: dict[str, str] = {
    "date": "--date", "start_date": "--date", "end_date": "--date", "consultant": "--consultant",
    "employer_cvr": "--cvr", "employer_name": "--employer", "citizen_id": "--citizen",
    "kind": "--kind", "purpose": "--purpose", "learned": "--learned", "outcome": "--outcome",
    "next_step": "--next-step", "next_date": "--next-date", "note": "--note",
    "title": "--title", "hours_per_week": "--hours", "end_reason": "--reason",
    "reason": "--reason", "verdict": "--verdict", "vacancy": "--vacancy",
    "wage_form": "--wage-form", "contact_person": "--contact-person",
}


class DateParam(click.ParamType):
    """YYYY-MM-DD (or DD-MM-YYYY, DD.MM.YYYY, DD/MM/YYYY, as in the CSV files)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> date:
        if isinstance(value, date):
            return value
        from ipsmatch.jobdev.contacts_csv import parse_date

        try:
            return parse_date(str(value), param.name if param and param.name else "date")
        except FeedError as exc:
            self.fail(f"{value!r} is not a date: write YYYY-MM-DD, e.g. 2026-11-12", param, ctx)
            raise AssertionError from exc  # unreachable: fail() raises


DATE = DateParam()


@contextmanager
def options_named() -> Iterator[None]:
    """Re-raise a record's FeedError with the option name in place of the field name."""
    try:
        yield
    except FeedError as exc:
        if exc.field in OPTION_OF and exc.file is None:
            exc.field = OPTION_OF[exc.field]
        raise


def _consultant(value: str | None) -> str:
    return value or settings().consultant


# --- contacts -------------------------------------------------------------------------------

CONTACT_COLUMNS = ["id", "date", "consultant", "employer", "cvr", "citizen", "kind", "purpose",
                   "learned", "outcome", "next_step", "next_date"]


@click.group("contacts")
def contacts_group() -> None:
    """Log employer contacts (job development), list them, import a contact log CSV."""


@contacts_group.command("add")
@click.option("--date", "day", type=DATE, help="Day of the contact [default: today].")
@setting_option("consultant", help="Who made the contact [default: the login name].")
@click.option("--cvr", metavar="CVR", help="The employer's CVR number (8 digits).")
@click.option("--employer", metavar="NAME", help="The employer's name (created if unknown).")
@click.option("--citizen", metavar="ID", help="Pseudonymous case id the contact was for.")
@click.option("--kind", default="face-to-face", show_default=True,
              help="face-to-face, phone, email or other (Danish: personligt møde, telefon, "
                   "mail, andet).")
@click.option("--purpose", default="learn_business", show_default=True,
              help="learn_business, present_candidate or follow_up.")
@click.option("--learned", multiple=True, metavar="ITEM",
              help="What the employer said (repeatable): open_to_part_time, "
                   "open_to_flexible_start, quiet_workplace_available, hired_through_ips_before, "
                   "mentor_available, no_openings_now; prefix not_ for stated absent.")
@click.option("--outcome", metavar="TEXT")
@click.option("--next-step", metavar="TEXT")
@click.option("--next-date", type=DATE)
@click.option("--note", metavar="TEXT", help="Free text; never a CPR number or health details.")
@health_force_option
@format_option(("table", "json"))
def contacts_add(day: date | None, consultant: str | None, cvr: str | None,
                 employer: str | None, citizen: str | None, kind: str, purpose: str,
                 learned: tuple[str, ...], outcome: str | None, next_step: str | None,
                 next_date: date | None, note: str | None, allow_health: bool,
                 fmt: str) -> None:
    """Log one employer contact. The employer's known attributes are updated from it."""
    from ipsmatch.jobdev import Contact
    from ipsmatch.jobdev.contacts_csv import parse_kind, parse_learned, parse_purpose

    items = tuple(i for raw in learned for i in parse_learned(raw))
    contact = Contact(date=day or date.today(), consultant=_consultant(consultant),
                      employer_cvr=cvr.replace(" ", "") if cvr else None,
                      employer_name=employer, citizen_id=citizen, kind=parse_kind(kind),
                      purpose=parse_purpose(purpose), learned=items, outcome=outcome,
                      next_step=next_step, next_date=next_date, note=note)
    warnings: list[str] = []
    with options_named():
        stored = open_store().add_contact(contact, warnings=warnings,
                                          allow_health=allow_health)
    for w in warnings:
        click.echo(f"Warning: {w}", err=True)
    emit_records([contact_json(stored)], fmt, CONTACT_COLUMNS)


@contacts_group.command("list")
@click.option("--from", "since", type=DATE, help="First day.")
@click.option("--to", "until", type=DATE, help="Last day.")
@click.option("--consultant", metavar="NAME")
@click.option("--employer", metavar="CVR|NAME|ID")
@click.option("--citizen", metavar="ID")
@format_option()
def contacts_list(since: date | None, until: date | None, consultant: str | None,
                  employer: str | None, citizen: str | None, fmt: str) -> None:
    """Employer contacts, oldest first."""
    contacts = open_store().list_contacts(since=since, until=until, consultant=consultant,
                                          employer=employer, citizen=citizen)
    emit_records([contact_json(c) for c in contacts], fmt, CONTACT_COLUMNS)


@contacts_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--lenient", is_flag=True,
              help="Skip bad rows (listed on stderr) instead of refusing the whole file.")
@click.option("--no-stubs", is_flag=True,
              help="Refuse rows whose citizen is not in the database instead of adding the "
                   "citizen as a stub (id and consultant only).")
@health_force_option
def contacts_import(file: str, lenient: bool, no_stubs: bool, allow_health: bool) -> None:
    """Import a contact log CSV (date,consultant,employer_cvr,employer_name,citizen_id,kind,
    purpose,learned,outcome,next_step,next_date,note[,contact_id]) in one transaction.
    Rows already imported (same content, or same contact_id) are not added again."""
    from ipsmatch.jobdev import read_contacts_csv

    read = read_contacts_csv(file, strict=not lenient)
    print_problems([str(e) for e in read.errors])
    summary = open_store().import_contacts(read.records, create_citizens=not no_stubs,
                                           file=file, lines=read.lines,
                                           allow_health=allow_health)
    click.echo(f"contacts: added {summary.added}, rejected {len(read.errors)}, "
               f"already there {summary.already}; new employers {summary.employers_created}")
    if summary.citizens_created:
        click.echo(f"citizens added as stubs (no profile yet): "
                   f"{', '.join(summary.citizens_created)}")
    if summary.warnings:
        who = plural(len(summary.warnings), 'citizen', 'citizens')
        click.echo(f"Warning: {who} not asked about employer "
                   "contact yet (disclosure.consent = not_asked); their contacts are stored "
                   "and noted in the access log", err=True)


# --- outcomes (job starts and ends) ---------------------------------------------------------

JOB_COLUMNS = ["id", "citizen", "employer", "cvr", "title", "start_date", "hours_per_week",
               "competitive", "wage_form", "end_date", "end_reason"]


@click.group("outcomes")
def outcomes_group() -> None:
    """Job starts and ends: record, import, list."""


@outcomes_group.command("start")
@click.option("--citizen", required=True, metavar="ID", help="Pseudonymous case id.")
@click.option("--cvr", metavar="CVR", help="The employer's CVR number.")
@click.option("--employer", metavar="NAME", help="The employer's name.")
@click.option("--title", required=True, metavar="TEXT", help="Job title.")
@click.option("--date", "day", type=DATE, help="First working day [default: today].")
@click.option("--hours", type=FiniteFloatRange(), metavar="H",
              help="Hours per week.")
@click.option("--competitive/--not-competitive", default=True, show_default=True,
              help="An ordinary paid job on ordinary terms, or not (fleksjob, løntilskud, "
                   "virksomhedspraktik, skånejob).")
@click.option("--wage-form", type=click.Choice(["ordinary", "fleksjob", "other"]),
              help="ordinary, fleksjob (its own category) or other (løntilskud, praktik, "
                   "skånejob); sets --competitive.")
@click.option("--contact-person", metavar="TEXT",
              help="The employer's contact person for follow-along (a role or first name).")
@format_option(("table", "json"))
def outcomes_start(citizen: str, cvr: str | None, employer: str | None, title: str,
                   day: date | None, hours: float | None, competitive: bool,
                   wage_form: str | None, contact_person: str | None, fmt: str) -> None:
    """Record that a citizen started a job."""
    from ipsmatch.jobdev import JobStart

    if wage_form is not None:
        competitive = wage_form == "ordinary"
    job = JobStart(citizen_id=citizen, start_date=day or settings().today or date.today(),
                   title=title, employer_cvr=cvr.replace(" ", "") if cvr else None,
                   employer_name=employer, hours_per_week=hours, competitive=competitive,
                   wage_form=wage_form, contact_person=contact_person)
    with options_named():
        stored = open_store().add_job_start(job)
    emit_records([job_start_json(stored)], fmt, JOB_COLUMNS)


@outcomes_group.command("end")
@click.argument("job_id", required=False, type=ROW_ID, metavar="[JOB_ID]")
@click.option("--citizen", metavar="ID", help="End this citizen's only open job.")
@click.option("--date", "day", type=DATE, help="Last working day [default: today].")
@click.option("--reason", metavar="TEXT", help="Why it ended (e.g. quit, contract_ended).")
@health_force_option
@format_option(("table", "json"))
def outcomes_end(job_id: int | None, citizen: str | None, day: date | None,
                 reason: str | None, allow_health: bool, fmt: str) -> None:
    """Record that a job ended (by JOB_ID from `outcomes list`, or --citizen)."""
    with options_named():
        ended = open_store().end_job_start(job_id=job_id, citizen_id=citizen,
                                           end_date=day or date.today(), reason=reason,
                                           allow_health=allow_health)
    emit_records([job_start_json(ended)], fmt, JOB_COLUMNS)


@outcomes_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--lenient", is_flag=True, help="Skip bad rows instead of refusing the file.")
@health_force_option
def outcomes_import(file: str, lenient: bool, allow_health: bool) -> None:
    """Import job starts from CSV (citizen_id,employer_cvr,employer_name,title,start_date,
    hours_per_week,competitive,end_date,end_reason) in one transaction."""
    from ipsmatch.jobdev import read_job_starts_csv

    read = read_job_starts_csv(file, strict=not lenient)
    print_problems([str(e) for e in read.errors])
    summary = open_store().import_job_starts(read.records, file=file, lines=read.lines,
                                             allow_health=allow_health)
    click.echo(f"job starts: added {summary.added}, rejected {len(read.errors)}, "
               f"already there {summary.already}; new employers {summary.employers_created}")


@outcomes_group.command("list")
@click.option("--from", "since", type=DATE, help="First start date.")
@click.option("--to", "until", type=DATE, help="Last start date.")
@click.option("--citizen", metavar="ID")
@click.option("--employer", metavar="CVR|NAME|ID")
@click.option("--open", "open_only", is_flag=True, help="Only jobs that have not ended.")
@format_option()
def outcomes_list(since: date | None, until: date | None, citizen: str | None,
                  employer: str | None, open_only: bool, fmt: str) -> None:
    """Job starts, oldest first."""
    jobs = open_store().list_job_starts(since=since, until=until, citizen=citizen,
                                        employer=employer, open_only=open_only)
    emit_records([job_start_json(j) for j in jobs], fmt, JOB_COLUMNS)


# --- feedback on suggestions ----------------------------------------------------------------

FEEDBACK_COLUMNS = ["id", "date", "citizen", "verdict", "vacancy", "employer", "consultant",
                    "reason"]


def _vacancy_ref(text: str) -> tuple[str, str]:
    src, sep, ext = text.strip().partition(":")
    if not (sep and src and ext):
        raise UsageError(f"--vacancy: not SOURCE:ID: {text!r}",
                         hint="e.g. --vacancy jobnet:7000015 (see `ipsmatch vacancies list`)")
    return src, ext


@click.group("feedback")
def feedback_group() -> None:
    """A consultant's verdict on suggestions: hides them or marks them on later suggestions."""


@feedback_group.command("add")
@click.option("--citizen", required=True, metavar="ID")
@click.option("--vacancy", metavar="SOURCE:ID", help="The suggested vacancy.")
@click.option("--cvr", metavar="CVR", help="The employer (for an employer verdict).")
@click.option("--employer", metavar="NAME", help="The employer by name.")
@click.option("--verdict", required=True,
              type=click.Choice(["not_interested", "not_interested_employer", "interested",
                                 "applied", "interview", "hired"]),
              help="not_interested hides the vacancy; not_interested_employer hides every "
                   "vacancy of the employer; the others mark it.")
@click.option("--reason", metavar="TEXT")
@click.option("--date", "day", type=DATE, help="[default: today]")
@setting_option("consultant", help="Who gives the verdict [default: the login name].")
@health_force_option
@format_option(("table", "json"))
def feedback_add(citizen: str, vacancy: str | None, cvr: str | None, employer: str | None,
                 verdict: str, reason: str | None, day: date | None, consultant: str | None,
                 allow_health: bool, fmt: str) -> None:
    """Record a verdict on a suggested vacancy (--vacancy) or employer (--cvr/--employer)."""
    from ipsmatch.jobdev import Feedback

    if not (vacancy or cvr or employer):
        raise UsageError("say what the verdict is about",
                         hint="give --vacancy SOURCE:ID, or --cvr / --employer")
    fb = Feedback(citizen_id=citizen, verdict=verdict, date=day or date.today(),
                  consultant=_consultant(consultant),
                  vacancy=_vacancy_ref(vacancy) if vacancy else None,
                  employer_cvr=cvr, employer_name=employer, reason=reason)
    with options_named():
        stored = open_store().add_feedback(fb, allow_health=allow_health)
    emit_records([feedback_json(stored)], fmt, FEEDBACK_COLUMNS)


@feedback_group.command("list")
@click.option("--citizen", required=True, metavar="ID")
@format_option()
def feedback_list(citizen: str, fmt: str) -> None:
    """A citizen's feedback, oldest first."""
    store = open_store()
    store.get_citizen(citizen)
    emit_records([feedback_json(f) for f in store.feedback_for(citizen)], fmt,
                 FEEDBACK_COLUMNS)


# --- fidelity -------------------------------------------------------------------------------

@click.command("fidelity")
@click.option("--from", "since", type=DATE, help="First day [default: 28 days before --to].")
@click.option("--to", "until", type=DATE, help="Last day [default: today].")
@click.option("--consultant", "consultants", multiple=True, metavar="NAME",
              help="Only these consultants' rows (repeatable); the team row covers everyone.")
@format_option(("table", "json", "csv", "html"))
@click.option("--out", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write to FILE (readable by you only) instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite --out FILE if it exists.")
def fidelity_cmd(since: date | None, until: date | None, consultants: tuple[str, ...],
                 fmt: str, out: str | None, force: bool) -> None:
    """IPS fidelity figures per consultant and team: face-to-face employer contacts per week,
    days to first employer contact, competitive job starts, employer and job-type diversity,
    active caseload."""
    from ipsmatch.output import dumps

    until = until or date.today()
    if since is None:
        four_weeks = timedelta(days=28)
        since = until - four_weeks if until > date.min + four_weeks else date.min
    store = open_store()
    report = store.fidelity(since, until, consultants=list(consultants) or None)
    if fmt == "json":
        text = dumps(report.to_dict())
    elif fmt == "csv":
        text = report.to_csv()
    elif fmt == "html":
        from ipsmatch.jobdev import render_html

        # the report's extras: the period's job starts and the next steps now due
        contacts = store.list_contacts(until=until)
        if consultants:
            contacts = [c for c in contacts if c.consultant in consultants]
        text = render_html(report, contacts=contacts,
                           job_starts=store.list_job_starts(since=since, until=until))
    else:
        text = report.to_text()
    if out:
        from ipsmatch.config import write_private_text

        write_private_text(out, text if text.endswith("\n") else text + "\n", overwrite=force)
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))
