"""The HTML fidelity report: self-contained, and everything from data escaped."""

from __future__ import annotations

import re
from datetime import date

from ipsmatch.jobdev.fidelity import compute_fidelity
from ipsmatch.jobdev.model import CitizenRecord, Contact, JobStart
from ipsmatch.jobdev.report import render_html

TODAY = date(2026, 11, 20)
EVIL = "<script>alert('x')</script>"


def build() -> str:
    contacts = [
        Contact(date(2026, 11, 3), "Anne <b>Holm</b>", employer_name=f"Café {EVIL}",
                citizen_id="B-1", next_step=f"Ring {EVIL}", next_date=date(2026, 11, 24),
                note=f"Leder sagde {EVIL} & mere"),
        Contact(date(2026, 11, 10), "CD", employer_cvr="12345678"),
    ]
    starts = [JobStart("B-1", date(2026, 11, 5), f"Opvasker {EVIL}",
                       employer_name=f"Sol {EVIL}", hours_per_week=15)]
    citizens = [CitizenRecord("B-1", "Anne <b>Holm</b>", date(2026, 10, 1)),
                CitizenRecord(f"B-2{EVIL}", "CD", date(2026, 9, 1))]
    report = compute_fidelity(contacts, starts, citizens, period_from=date(2026, 11, 2),
                              period_to=date(2026, 11, 15), today=TODAY)
    return render_html(report, contacts=contacts, job_starts=starts)


def test_data_is_escaped() -> None:
    html = build()
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<b>Holm</b>" not in html and "Anne &lt;b&gt;Holm&lt;/b&gt;" in html
    # each place data shows up: employer (contacts and starts), note, next step, title, id
    assert html.count("&lt;script&gt;") >= 6
    assert "&amp; mere" in html


def test_self_contained() -> None:
    html = build()
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html and "<style>" in html
    assert not re.search(r"(src|href)\s*=|@import|url\(|https?://", html)


def test_shows_headline_figures_and_overdue_citizen() -> None:
    html = build()
    assert "Møder pr. konsulent/uge" in html
    assert "ingen kontakt endnu" in html  # B-2 started 2026-09-01, no contact
    assert "2026-W45" in html or "uge 45" in html


def test_empty_report_renders() -> None:
    r = compute_fidelity([], [], [], period_from=date(2026, 11, 2), period_to=date(2026, 11, 8),
                         today=TODAY)
    html = render_html(r)
    assert "Ingen konsulenter i perioden" in html
    assert "Alle borgere fik første arbejdsgiverkontakt" in html
