"""The weekly fidelity report as one self-contained HTML file (inline CSS and SVG, no JS,
no external resources), for the team's weekly meeting.

Everything that comes from data goes through :func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from html import escape
from typing import Any

from ipsmatch.jobdev.fidelity_report import FidelityReport, Figures, FirstContact
from ipsmatch.jobdev.model import Contact, JobStart

PALETTE = ("#2f6db5", "#e07b39", "#3a9d6a", "#b5487a", "#7a5cc0", "#c9a227", "#3aa6b9",
           "#8c6d46")

_CSS = """
:root{--ink:#1d2733;--muted:#5d6b7a;--line:#dde3ea;--bg:#f5f7fa;--ok:#2e8b57;--warn:#d08a12;
--bad:#c0392b}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.45 "Segoe UI",system-ui,-apple-system,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:28px 28px 40px}
header h1{margin:0;font-size:26px;letter-spacing:-.01em}
header p{margin:4px 0 0;color:var(--muted)}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:14px;margin:22px 0}
.tile{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px;
border-top:5px solid var(--muted)}
.tile.ok{border-top-color:var(--ok)}.tile.warn{border-top-color:var(--warn)}
.tile.bad{border-top-color:var(--bad)}
.tile .label{font-size:13px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.tile .value{font-size:34px;font-weight:650;margin:2px 0}
.tile .value small{font-size:16px;font-weight:500;color:var(--muted)}
.tile .sub{font-size:13px;color:var(--muted)}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 20px;
margin:0 0 18px}
section h2{margin:0 0 4px;font-size:18px}
section p.note{margin:0 0 12px;color:var(--muted);font-size:13px}
table{width:100%;border-collapse:collapse;font-size:14px}
th,td{padding:7px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
td.n,th.n,table.figs td,table.figs th{text-align:right}
td.wrap{white-space:normal}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;
letter-spacing:.03em;vertical-align:bottom;white-space:normal}
table.figs th:first-child,table.figs td:first-child{text-align:left}
tr.team td{font-weight:650;border-top:2px solid var(--ink)}
td.ok{color:var(--ok)}td.warn{color:var(--warn)}td.bad{color:var(--bad);font-weight:600}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.pill{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff}
.pill.late{background:var(--warn)}.pill.overdue{background:var(--bad)}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;margin-top:18px}
footer dt{font-weight:600;color:var(--ink);margin-top:6px}footer dd{margin:0}
svg text{font-family:inherit}
"""


def _fmt(v: float | None, digits: int = 1) -> str:
    return "–" if v is None else f"{v:.{digits}f}".replace(".", ",")


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{round(v * 100)} %"


def _grade(value: float | None, target: float, *, lower_is_better: bool = False) -> str:
    """ok / warn / bad against a target; warn within a third of it."""
    if value is None:
        return ""
    if lower_is_better:
        return "ok" if value <= target else "warn" if value <= target * 1.5 else "bad"
    return "ok" if value >= target else "warn" if value >= target * 2 / 3 else "bad"


def _tile(label: str, value: str, sub: str, grade: str) -> str:
    return (f'<div class="tile {grade}"><div class="label">{escape(label)}</div>'
            f'<div class="value">{value}</div><div class="sub">{sub}</div></div>')


def _tiles(r: FidelityReport) -> str:
    cfg, t = r.config, r.team
    flagged = t.first_contact_overdue + t.first_contact_late
    return '<div class="tiles">' + "".join([
        _tile("Møder pr. konsulent/uge", f"{_fmt(t.f2f_per_consultant_week)} "
              f"<small>/ {_fmt(cfg.target_f2f_per_week, 0)}</small>",
              f"{t.f2f_contacts} personlige arbejdsgivermøder, {t.consultants} konsulenter",
              _grade(t.f2f_per_consultant_week, cfg.target_f2f_per_week)),
        _tile("Forsinket 1. kontakt", f"{t.first_contact_overdue}",
              f"uden kontakt efter {cfg.first_contact_days} dage; "
              f"{t.first_contact_late} fik den for sent",
              "ok" if flagged == 0 else "warn" if t.first_contact_overdue == 0 else "bad"),
        _tile("Ordinære job", _pct(t.competitive_share),
              f"{t.competitive_starts} af {t.ordinary_starts + t.other_starts} jobstart; "
              f"fleksjob for sig: {t.fleksjob_starts}; mål "
              f"{_pct(cfg.target_competitive_share)}",
              _grade(t.competitive_share, cfg.target_competitive_share)),
        _tile("Uddannelse", f"{t.education_starts}",
              f"uddannelsesstarter; {t.education_ends} afsluttet i perioden", ""),
        _tile("Sager pr. konsulent", _fmt(t.caseload_per_consultant),
              f"mål højst {cfg.target_caseload}",
              _grade(t.caseload_per_consultant, cfg.target_caseload, lower_is_better=True)),
        _tile("Opfølgning efter jobstop", _pct(t.followup_after_end_share),
              f"{t.jobs_ended_followed_up} af {t.jobs_ended} fulgt op inden for "
              f"{cfg.followup_after_end_days} dage; flere timer i {t.hours_grown} af "
              f"{t.jobs_with_hours} job", _grade(t.followup_after_end_share, 1.0)),
        _tile("Forskellige arbejdsgivere", _pct(t.employer_diversity),
              f"{t.distinct_employers} arbejdsgivere, {t.distinct_job_types} jobtyper; "
              f"{t.caseload_active} aktive sager",
              _grade(t.employer_diversity, cfg.target_diversity)),
    ]) + "</div>"


def _bar_chart(r: FidelityReport) -> str:
    """Grouped bars: one group per ISO week, one bar per consultant, target line per consultant."""
    people = [f for f in r.consultants if f.f2f_weekly]
    if not people:
        return '<p class="empty">Ingen konsulenter i perioden.</p>'
    weeks = people[0].f2f_weekly
    target = r.config.target_f2f_per_week
    top = max([target, *(w.count for f in people for w in f.f2f_weekly)])
    top = max(2, int(top) + 1 + (int(top) + 1) % 2)  # even, with headroom
    width, height, left, bottom, top_pad = 1040, 300, 42, 44, 14
    plot_w, plot_h = width - left - 12, height - bottom - top_pad
    group_w = plot_w / len(weeks)
    bar_w = min(26.0, group_w * 0.8 / len(people))
    # a long period (a year is 53 weeks) has no room for every label
    label_every = max(1, round(len(weeks) / 14))
    show_counts = bar_w >= 14

    def y(v: float) -> float:
        return top_pad + plot_h * (1 - v / top)

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="Personlige arbejdsgivermøder pr. uge pr. konsulent">']
    step = 1 if top <= 10 else 2 if top <= 20 else 5
    for v in range(0, top + 1, step):
        parts.append(f'<line x1="{left}" x2="{width - 12}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     f'stroke="#e6ebf0"/><text x="{left - 8}" y="{y(v) + 4:.1f}" font-size="12" '
                     f'text-anchor="end" fill="#5d6b7a">{v}</text>')
    for gi, w in enumerate(weeks):
        gx = left + gi * group_w + (group_w - bar_w * len(people)) / 2
        for pi, f in enumerate(people):
            count = f.f2f_weekly[gi].count
            x = gx + pi * bar_w
            color = PALETTE[pi % len(PALETTE)]
            opacity = "0.55" if w.partial else "1"
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y(count):.1f}" width="{max(bar_w - 2, 0.8):.1f}" '
                f'height="{y(0) - y(count):.1f}" rx="2" fill="{color}" opacity="{opacity}">'
                f'<title>{escape(f.consultant)}, {escape(w.week)}: {count}</title></rect>')
            if count and show_counts:
                parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y(count) - 4:.1f}" '
                             f'font-size="11" text-anchor="middle" fill="#5d6b7a">{count}</text>')
        if gi % label_every:
            continue
        label = w.week.split("-")[1].replace("W", "uge ")
        if w.partial and label_every == 1:
            label += " (del)"
        parts.append(f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{height - 22}" '
                     f'font-size="12" text-anchor="middle" fill="#1d2733">{escape(label)}</text>'
                     f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{height - 8}" '
                     f'font-size="11" text-anchor="middle" fill="#5d6b7a">'
                     f'{w.week_start.day}/{w.week_start.month}</text>')
    parts.append(f'<line x1="{left}" x2="{width - 12}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
                 f'stroke="#c0392b" stroke-width="2" stroke-dasharray="6 4"/>')
    parts.append(f'<line x1="{left}" x2="{width - 12}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
                 f'stroke="#1d2733"/></svg>')
    legend = " ".join(
        f'<span style="margin-right:14px"><span class="swatch" '
        f'style="background:{PALETTE[i % len(PALETTE)]}"></span>{escape(f.consultant)}</span>'
        for i, f in enumerate(people))
    legend += ('<span><svg width="22" height="10"><line x1="0" x2="22" y1="5" y2="5" '
               'stroke="#c0392b" stroke-width="2" stroke-dasharray="6 4"/></svg> '
               f"mål {target:g} pr. konsulent</span>")
    return "".join(parts) + f'<div style="font-size:13px;margin-top:6px">{legend}</div>'


def _table(r: FidelityReport) -> str:
    cfg = r.config
    head = ("<tr><th>Konsulent</th><th>Aktive sager</th><th>Møder</th><th>Møder/uge</th>"
            "<th>Alle kontakter</th><th>Dage til 1. kontakt (median)</th>"
            f"<th>&gt; {cfg.first_contact_days} dage / uden kontakt</th><th>Jobstart</th>"
            "<th>Ordinære</th><th>Forsk. arbejdsgivere</th><th>Forsk. jobtyper</th></tr>")

    def row(f: Figures, cls: str = "") -> str:
        name = "Hele teamet" if cls == "team" else escape(f.consultant)
        per_week = f.f2f_per_consultant_week
        late = f.first_contact_late + f.first_contact_overdue
        median_grade = _grade(f.first_contact_median_days, cfg.first_contact_days,
                              lower_is_better=True)
        cells = [
            name, str(f.caseload_active), str(f.f2f_contacts),
            (_fmt(per_week), _grade(per_week, cfg.target_f2f_per_week)),
            str(f.contacts),
            (_fmt(f.first_contact_median_days, 0), median_grade),
            (f"{f.first_contact_late} / {f.first_contact_overdue}", "bad" if late else ""),
            str(f.job_starts),
            (_pct(f.competitive_share), _grade(f.competitive_share, cfg.target_competitive_share)),
            (_pct(f.employer_diversity), _grade(f.employer_diversity, cfg.target_diversity)),
            (_pct(f.job_type_diversity), _grade(f.job_type_diversity, cfg.target_diversity)),
        ]
        tds = "".join(f'<td class="{c[1]}">{c[0]}</td>' if isinstance(c, tuple)
                      else f"<td>{c}</td>" for c in cells)
        return f'<tr class="{cls}">{tds}</tr>'

    body = "".join(row(f) for f in r.consultants) + row(r.team, "team")
    return f'<table class="figs">{head}{body}</table>'


def _flagged(r: FidelityReport) -> str:
    limit = r.config.first_contact_days
    rows: list[FirstContact] = [f for f in r.first_contacts if f.status in ("overdue", "late")]
    if not rows:
        return f'<p class="empty">Alle borgere fik første arbejdsgiverkontakt inden for {limit} ' \
               "dage.</p>"
    rows.sort(key=lambda f: (f.status != "overdue", f.start_date))
    out = ["<table><tr><th>Borger (sags-id)</th><th>Konsulent</th><th>Start</th>"
           "<th>Første kontakt</th><th class=\"n\">Dage</th><th>Status</th></tr>"]
    for f in rows:
        days = f.days if f.days is not None else (r.as_of - f.start_date).days
        status = ('<span class="pill overdue">ingen kontakt endnu</span>'
                  if f.status == "overdue" else '<span class="pill late">for sent</span>')
        first = escape(f.first_contact.isoformat()) if f.first_contact else "–"
        out.append(f"<tr><td>{escape(f.citizen_id)}</td><td>{escape(f.consultant)}</td>"
                   f"<td>{escape(f.start_date.isoformat())}</td><td>{first}</td>"
                   f'<td class="n">{days}</td><td>{status}</td></tr>')
    out.append("</table>")
    return "".join(out)


def _employer(cvr: str | None, name: str | None) -> str:
    return escape(name or f"CVR {cvr}")


def _next_steps(r: FidelityReport, contacts: Iterable[Contact], days: int) -> str:
    until = r.as_of + timedelta(days=days)
    due = sorted((c for c in contacts if c.next_date and r.as_of <= c.next_date <= until),
                 key=lambda c: (c.next_date, c.consultant))
    if not due:
        return '<p class="empty">Ingen aftalte næste skridt.</p>'
    out = ["<table><tr><th>Dato</th><th>Konsulent</th><th>Arbejdsgiver</th><th>Borger</th>"
           "<th>Næste skridt</th><th>Note</th></tr>"]
    for c in due:
        when = c.next_date.isoformat() if c.next_date else ""
        out.append(f"<tr><td>{escape(when)}</td>"
                   f"<td>{escape(c.consultant)}</td>"
                   f"<td>{_employer(c.employer_cvr, c.employer_name)}</td>"
                   f"<td>{escape(c.citizen_id or '')}</td>"
                   f'<td class="wrap">{escape(c.next_step or "")}</td>'
                   f'<td class="wrap">{escape(c.note or "")}</td></tr>')
    out.append("</table>")
    return "".join(out)


def _job_starts(r: FidelityReport, starts: Iterable[JobStart]) -> str:
    rows = sorted((s for s in starts if r.period_from <= s.start_date <= r.period_to),
                  key=lambda s: s.start_date)
    if not rows:
        return '<p class="empty">Ingen jobstart i perioden.</p>'
    out = ["<table><tr><th>Start</th><th>Borger (sags-id)</th><th>Arbejdsgiver</th>"
           "<th>Job</th><th class=\"n\">Timer/uge</th><th>Vilkår</th></tr>"]
    for s in rows:
        hours = _fmt(s.hours_per_week, 0) if s.hours_per_week is not None else "–"
        terms = "ordinært" if s.competitive else "særlige vilkår"
        out.append(f"<tr><td>{escape(s.start_date.isoformat())}</td>"
                   f"<td>{escape(s.citizen_id)}</td>"
                   f"<td>{_employer(s.employer_cvr, s.employer_name)}</td>"
                   f'<td>{escape(s.title)}</td><td class="n">{hours}</td>'
                   f"<td>{terms}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _footer(r: FidelityReport) -> str:
    c = r.config
    items: list[tuple[str, Any]] = [
        ("Møder pr. uge", f"personlige (face-to-face) arbejdsgiverkontakter i perioden delt med "
         f"periodens længde i uger ({_fmt(r.weeks)}); for teamet også delt med antal "
         f"konsulenter. IPS-25: mindst {c.target_f2f_per_week:g} pr. konsulent pr. uge."),
        ("Første kontakt", f"dage fra borgerens start til første personlige "
         f"arbejdsgiverkontakt for borgeren. IPS-25 (hurtig jobsøgning): inden for "
         f"{c.first_contact_days} dage."),
        ("Ordinære job", "andel af periodens jobstart på almindelige vilkår (ikke fleksjob, "
         "løntilskud, praktik eller skånejob)."),
        ("Forskellige arbejdsgivere / jobtyper", "antal forskellige arbejdsgivere (jobtitler) "
         "delt med antal jobstart."),
    ]
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items)
    return (f"<footer><dl>{dl}</dl><p>Kun pseudonyme sags-id'er; ingen CPR-numre. "
            f"Opgjort pr. {escape(r.as_of.isoformat())}.</p></footer>")


def render_html(report: FidelityReport, *, title: str = "IPS-fidelitet",
                contacts: Iterable[Contact] | None = None,
                job_starts: Iterable[JobStart] | None = None, next_days: int = 14) -> str:
    """The report as one self-contained HTML document (UTF-8 text).

    With ``job_starts`` it lists the period's job starts; with ``contacts`` the next steps
    agreed for the coming ``next_days`` days.
    """
    extra = ""
    if job_starts is not None:
        extra += ("<section><h2>Jobstart i perioden</h2>"
                  f"{_job_starts(report, job_starts)}</section>")
    if contacts is not None:
        extra += (f"<section><h2>Aftalte næste skridt, {next_days} dage frem</h2>"
                  f"{_next_steps(report, contacts, next_days)}</section>")
    period = f"{report.period_from.isoformat()} – {report.period_to.isoformat()}"
    return (
        '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} {escape(period)}</title><style>{_CSS}</style></head><body><main>"
        f"<header><h1>{escape(title)}</h1><p>Periode {escape(period)} · "
        f"{_fmt(report.weeks)} uger · {report.team.consultants} konsulenter · "
        f"{report.team.caseload_active} aktive sager</p></header>"
        f"{_tiles(report)}"
        "<section><h2>Personlige arbejdsgivermøder pr. uge</h2>"
        '<p class="note">Pr. konsulent og ISO-uge; lyse søjler er uger, som perioden kun '
        "dækker delvist. Den stiplede linje er målet pr. konsulent.</p>"
        f"{_bar_chart(report)}</section>"
        "<section><h2>Pr. konsulent</h2>"
        f'<p class="note">Grøn: på mål · gul: tæt på · rød: under.</p>{_table(report)}</section>'
        f"<section><h2>Borgere over {report.config.first_contact_days} dage til første "
        "arbejdsgiverkontakt</h2>"
        '<p class="note">Tag dem op på mødet: hvem tager kontakt til en arbejdsgiver, som '
        "matcher borgerens ønsker, i denne uge?</p>"
        f"{_flagged(report)}</section>"
        f"{extra}{_footer(report)}</main></body></html>\n"
    )
