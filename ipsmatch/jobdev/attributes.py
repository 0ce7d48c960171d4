"""What consultants learned at employer contacts, as employer attributes and vacancy facts.

Pure functions. The latest contact that mentions an attribute wins (a later "not_..." undoes
an earlier yes); ``no_openings_now`` expires after 90 days because hiring needs change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ipsmatch.domain import Employer, Fact, Reason
from ipsmatch.identity import same_employer
from ipsmatch.jobdev.model import Contact, learned_key

#: Attribute → days after which the statement no longer counts. Others do not expire.
DEFAULT_EXPIRY_DAYS: dict[str, int] = {"no_openings_now": 90}

#: Attribute → (vacancy fact key, Danish phrase when stated, phrase when stated absent).
ATTRIBUTE_FACTS: dict[str, tuple[str, str, str]] = {
    "open_to_flexible_start": ("flexible_start", "åben for fleksibel mødetid",
                               "ikke åben for fleksibel mødetid"),
    "quiet_workplace_available": ("quiet_workplace", "rolige omgivelser mulige",
                                  "ingen rolige omgivelser"),
    "mentor_available": ("mentor", "mentor / fast kontaktperson mulig",
                         "ingen mentor / fast kontaktperson"),
    "open_to_part_time": ("part_time_possible", "åben for deltid", "ikke åben for deltid"),
}

#: Job-development score bonus per attribute (added to the employer score, which the ranking
#: keeps in [0, 1]). Hiring through IPS before is the strongest sign the employer will again;
#: part-time openness matters because most IPS citizens start at reduced hours.
JOB_DEVELOPMENT_WEIGHTS: dict[str, float] = {
    "hired_through_ips_before": 0.15,
    "open_to_part_time": 0.10,
    "no_openings_now": -0.10,
}

_REASON_DA: dict[str, str] = {
    "hired_through_ips_before": "Har ansat via IPS før",
    "open_to_part_time": "Åben for deltid",
    "no_openings_now": "Ingen åbninger lige nu",
}
_REASON_EN: dict[str, str] = {
    "hired_through_ips_before": "Has hired through IPS before",
    "open_to_part_time": "Open to part-time",
    "no_openings_now": "No openings right now",
}


@dataclass(frozen=True)
class Attribute:
    """One thing known about an employer, and who learned it when."""

    value: bool
    date: date
    consultant: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "date": self.date.isoformat(), "consultant": self.consultant}


def danish_date(d: date) -> str:
    """``12.11.2026``"""
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def derive_attributes(contacts: Iterable[Contact], *, today: date,
                      expiry_days: Mapping[str, int] | None = None) -> dict[str, Attribute]:
    """Attributes of ONE employer from its contacts (latest mention wins, expired dropped).

    Contacts after ``today`` are ignored. On the same date, the later contact in the input wins.
    """
    expiry = DEFAULT_EXPIRY_DAYS if expiry_days is None else expiry_days
    ordered = sorted((c for c in contacts if c.date <= today), key=lambda c: c.date)
    attrs: dict[str, Attribute] = {}
    for c in ordered:
        for item in c.learned:
            key, value = learned_key(item)
            if key is not None:
                attrs[key] = Attribute(value, c.date, c.consultant)
    return {k: a for k, a in attrs.items()
            if k not in expiry or (today - a.date).days <= expiry[k]}


def attributes_by_employer(contacts: Iterable[Contact], *, today: date,
                           expiry_days: Mapping[str, int] | None = None
                           ) -> dict[str, dict[str, Attribute]]:
    """:func:`derive_attributes` for every employer, keyed by
    :func:`ipsmatch.identity.employer_key`."""
    groups: dict[str, list[Contact]] = {}
    for c in contacts:
        groups.setdefault(c.employer_key, []).append(c)
    return {k: derive_attributes(cs, today=today, expiry_days=expiry_days)
            for k, cs in groups.items()}


def attributes_to_json(attrs: Mapping[str, Attribute]) -> dict[str, Any]:
    """The form stored in ``Employer.attributes``: ``{key: {value, date, consultant}}``."""
    return {k: a.to_dict() for k, a in attrs.items()}


def attributes_from_json(data: Mapping[str, Any]) -> dict[str, Attribute]:
    """Inverse of :func:`attributes_to_json`; plain booleans (no contact) are skipped."""
    out = {}
    for k, v in data.items():
        if isinstance(v, Mapping) and "date" in v:
            out[k] = Attribute(bool(v["value"]), date.fromisoformat(v["date"]),
                               str(v.get("consultant", "")))
    return out


def contact_facts(attrs: Mapping[str, Attribute]) -> list[Fact]:
    """Vacancy facts for needs matching, quoting the contact as their source.

    >>> contact_facts({"open_to_flexible_start": Attribute(True, date(2026, 11, 12), "AB")})
    [Fact(key='flexible_start', value=True, phrase='AB ved kontakt 12.11.2026: åben for fleksibel mødetid', source='contact')]
    """  # noqa: E501
    facts = []
    for attr, (fact_key, yes, no) in ATTRIBUTE_FACTS.items():
        a = attrs.get(attr)
        if a is None:
            continue
        phrase = f"{a.consultant} ved kontakt {danish_date(a.date)}: {yes if a.value else no}"
        facts.append(Fact(fact_key, a.value, phrase, source="contact"))
    return facts


def merge_facts(ad_facts: Iterable[Fact], from_contacts: Iterable[Fact]) -> list[Fact]:
    """The ad's facts and what the team learned at contacts, all kept (contacts first).

    A contact is one more source: when it agrees with the ad or the ad says nothing, it is
    what the reason quotes ("kons-camilla ved kontakt 05.10.2026: ..."); when it disagrees
    with the ad the fact is a conflict to ask about (ipsmatch.needs.weigh), never a pass.
    """
    return [*from_contacts, *ad_facts]


def _ref(employer: Employer | tuple[str | None, str | None] | str) -> tuple[str | None,
                                                                            str | None]:
    if isinstance(employer, Employer):
        return employer.cvr, employer.name
    if isinstance(employer, tuple):
        return employer
    if employer.startswith(("cvr:", "name:")):
        kind, _, value = employer.partition(":")
        return (value, None) if kind == "cvr" else (None, value)
    return (employer, None) if employer.isdigit() and len(employer) == 8 else (None, employer)


def contacts_for(contacts: Iterable[Contact],
                 employer: Employer | tuple[str | None, str | None] | str) -> list[Contact]:
    """The contacts with this employer (CVR when both sides have one, else the name)."""
    cvr, name = _ref(employer)
    return [c for c in contacts if same_employer(c.employer_cvr, c.employer_name, cvr, name)]


def recently_contacted(contacts: Iterable[Contact],
                       employer: Employer | tuple[str | None, str | None] | str, *,
                       days: int = 7, today: date) -> tuple[date, str] | None:
    """(date, consultant) of the latest contact of any kind with the employer within ``days``
    days before ``today`` (inclusive: a contact exactly a week ago counts), else None.

    So two consultants do not call the same manager twice in a week.
    """
    since = today - timedelta(days=days)
    recent = [c for c in contacts_for(contacts, employer) if since <= c.date <= today]
    if not recent:
        return None
    latest = max(recent, key=lambda c: c.date)
    return latest.date, latest.consultant


def recent_contact_reason(hit: tuple[date, str]) -> Reason:
    """The mark a result carries when its employer was contacted recently."""
    d, who = hit
    return Reason(kind="contact", code="contact.recent",
                  params={"date": d.isoformat(), "consultant": who},
                  text_da=f"Kontaktet {danish_date(d)} af {who} – aftal før I ringer igen",
                  text_en=f"Contacted {d.isoformat()} by {who} – coordinate before calling again")


def job_development_bonus(attrs: Mapping[str, Attribute],
                          weights: Mapping[str, float] | None = None
                          ) -> tuple[float, list[Reason]]:
    """Score bonus for job development and the reasons for it.

    Only attributes stated as true count (``not_open_to_part_time`` gives no bonus).
    """
    weights = JOB_DEVELOPMENT_WEIGHTS if weights is None else weights
    bonus = 0.0
    reasons = []
    for key, w in weights.items():
        a = attrs.get(key)
        if a is None or not a.value:
            continue
        bonus += w
        reasons.append(Reason(
            kind="contact", code=f"contact.{key}",
            params={"date": a.date.isoformat(), "consultant": a.consultant, "weight": w},
            text_da=f"{_REASON_DA.get(key, key)} ({a.consultant}, {danish_date(a.date)})",
            text_en=f"{_REASON_EN.get(key, key)} ({a.consultant}, {a.date.isoformat()})"))
    return bonus, reasons


__all__ = [
    "ATTRIBUTE_FACTS", "DEFAULT_EXPIRY_DAYS", "JOB_DEVELOPMENT_WEIGHTS", "Attribute",
    "attributes_by_employer", "attributes_from_json", "attributes_to_json", "contact_facts",
    "contacts_for", "derive_attributes", "job_development_bonus", "merge_facts",
    "recent_contact_reason", "recently_contacted",
]
