"""The hooks the matcher calls so job development shows in suggestions (pure functions).

- :func:`with_contact_facts`: what consultants learned at contacts becomes vacancy facts
  (``source="contact"``), so "open to flexible start" satisfies ``flexible_start`` for that
  employer's ads and the reason quotes the contact.
- :func:`employer_bonus`: the job-development bonus and its reasons for an employer.
- :func:`attribute_true`: an attribute stated true, whether stored as a plain boolean (an
  employer import) or as a contact-derived ``{"value": ..., "date": ..., "consultant": ...}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from ipsmatch.domain import Employer, Fact, Reason, Vacancy
from ipsmatch.jobdev.attributes import (
    DEFAULT_EXPIRY_DAYS,
    Attribute,
    attributes_from_json,
    contact_facts,
    job_development_bonus,
    merge_facts,
)


def attribute_true(attributes: Mapping[str, Any], key: str) -> bool:
    """True when ``key`` is stated true: ``True`` or ``{"value": True, ...}``."""
    v = attributes.get(key)
    if isinstance(v, Mapping):
        return v.get("value") is True
    return v is True


def employer_contact_facts(employer: Employer | None) -> list[Fact]:
    """The facts an employer's contact-derived attributes give its ads (may be empty)."""
    if employer is None or not employer.attributes:
        return []
    return contact_facts(attributes_from_json(employer.attributes))


def with_contact_facts(vacancies: Iterable[Vacancy]) -> list[Vacancy]:
    """The vacancies, each with its employer's contact facts merged into ``facts`` (a contact
    fact replaces an ad fact with the same key). Changed ones are copies; the input objects
    are not mutated."""
    cache: dict[int, list[Fact]] = {}
    out = []
    for v in vacancies:
        emp = v.employer
        if emp is None or not emp.attributes:
            out.append(v)
            continue
        facts = cache.get(id(emp))
        if facts is None:
            facts = cache[id(emp)] = employer_contact_facts(emp)
        out.append(replace(v, facts=merge_facts(v.facts, facts)) if facts else v)
    return out


def current_attributes(attributes: Mapping[str, Any], *, today: date | None = None
                       ) -> dict[str, Attribute]:
    """The contact-derived attributes still in force ``today`` (``no_openings_now`` expires
    after 90 days; the stored snapshot was computed on the day of the last contact)."""
    attrs = attributes_from_json(attributes or {})
    if today is None:
        return attrs
    return {k: a for k, a in attrs.items()
            if k not in DEFAULT_EXPIRY_DAYS or (today - a.date).days <= DEFAULT_EXPIRY_DAYS[k]}


def employer_bonus(employer: Employer, *, today: date | None = None
                   ) -> tuple[float, list[Reason]]:
    """Job-development bonus from the contact-derived attributes in force ``today``, with a
    reason per item (who learned it, when). Plain-boolean attributes are left to the
    ranking's own table."""
    return job_development_bonus(current_attributes(employer.attributes, today=today))
