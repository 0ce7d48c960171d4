"""Reports for the citizen in plain Danish: an interval report ("statusrapport") and an end
report ("slutrapport"), as text and printable HTML.

What we worked on (the wishes and the goal), the employer contacts made for the citizen, the
jobs and education tried, the hours now, the next steps, and a field for the citizen's own
comment. Written to the citizen ("du"), without scores or codes. Every free text that goes in
(next steps, the comment) passes :func:`ipsmatch.ips.freetext.check_free_text`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ipsmatch.domain import CitizenProfile
from ipsmatch.errors import UsageError
from ipsmatch.explain import fmt_num
from ipsmatch.ips.followalong import JobFollowUp, hours_on
from ipsmatch.ips.freetext import check_free_text
from ipsmatch.ips.texts import fmt_date

KINDS = {"interval": "Statusrapport", "end": "Slutrapport"}
END_REASONS_DA = {"completed": "gennemført", "dropped_out": "stoppet", "paused": "holder pause",
                  "moved_to_job": "skiftet til job", "other": "afsluttet"}
WAGE_DA = {"ordinary": "almindelige vilkår", "fleksjob": "fleksjob", "other": "særlige vilkår"}


@dataclass
class CitizenReport:
    """The report's sections (heading, lines) and the citizen's comment field."""

    title: str
    period: tuple[date, date]
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    comment: str | None = None

    def text(self) -> str:
        out = [self.title, "=" * len(self.title), ""]
        for head, lines in self.sections:
            out += [head, *(f"- {x}" for x in lines), ""]
        out += ["Din egen kommentar", self.comment or "_" * 60, ""]
        return "\n".join(out)

    def html(self) -> str:
        body = [f"<h1>{html.escape(self.title)}</h1>"]
        for head, lines in self.sections:
            body.append(f"<h2>{html.escape(head)}</h2><ul>"
                        + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>")
        comment = html.escape(self.comment) if self.comment else ""
        body.append("<h2>Din egen kommentar</h2>"
                    f'<div class="comment">{comment}</div>')
        return ("<!doctype html>\n<html lang=\"da\"><head><meta charset=\"utf-8\">"
                f"<title>{html.escape(self.title)}</title><style>"
                "body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.45}"
                "h1{font-size:1.5em}h2{font-size:1.1em;margin-top:1.4em}"
                ".comment{border:1px solid #888;min-height:8em;padding:.5em}"
                "@media print{body{margin:0}}</style></head><body>\n"
                + "\n".join(body) + "\n</body></html>\n")


def citizen_report(p: CitizenProfile, *, kind: str, period_from: date, period_to: date,
                   contacts: Iterable[Any] = (), jobs: Sequence[JobFollowUp] = (),
                   education: Iterable[Any] = (), next_steps: Iterable[str] = (),
                   comment: str | None = None) -> CitizenReport:
    """An interval (``kind="interval"``) or end (``"end"``) report for the citizen.

    ``contacts`` are the employer contacts made for the citizen (:class:`Contact`), ``jobs``
    their jobs with hours (:class:`JobFollowUp`), ``education`` their education starts."""
    if kind not in KINDS:
        raise UsageError(code="report.kind_unknown", params={"kind": kind})
    if period_to < period_from:
        raise UsageError(code="period.ends_before_start",
                         params={"from": period_from.isoformat(), "to": period_to.isoformat()})
    r = CitizenReport(title=f"{KINDS[kind]} {fmt_date(period_from)} – {fmt_date(period_to)}",
                      period=(period_from, period_to),
                      comment=check_free_text("comment", comment))
    worked = [f"Dit ønske: {w}" for w in p.wishes]
    c = p.career
    if c is not None and c.wants:
        worked.append(f"Det vil du gerne have i dit arbejde: {c.wants}")
    if c is not None and c.hours_goal is not None:
        worked.append(f"Dit mål: {fmt_num(c.hours_goal)} timer om ugen")
    r.sections.append(("Det har vi arbejdet med", worked or ["At finde det rette job eller "
                                                             "den rette uddannelse"]))
    mine = [x for x in contacts if period_from <= x.date <= period_to]
    employers = sorted({x.employer_name for x in mine if x.employer_name})
    if mine:
        n = len(mine)
        line = (f"Vi har haft {n} kontakt{'er' if n != 1 else ''} til arbejdsgivere for dig"
                + (f": {', '.join(employers)}" if employers else ""))
        r.sections.append(("Kontakter til arbejdsgivere", [line]))
    else:
        r.sections.append(("Kontakter til arbejdsgivere",
                           ["Ingen kontakter til arbejdsgivere for dig i perioden"]))
    follow = [c for u in jobs for c in u.contacts if period_from <= c.contact_date <= period_to]
    if follow:
        n = len(follow)
        r.sections[-1][1].append(f"Vi har fulgt op på dit job {n} gang{'e' if n != 1 else ''}")
    tried = []
    for u in jobs:
        j = u.job
        if j.start_date > period_to or (j.end_date and j.end_date < period_from):
            continue
        hours = " → ".join(fmt_num(h) for _, h in u.timeline)
        line = (f"{j.title} hos {j.employer_name or 'en arbejdsgiver'} fra "
                f"{fmt_date(j.start_date)} ({WAGE_DA[j.wage]})")
        if hours:
            line += f", timer om ugen: {hours}"
        if j.end_date:
            line += f"; sluttede {fmt_date(j.end_date)}"
        tried.append(line)
    for e in education:
        if e.start_date > period_to or (e.end_date and e.end_date < period_from):
            continue
        line = f"{e.name}" + (f" på {e.institution}" if e.institution else "") + \
            f" fra {fmt_date(e.start_date)}"
        if e.end_date:
            line += f"; {END_REASONS_DA.get(e.end_reason or 'other', 'afsluttet')} " \
                    f"{fmt_date(e.end_date)}"
        tried.append(line)
    r.sections.append(("Job og uddannelse", tried or ["Ingen job eller uddannelse endnu i "
                                                      "perioden"]))
    now = [(u, hours_on(u.timeline, period_to)) for u in jobs if u.job.start_date <= period_to
           and (u.job.end_date is None or u.job.end_date >= period_to)]
    hours_lines = [f"{fmt_num(h)} timer om ugen hos {u.job.employer_name or 'din arbejdsgiver'}"
                   for u, h in now if h]
    r.sections.append(("Dine timer nu", hours_lines or ["Ingen timer i arbejde lige nu"]))
    steps = [t for t in (check_free_text("next_steps", x) for x in next_steps) if t]
    for u, _ in now:
        if u.plan is not None and u.plan.next_follow_up:
            steps.append(f"Næste opfølgning: {fmt_date(u.plan.next_follow_up)}")
        if u.plan is not None:
            steps += [f"Aftalt støtte: {it.support}" for it in u.plan.items]
    if kind == "interval":
        r.sections.append(("Næste skridt", steps or ["Vi aftaler de næste skridt sammen"]))
    else:
        r.sections.append(("Det videre forløb", steps or [
            "Forløbet slutter her. Du kan altid kontakte jobcentret igen"]))
    return r
