"""Finishing a record: :func:`finish` validates a :class:`~ipsmatch.feeds.types.Draft` and
builds the enriched :class:`~ipsmatch.domain.Vacancy` (coordinates, employer, facts,
schedule, hours, contact, work conditions, hashes)."""

from __future__ import annotations

from ipsmatch import limits
from ipsmatch.domain import SCHEDULE_KEYS, Employer, Fact, Vacancy
from ipsmatch.feeds.checks import FIELD_LIMITS, fit_lengths, plausible_coords
from ipsmatch.feeds.hashes import content_hash
from ipsmatch.feeds.text_rules import conditions_from_text, contact_from_text
from ipsmatch.feeds.types import Draft
from ipsmatch.geo import postcode_info
from ipsmatch.needs import weigh
from ipsmatch.privacy import cpr_field
from ipsmatch.text.facts import extract_facts
from ipsmatch.text.hours import extract_hours


def finish(d: Draft, source: str) -> Vacancy | None:
    """Validate a draft and build the enriched Vacancy; None if the draft has errors."""
    v = d.values
    if any(e.field is None for e in d.errors):
        return None  # the record as a whole is unusable; field checks would only add noise
    if len(source) > limits.ID:
        d.error("source", f"source name of {len(source):,} characters, more than the "
                f"{limits.ID} allowed", hint="use a short name such as jobnet or kommune")
    ext_id = v.get("external_id")
    title = v.get("title")
    # Readers check id and title themselves; this catches records they could not reach.
    if ext_id is None and "external_id" not in v and not d.errors:
        d.error("id", "missing id", hint="every record needs a unique id")
    if title is None and "title" not in v and not d.errors:
        d.error("title", "missing or empty", hint="every record needs a title")
    if d.errors:
        return None
    fit_lengths(d, v, FIELD_LIMITS)
    if (bad := cpr_field(v)) is not None:
        # one ad with a CPR number is rejected, not the refresh (the store refuses it anyway)
        d.error(bad, "looks like a CPR number (ddmmyy-xxxx); the ad is not stored",
                hint="ipsmatch never stores CPR numbers")
        return None
    title = v.get("title")
    text: str = v.get("text") or ""
    postcode = v.get("postcode")
    info = postcode_info(postcode) if postcode else None
    lat, lon = plausible_coords(d, v.get("lat"), v.get("lon"), postcode)
    if (lat is None or lon is None) and info:
        lat, lon = info.lat, info.lon
    city = v.get("city") or (info.name if info else None)

    employer = None
    emp_name, emp_cvr = v.get("employer_name"), v.get("employer_cvr")
    if emp_name or emp_cvr:
        e_pc = v.get("employer_postcode") or postcode
        e_info = postcode_info(e_pc) if e_pc else None
        same_place = e_pc == postcode
        employer = Employer(
            name=emp_name or f"CVR {emp_cvr}", cvr=emp_cvr,
            address=v.get("employer_address") or (v.get("address") if same_place else None),
            postcode=e_pc, city=v.get("employer_city") or (city if same_place else
                                                           e_info.name if e_info else None),
            lat=lat if same_place else (e_info.lat if e_info else None),
            lon=lon if same_place else (e_info.lon if e_info else None))

    # Facts: every source is kept (the feed's fields, then the text); ipsmatch.needs.weigh
    # decides what they say together.
    facts = list(d.field_facts)
    facts += extract_facts(title or "", text)
    schedule: dict[str, bool | None] = {}
    for key in SCHEDULE_KEYS:
        st = weigh(facts, key).value
        if isinstance(st, bool):
            schedule[key] = st

    hours_min, hours_max = v.get("hours_min"), v.get("hours_max")
    if hours_min is None and hours_max is None:
        hours_min, hours_max, hours_fact = _hours_from(v.get("work_hours"), f"{title}\n{text}")
        if hours_fact and not any(f.key == hours_fact.key for f in facts):
            facts.append(hours_fact)

    contact = {**contact_from_text(text), **(v.get("contact") or {})} or None

    conditions = list(v.get("work_conditions") or [])
    if not conditions:
        conditions = conditions_from_text(title or "", text)

    vac = Vacancy(
        source=source, external_id=str(ext_id), title=str(title), text=text, url=v.get("url"),
        employer=employer, address=v.get("address"), postcode=postcode, city=city,
        lat=lat, lon=lon, hours_min=hours_min, hours_max=hours_max, schedule=schedule,
        employment_type=v.get("employment_type"), work_conditions=conditions,
        posted=v.get("posted"), deadline=v.get("deadline"),
        occupation_hint=v.get("occupation_hint"), occupation_uri=v.get("occupation_uri"),
        facts=facts, contact=contact)
    vac.content_hash = content_hash(vac)
    vac.raw_hash = d.raw_hash
    return vac


def _hours_from(label: str | None, text: str
                ) -> tuple[float | None, float | None, Fact | None]:
    """Weekly hours when the feed gives no numbers. Order: numbers in the feed's label
    ("8-12 timer om ugen"), numbers in the ad text, the label's word ("Fuldtid" → 37), a word
    in the text. A part-time word without numbers leaves hours unknown and yields a
    ``part_time_possible`` fact instead."""
    found = [(extract_hours(label or ""), "field"), (extract_hours(text), "text")]
    for (lo, hi, phrase), _ in found:
        if phrase and any(c.isdigit() for c in phrase):
            return lo, hi, None
    for (lo, hi, phrase), src in found:
        if phrase:
            if lo is not None or hi is not None:
                return lo, hi, None
            return None, None, Fact("part_time_possible", True, phrase,
                                    "field" if src == "field" else "text")
    return None, None, None
