"""The accommodation vocabulary ("skånehensyn") and how ad facts meet or break each need.

A need is *violated* by a stated fact (the ad says "nattevagter" → ``night=True`` breaks
``no_night``), *satisfied* by a stated fact (``night=False``, e.g. "kun dagarbejde"), and
otherwise **unknown**. Unknown never counts as a match: it is shown as "ikke oplyst" so the
consultant can ask the employer. If an ad states both (contradictory text), violation wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ipsmatch.domain import SCHEDULE_KEYS, Fact, Vacancy
from ipsmatch.errors import ProfileError

FactState = tuple[str, bool]
NeedStatus = Literal["violated", "satisfied", "unknown"]


@dataclass(frozen=True)
class NeedDef:
    """One accommodation: labels, and which fact states violate or satisfy it."""

    code: str
    label_da: str
    label_en: str
    violated_by: tuple[FactState, ...]
    satisfied_by: tuple[FactState, ...]
    #: sentence when satisfied, e.g. "Dagarbejde – ingen nattevagter"
    met_da: str
    met_en: str
    #: sentence when violated, e.g. "Natarbejde nævnes i annoncen"
    broken_da: str
    broken_en: str
    #: what to ask the employer when unknown, e.g. "Natarbejde"
    topic_da: str
    topic_en: str


NEEDS: dict[str, NeedDef] = {n.code: n for n in (
    NeedDef("no_night", "Ingen natarbejde", "No night work",
            (("night", True),), (("night", False),),
            "Dagarbejde – ingen nattevagter", "Day work – no night shifts",
            "Natarbejde nævnes i annoncen", "The ad mentions night work",
            "Natarbejde", "Night work"),
    NeedDef("no_evening", "Ingen aftenarbejde", "No evening work",
            (("evening", True),), (("evening", False),),
            "Ingen aftenvagter", "No evening shifts",
            "Aftenarbejde nævnes i annoncen", "The ad mentions evening work",
            "Aftenarbejde", "Evening work"),
    NeedDef("no_weekend", "Ingen weekendarbejde", "No weekend work",
            (("weekend", True),), (("weekend", False),),
            "Fri i weekenden", "Weekends off",
            "Weekendarbejde nævnes i annoncen", "The ad mentions weekend work",
            "Weekendarbejde", "Weekend work"),
    NeedDef("no_shifts", "Intet skifteholdsarbejde", "No shift work",
            (("shifts", True),), (("shifts", False),),
            "Faste arbejdstider – ikke skiftehold", "Fixed hours – no shift work",
            "Skifteholdsarbejde nævnes i annoncen", "The ad mentions shift work",
            "Skifteholdsarbejde", "Shift work"),
    NeedDef("flexible_start", "Fleksibel mødetid", "Flexible start time",
            (("flexible_start", False),), (("flexible_start", True),),
            "Fleksibel mødetid", "Flexible start time",
            "Fast mødetid uden fleksibilitet", "Fixed start time, no flexibility",
            "Fleksibel mødetid", "Flexible start time"),
    NeedDef("extra_breaks", "Ekstra pauser", "Extra breaks",
            (("extra_breaks", False),), (("extra_breaks", True),),
            "Mulighed for pauser efter behov", "Breaks as needed",
            "Ingen mulighed for ekstra pauser", "No room for extra breaks",
            "Ekstra pauser", "Extra breaks"),
    NeedDef("quiet_workplace", "Roligt arbejdsmiljø", "Quiet workplace",
            (("quiet_workplace", False),), (("quiet_workplace", True),),
            "Rolige omgivelser", "Quiet surroundings",
            "Travle eller støjende omgivelser", "Busy or noisy surroundings",
            "Roligt arbejdsmiljø", "Quiet workplace"),
    NeedDef("low_tempo", "Roligt tempo", "Low pace",
            (("high_tempo", True), ("low_tempo", False)),
            (("low_tempo", True), ("high_tempo", False)),
            "Roligt arbejdstempo", "Calm working pace",
            "Højt tempo nævnes i annoncen", "The ad mentions a high pace",
            "Arbejdstempo", "Working pace"),
    NeedDef("no_heavy_lifting", "Ingen tunge løft", "No heavy lifting",
            (("heavy_lifting", True),), (("heavy_lifting", False),),
            "Ingen tunge løft", "No heavy lifting",
            "Tunge løft nævnes i annoncen", "The ad mentions heavy lifting",
            "Tunge løft", "Heavy lifting"),
    NeedDef("no_standing", "Ikke stående arbejde hele dagen", "Not standing all day",
            (("standing", True),), (("standing", False),),
            "Ikke stående arbejde", "Not standing work",
            "Stående arbejde nævnes i annoncen", "The ad mentions standing work",
            "Stående arbejde", "Standing work"),
    NeedDef("no_customer_contact", "Ingen kundekontakt", "No customer contact",
            (("customer_contact", True),), (("customer_contact", False),),
            "Ingen kundekontakt", "No customer contact",
            "Kundekontakt nævnes i annoncen", "The ad mentions customer contact",
            "Kundekontakt", "Customer contact"),
    NeedDef("fixed_tasks", "Faste, genkendelige opgaver", "Fixed, familiar tasks",
            (("fixed_tasks", False),), (("fixed_tasks", True),),
            "Faste opgaver og rutiner", "Fixed tasks and routines",
            "Skiftende opgaver uden faste rutiner", "Changing tasks without routines",
            "Faste opgaver", "Fixed tasks"),
    NeedDef("workplace_mentor", "Mentor eller fast kontaktperson", "Mentor or contact person",
            (("mentor", False),), (("mentor", True),),
            "Mentor eller fast kontaktperson på arbejdspladsen",
            "A mentor or contact person at work",
            "Ingen mentor eller fast kontaktperson", "No mentor or contact person",
            "Mentor/kontaktperson", "Mentor/contact person"),
)}


def need_def(code: str) -> NeedDef:
    """The definition of a need code; ProfileError (listing the codes) if unknown."""
    try:
        return NEEDS[code]
    except KeyError:
        raise ProfileError(f"unknown need {code!r}", field="needs",
                           hint=f"use one of: {', '.join(NEEDS)}") from None


def fact_state(vacancy: Vacancy, key: str) -> tuple[bool | None, Fact | None]:
    """What the ad states about ``key``: (value, fact) — value None when not stated.

    Facts (with their phrase) win over the bare schedule dict; the schedule dict is read for
    SCHEDULE_KEYS when no fact says anything.
    """
    f = vacancy.fact(key)
    if f is not None:
        return f.value, f
    if key in SCHEDULE_KEYS:
        v = vacancy.schedule.get(key)
        if v is not None:
            return bool(v), None
    return None, None


def stated(vacancy: Vacancy, key: str, value: bool) -> Fact | bool | None:
    """The fact stating ``key == value`` (or True if only the schedule dict says so), else
    None. Any such fact counts, even when another fact contradicts it."""
    for f in vacancy.facts:
        if f.key == key and f.value is value:
            return f
    if key in SCHEDULE_KEYS and not any(f.key == key for f in vacancy.facts):
        v = vacancy.schedule.get(key)
        if v is not None and bool(v) is value:
            return True
    return None


def need_status(code: str, vacancy: Vacancy) -> tuple[NeedStatus, Fact | None]:
    """Whether ``vacancy`` violates, satisfies or says nothing about the need ``code``.

    Returns the fact it rests on (None when unknown, or when only a structured schedule field
    said so).
    """
    nd = need_def(code)
    for key, value in nd.violated_by:
        hit = stated(vacancy, key, value)
        if hit is not None:
            return "violated", hit if isinstance(hit, Fact) else None
    for key, value in nd.satisfied_by:
        hit = stated(vacancy, key, value)
        if hit is not None:
            return "satisfied", hit if isinstance(hit, Fact) else None
    return "unknown", None
