"""The accommodation vocabulary ("skånehensyn") and how ad facts meet or break each need.

A need is *violated* by a stated fact (the ad says "nattevagter" → ``night=True`` breaks
``no_night``), *satisfied* by a stated fact (``night=False``, e.g. "kun dagarbejde"), and
otherwise **unknown**. A violation the ad lets the employee choose away ("You can work either
day or evening": ``shift_choice=True``) is a **choice**: kept, with "aftal vagterne".
Unknown never counts as a match: it is shown as "ikke oplyst" so the consultant can ask the
employer. The sources of one fact are weighed by :func:`weigh`:
sources that disagree make it "modstridende – spørg arbejdsgiveren", never a pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ipsmatch.domain import SCHEDULE_KEYS, Fact, Vacancy
from ipsmatch.errors import ProfileError

KeyValue = tuple[str, bool]
NeedStatus = Literal["violated", "satisfied", "conflict", "choice", "unknown"]


@dataclass(frozen=True)
class NeedDef:
    """One accommodation: labels, and which fact states violate or satisfy it."""

    code: str
    label_da: str
    label_en: str
    violated_by: tuple[KeyValue, ...]
    satisfied_by: tuple[KeyValue, ...]
    #: sentence when satisfied, e.g. "Dagarbejde – ingen nattevagter"
    met_da: str
    met_en: str
    #: sentence when violated, e.g. "Natarbejde nævnes"
    broken_da: str
    broken_en: str
    #: what to ask the employer when unknown, e.g. "Natarbejde"
    topic_da: str
    topic_en: str
    #: fact states that let the employee choose a violation away (the ad's shifts are
    #: chosen: "You can work either day or evening"); the need is then "choice", not broken
    chosen_by: tuple[KeyValue, ...] = ()


NEEDS: dict[str, NeedDef] = {n.code: n for n in (
    NeedDef("no_night", "Ingen natarbejde", "No night work",
            (("night", True),), (("night", False),),
            "Ingen nattevagter", "No night shifts",
            "Natarbejde nævnes", "Night work is mentioned",
            "Natarbejde", "Night work", (("shift_choice", True),)),
    NeedDef("no_evening", "Ingen aftenarbejde", "No evening work",
            (("evening", True),), (("evening", False),),
            "Ingen aftenvagter", "No evening shifts",
            "Aftenarbejde nævnes", "Evening work is mentioned",
            "Aftenarbejde", "Evening work", (("shift_choice", True),)),
    NeedDef("no_weekend", "Ingen weekendarbejde", "No weekend work",
            (("weekend", True),), (("weekend", False),),
            "Fri i weekenden", "Weekends off",
            "Weekendarbejde nævnes", "Weekend work is mentioned",
            "Weekendarbejde", "Weekend work"),
    NeedDef("no_shifts", "Intet skifteholdsarbejde", "No shift work",
            (("shifts", True),), (("shifts", False),),
            "Faste arbejdstider – ikke skiftende vagter", "Fixed hours – no rotating shifts",
            "Skifteholdsarbejde nævnes", "Shift work is mentioned",
            "Skifteholdsarbejde", "Shift work"),
    NeedDef("flexible_start", "Fleksibel mødetid", "Flexible start time",
            (("flexible_start", False),), (("flexible_start", True),),
            "Fleksibel mødetid", "Flexible start time",
            "Fast mødetid uden fleksibilitet", "Fixed start time, no flexibility",
            "Fleksibel mødetid", "Flexible start time"),
    NeedDef("extra_breaks", "Ekstra pauser", "Extra breaks",
            (("extra_breaks", False),), (("extra_breaks", True),),
            "Ekstra pauser efter behov", "Extra breaks as needed",
            "Ingen mulighed for ekstra pauser", "No room for extra breaks",
            "Ekstra pauser", "Extra breaks"),
    NeedDef("quiet_workplace", "Roligt arbejdsmiljø", "Quiet workplace",
            (("quiet_workplace", False),), (("quiet_workplace", True),),
            "Roligt arbejdsmiljø", "Quiet workplace",
            "Travle eller støjende omgivelser", "Busy or noisy surroundings",
            "Roligt arbejdsmiljø", "Quiet workplace"),
    NeedDef("low_tempo", "Roligt tempo", "Low pace",
            (("high_tempo", True), ("low_tempo", False)),
            (("low_tempo", True), ("high_tempo", False)),
            "Roligt tempo", "Low pace",
            "Højt tempo nævnes", "High pace is mentioned",
            "Roligt tempo", "Low pace"),
    NeedDef("no_heavy_lifting", "Ingen tunge løft", "No heavy lifting",
            (("heavy_lifting", True),), (("heavy_lifting", False),),
            "Ingen tunge løft", "No heavy lifting",
            "Tunge løft nævnes", "Heavy lifting is mentioned",
            "Tunge løft", "Heavy lifting"),
    NeedDef("no_standing", "Ikke stående arbejde hele dagen", "Not standing all day",
            (("standing", True),), (("standing", False),),
            "Ikke stående arbejde", "Not standing work",
            "Stående arbejde nævnes", "Standing work is mentioned",
            "Stående arbejde", "Standing work"),
    NeedDef("no_customer_contact", "Ingen kundekontakt", "No customer contact",
            (("customer_contact", True),), (("customer_contact", False),),
            "Ingen kundekontakt", "No customer contact",
            "Kundekontakt nævnes", "Customer contact is mentioned",
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
        raise ProfileError(code="needs.unknown", field="needs",
                           params={"code": code, "choices": ", ".join(NEEDS)}) from None


Conflict = Literal["conflict"]
#: What the sources together say about one fact key: True / False / "conflict" / None.
FactValue = bool | Conflict | None


@dataclass(frozen=True)
class FactState:
    """What an ad's sources (field, text, team contacts) together say about one key, and the
    facts that says it rests on (for a conflict: both sides)."""

    key: str
    value: FactValue
    facts: tuple[Fact, ...] = ()

    @property
    def fact(self) -> Fact | None:
        return self.facts[0] if self.facts else None

    @property
    def languages(self) -> str | None:
        """For ``language_required``: the accepted languages ('da', 'da|en', 'da+en')."""
        for f in self.facts:
            if f.value and f.detail:
                return f.detail
        return None


def weigh(facts: Iterable[Fact], key: str) -> FactState:
    """The rule for one key (docs/profile.md, "Facts and their sources"):

    - a statement of presence (field, text or contact) and a statement of absence disagree:
      ``"conflict"`` (modstridende – spørg arbejdsgiveren), never a pass;
    - otherwise a statement of presence wins over an *implied* absence (working times that
      leave the evening out, "mandag til fredag", "kun dagarbejde");
    - a hint without a statement ("daghold og nathold": who works which?) is ``"conflict"``
      too: ask;
    - an absence stated or implied, with nothing against it: False;
    - nothing: None (unknown; an unticked Jobnet box is nothing).
    """
    t = f_ = a = w = None
    for x in facts:
        if x.key != key:
            continue
        if x.value and not x.implied:
            t = t or x
        elif not x.value and not x.implied:
            f_ = f_ or x
        elif x.value:
            a = a or x
        else:
            w = w or x
    if t and f_:
        return FactState(key, "conflict", (t, f_))
    if t:
        return FactState(key, True, (t,))
    if f_ and a:
        return FactState(key, "conflict", (a, f_))
    if f_:
        return FactState(key, False, (f_,))
    if a:
        return FactState(key, "conflict", (a, w) if w else (a,))
    if w:
        return FactState(key, False, (w,))
    return FactState(key, None)


def fact_value(vacancy: Vacancy, key: str) -> FactState:
    """What ``vacancy`` states about ``key``, all its sources weighed (:func:`weigh`).

    The bare schedule dict (ads built in code, old stores) counts as a statement when no fact
    about the key exists."""
    st = weigh(vacancy.facts, key)
    if st.value is None and key in SCHEDULE_KEYS \
            and not any(f.key == key for f in vacancy.facts):
        v = vacancy.schedule.get(key)
        if v is not None:
            return FactState(key, bool(v))
    return st


def fact_state(vacancy: Vacancy, key: str) -> tuple[bool | None, Fact | None]:
    """(value, fact) when the ad's sources agree on ``key``; (None, None) when unknown or
    in conflict."""
    st = fact_value(vacancy, key)
    if st.value == "conflict" or st.value is None:
        return None, None
    return bool(st.value), st.fact


def stated(vacancy: Vacancy, key: str, value: bool) -> Fact | bool | None:
    """The fact stating ``key == value`` when that is what the sources together say (True
    if only the schedule dict says so), else None."""
    st = fact_value(vacancy, key)
    if st.value is value:
        return st.fact if st.fact is not None else True
    return None


def need_state(code: str, vacancy: Vacancy) -> tuple[NeedStatus, tuple[Fact, ...]]:
    """Whether ``vacancy`` violates, satisfies, contradicts itself about, or says nothing
    about the need ``code``, with the facts that rests on.

    A violation wins, unless the ad lets the employee choose it away ("choice", resting on
    the choice and then the violating fact); then a conflict on any key the need reads (never
    a pass); then a satisfying statement."""
    nd = need_def(code)
    states = {k: fact_value(vacancy, k) for k, _ in (*nd.violated_by, *nd.satisfied_by)}
    for key, value in nd.violated_by:
        if states[key].value is value:
            for ck, cv in nd.chosen_by:
                chosen = fact_value(vacancy, ck)
                if chosen.value is cv:
                    return "choice", (*chosen.facts, *states[key].facts)
            return "violated", states[key].facts
    for key, _ in (*nd.violated_by, *nd.satisfied_by):
        if states[key].value == "conflict":
            return "conflict", states[key].facts
    for key, value in nd.satisfied_by:
        if states[key].value is value:
            return "satisfied", states[key].facts
    return "unknown", ()


def need_status(code: str, vacancy: Vacancy) -> tuple[NeedStatus, Fact | None]:
    """:func:`need_state` with the first fact only (None when unknown, or when only a
    structured schedule field said so)."""
    status, facts = need_state(code, vacancy)
    return status, facts[0] if facts else None
