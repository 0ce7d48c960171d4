"""Disclosure ("åbenhed"): whether an employer may be contacted about a citizen, and the
employer-facing *jobudviklingsark* that never says more than the citizen agreed to.

Consent (``disclosure.consent`` in the profile) has three states:

- ``not_asked`` (the default, and every citizen from before profile version 3): a contact
  "for" the citizen is stored, with a warning and an access-log entry
  (``contact_consent_not_asked``); no jobudviklingsark is made;
- ``yes``: contacts and the jobudviklingsark are allowed;
- ``no``: a contact for the citizen is refused with the reason (:class:`ConsentError`).

What the sheet may contain (see docs/profile.md):

=====================  ====================================================================
part                   when
=====================  ====================================================================
hours now / the goal   consent yes
languages, certificates consent yes (codes, printed with their Danish names)
"in IPS", the consultant share ``ips`` or ``accommodations``
accommodations         share ``accommodations``: only the needs listed in
                       ``disclosure.accommodations``
free text (wants,      only the items the consultant confirmed (``include``); the rest are
strengths, interests,  returned as ``pending`` for the consultant to look at, never added
wishes, past jobs,     silently; ``supports`` only with share ``accommodations``
supports)
never                  the case id, home, travel, other needs, avoid-terms, fleksjob or
                       subsidy status, what went badly, the disclosure note
=====================  ====================================================================
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ipsmatch.domain import CitizenProfile
from ipsmatch.errors import ConsentError
from ipsmatch.explain import fmt_num

NOT_ASKED_WARNING = ("{cid} has not been asked about employer contact yet (disclosure."
                     "consent = not_asked): the contact is stored and noted in the access log; "
                     "ask the citizen and record the answer in the profile")


def contact_consent(profile: Mapping[str, Any] | CitizenProfile | None) -> str:
    """The consent state of a stored profile dict (a stub or an old profile: not asked)."""
    if isinstance(profile, CitizenProfile):
        return profile.disclosure.consent
    d = (profile or {}).get("disclosure") or {}
    consent = d.get("consent", "not_asked") if isinstance(d, dict) else "not_asked"
    return consent if consent in ("not_asked", "yes", "no") else "not_asked"


def check_contact_consent(citizen_id: str, profile: Mapping[str, Any] | CitizenProfile | None
                          ) -> str | None:
    """Raise ConsentError when the citizen said no to employer contact; the warning to show
    when they were not asked yet; None when they said yes."""
    consent = contact_consent(profile)
    if consent == "no":
        raise ConsentError(code="contact.consent_no", params={"id": citizen_id})
    if consent == "not_asked":
        return NOT_ASKED_WARNING.format(cid=citizen_id)
    return None


# --- the jobudviklingsark ---------------------------------------------------------------------

@dataclass(frozen=True)
class FreeText:
    """A free text that may go on the sheet once the consultant has confirmed it."""

    key: str
    label: str
    text: str


@dataclass
class JobDevSheet:
    """The employer-facing text: sections of lines, plus the free texts still to confirm."""

    title: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    pending: list[FreeText] = field(default_factory=list)
    included: list[str] = field(default_factory=list)
    made: date | None = None

    def text(self) -> str:
        """Plain text to read aloud or paste into a mail."""
        out = [self.title, "=" * len(self.title), ""]
        for head, lines in self.sections:
            out += [head, *(f"- {x}" for x in lines), ""]
        return "\n".join(out).rstrip() + "\n"

    def html(self) -> str:
        """A printable, self-contained HTML page (no scripts, no external files)."""
        body = [f"<h1>{html.escape(self.title)}</h1>"]
        for head, lines in self.sections:
            body.append(f"<h2>{html.escape(head)}</h2>")
            body.append("<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines)
                        + "</ul>")
        if self.made:
            body.append(f'<p class="made">Udarbejdet {self.made.isoformat()}</p>')
        return ("<!doctype html>\n<html lang=\"da\"><head><meta charset=\"utf-8\">"
                f"<title>{html.escape(self.title)}</title><style>"
                "body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.4}"
                "h1{font-size:1.5em}h2{font-size:1.1em;margin-top:1.5em}"
                ".made{color:#555;font-size:.9em}"
                "@media print{body{margin:0}}</style></head><body>\n"
                + "\n".join(body) + "\n</body></html>\n")


def sheet_free_texts(p: CitizenProfile) -> list[FreeText]:
    """Every free text that could go on the sheet, with a stable key for ``include``."""
    out: list[FreeText] = []
    c = p.career
    for i, w in enumerate(p.wishes):
        out.append(FreeText(f"wishes[{i}]", "Ønske", w))
    if c is not None:
        if c.wants:
            out.append(FreeText("career.wants", "Ønsker af arbejdet", c.wants))
        for i, x in enumerate(c.strengths):
            out.append(FreeText(f"career.strengths[{i}]", "Styrke", x))
        for i, x in enumerate(c.interests):
            out.append(FreeText(f"career.interests[{i}]", "Interesse", x))
        for i, job in enumerate(c.work_history):
            years = "–".join(str(y) for y in (job.year_from, job.year_to) if y)
            out.append(FreeText(f"career.work_history[{i}]", "Erfaring",
                                f"{job.title} ({years})" if years else job.title))
            if job.went_well:
                out.append(FreeText(f"career.work_history[{i}].went_well",
                                    f"Gik godt som {job.title}", job.went_well))
        if p.disclosure.share == "accommodations":
            for i, x in enumerate(c.supports):
                out.append(FreeText(f"career.supports[{i}]", "Det hjælper", x))
    return out


def jobdev_sheet(p: CitizenProfile, *, include: Iterable[str] = (),
                 consultant: str | None = None, today: date | None = None) -> JobDevSheet:
    """The jobudviklingsark for ``p`` (Danish). ``include``: keys of the free texts the
    consultant confirmed (:func:`sheet_free_texts`); the others come back in ``pending``.

    Raises ConsentError unless the citizen said yes to employer contact."""
    d = p.disclosure
    if d.consent != "yes":
        raise ConsentError(code="sheet.consent_no" if d.consent == "no" else "sheet.not_asked",
                           params={"id": p.id})
    from ipsmatch.needs import NEEDS
    from ipsmatch.profile import CERTIFICATES, LANGUAGES

    wanted = set(include)
    texts = sheet_free_texts(p)
    chosen = [t for t in texts if t.key in wanted]
    sheet = JobDevSheet(title="Jobudviklingsark", made=today,
                        pending=[t for t in texts if t.key not in wanted],
                        included=[t.key for t in chosen])
    by_label: dict[str, list[str]] = {}
    for t in chosen:
        by_label.setdefault(t.label, []).append(t.text)

    good = [*by_label.get("Styrke", []), *by_label.get("Interesse", [])]
    if good:
        sheet.sections.append(("Det er kandidaten god til og interesseret i", good))
    wants = [*by_label.get("Ønsker af arbejdet", []), *by_label.get("Ønske", [])]
    if wants:
        sheet.sections.append(("Det søger kandidaten", wants))
    past = by_label.get("Erfaring", []) + [
        f"{t.label.removeprefix('Gik godt som ')}: {t.text}" for t in chosen
        if t.label.startswith("Gik godt som ")]
    if past:
        sheet.sections.append(("Erfaring", past))
    hours = _hours_lines(p)
    if hours:
        sheet.sections.append(("Timer", hours))
    skills = [_cap(CERTIFICATES[c][0]) for c in p.certificates]
    langs = [LANGUAGES[lang][0] for lang in p.languages]
    if langs:
        skills.append("Sprog: " + ", ".join(langs))
    if skills:
        sheet.sections.append(("Kørekort, beviser og sprog", skills))
    if d.share == "accommodations":
        acc = [NEEDS[code].label_da for code in d.accommodations]
        acc += by_label.get("Det hjælper", [])
        if acc:
            sheet.sections.append(("Det har kandidaten valgt at fortælle om hensyn", acc))
    if d.share in ("ips", "accommodations"):
        who = f" Kontakt: {consultant}." if consultant else ""
        sheet.sections.append(("Samarbejde", [
            "Kandidaten får støtte af en IPS-jobkonsulent, også efter ansættelsen." + who]))
    return sheet


def _hours_lines(p: CitizenProfile) -> list[str]:
    c = p.career
    if c is not None and c.hours_now is not None and c.hours_goal is not None:
        return [f"Kan arbejde {fmt_num(c.hours_now)} timer om ugen nu; målet er "
                f"{fmt_num(c.hours_goal)} timer"]
    lo, hi = p.hours_min, p.hours_max
    if lo is not None and hi is not None:
        return [f"{fmt_num(lo)}–{fmt_num(hi)} timer om ugen"]
    if hi is not None:
        return [f"Op til {fmt_num(hi)} timer om ugen"]
    return []


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]
