"""Plain domain objects shared by every layer (feeds → store → matcher → output).

No I/O and no heavy imports here. A value that a source does not state is ``None``
("unknown"), never a guess; unknown never counts as a match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from ipsmatch.ips.career import CareerProfile, Disclosure

# --- vocabularies ---------------------------------------------------------------------------

#: Schedule flags a vacancy may state. ``True`` = stated, ``False`` = stated absent
#: (e.g. "kun dagarbejde"), ``None`` = not stated.
SCHEDULE_KEYS: tuple[str, ...] = ("day", "evening", "night", "weekend", "shifts")

#: Jobnet work conditions ("Arbejdsvilkår") and their canonical codes.
WORK_CONDITIONS: dict[str, str] = {
    "ordinary": "Almindelige vilkår",
    "fleksjob": "Fleksjob",
    "skaanejob": "Skånejob",
    "senior": "Egnet til efterlønnere og seniorer",
    "loentilskud": "Job med løntilskud",
    "rotation": "Rotationsjob",
    "virksomhedspraktik": "Virksomhedspraktik",
}

#: Fact keys extracted from ads (structured fields or text). Each fact keeps its phrase.
FACT_KEYS: tuple[str, ...] = (
    *SCHEDULE_KEYS,
    "heavy_lifting",      # tunge løft
    "standing",           # stående arbejde
    "customer_contact",   # kundekontakt
    "high_tempo",         # højt tempo
    "low_tempo",          # roligt tempo
    "flexible_start",     # fleksibel mødetid
    "part_time_possible", # mulighed for deltid / nedsat tid
    "quiet_workplace",    # rolige omgivelser
    "fixed_tasks",        # faste opgaver / rutine
    "mentor",             # mentor / fast kontaktperson
    "extra_breaks",       # pauser efter behov
    # the employee chooses which of the ad's shifts to work ("You can work either day or
    # evening"): a stated evening or night shift is then a question, not a broken need
    "shift_choice",
    "driving_licence",    # kørekort påkrævet
    # requirements the citizen may not meet (checked against CitizenProfile.certificates
    # and .languages)
    "own_car",            # egen bil påkrævet
    "truck_licence",      # lastbilkørekort (C/CE) påkrævet
    "forklift_certificate",  # truckcertifikat / truckkort påkrævet
    "criminal_record",    # straffeattest / børneattest indhentes
    "language_required",  # sprogkrav; Fact.detail: "da", "da|en" (either), "da+en" (both)
)

#: Requirement facts → the CitizenProfile.certificates codes that meet them (any one).
REQUIREMENT_CERTIFICATES: dict[str, tuple[str, ...]] = {
    "driving_licence": ("driving_licence_b", "truck_licence"),
    "own_car": ("own_car",),
    "truck_licence": ("truck_licence",),
    "forklift_certificate": ("forklift_certificate",),
    "criminal_record": ("clean_criminal_record", "clean_child_record"),
}

FactSource = Literal["field", "text", "contact", "feedback"]


@dataclass(frozen=True)
class Fact:
    """One thing an ad (or a contact) states. ``value`` is True/False (stated present/absent).

    ``phrase`` is the exact text it came from, so a reason can quote it; ``source`` where it
    came from: the feed's structured ``field``, the ad ``text``, or what the team learned at a
    ``contact`` (the phrase then names the consultant and the date).

    ``implied`` marks a fact the ad suggests without saying it: working times that leave out
    the evening ("07.00-15.00" → no evening, implied) or "daghold og nathold" (rotation,
    implied: ask). An implied absence never outweighs a statement
    (:func:`ipsmatch.needs.fact_value`). ``detail`` qualifies a requirement, e.g. the
    accepted languages of ``language_required`` ("da|en").
    """

    key: str
    value: bool
    phrase: str
    source: FactSource = "text"
    implied: bool = False
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"key": self.key, "value": self.value, "phrase": self.phrase,
                             "source": self.source}
        if self.implied:
            d["implied"] = True
        if self.detail is not None:
            d["detail"] = self.detail
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fact:
        detail = d.get("detail")
        return cls(key=d["key"], value=bool(d["value"]), phrase=d.get("phrase", ""),
                   source=d.get("source", "text"), implied=bool(d.get("implied", False)),
                   detail=str(detail) if detail is not None else None)


@dataclass
class Employer:
    """An employer. Identity is the CVR number when known, otherwise the normalised name."""

    name: str
    cvr: str | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    industry: str | None = None
    notes: str | None = None
    #: What the team knows of the workplace, e.g. {"open_to_part_time": True}.
    attributes: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


@dataclass
class OccupationMatch:
    """A concept (ESCO occupation or ISCO group) matched to a text, with a score in [0, 1]."""

    uri: str
    label: str
    score: float
    kind: Literal["occupation", "isco"] = "occupation"


@dataclass
class Vacancy:
    """A job ad, as read from a feed and enriched at ingest."""

    source: str
    external_id: str
    title: str
    text: str = ""
    url: str | None = None
    employer: Employer | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    hours_min: float | None = None
    hours_max: float | None = None
    #: SCHEDULE_KEYS → True/False/None
    schedule: dict[str, bool | None] = field(default_factory=dict)
    employment_type: str | None = None
    #: codes from WORK_CONDITIONS; empty = not stated
    work_conditions: list[str] = field(default_factory=list)
    posted: date | None = None
    deadline: date | None = None
    #: the feed's own occupation text (Jobnet Occupation, schema.org occupationalCategory)
    occupation_hint: str | None = None
    occupation_uri: str | None = None
    occupation_label: str | None = None
    occupation_confidence: float | None = None
    facts: list[Fact] = field(default_factory=list)
    #: contact details the ad gives: {"person", "phone", "email", "website", "apply_url"}
    #: (only the keys it states); None when it gives none
    contact: dict[str, str] | None = None
    content_hash: str | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    expired_at: datetime | None = None
    id: int | None = None
    #: sha256 of the raw feed record(s) + reader version (ipsmatch.feeds): lets a refresh skip
    #: re-reading a record whose raw input is unchanged. Written by the refresh, not loaded.
    raw_hash: str | None = None

    def fact(self, key: str) -> Fact | None:
        """The first fact with ``key``, or None when the ad does not state it."""
        for f in self.facts:
            if f.key == key:
                return f
        return None


# --- citizen side ---------------------------------------------------------------------------

TravelMode = Literal["walk", "bike", "public", "car"]


@dataclass
class Need:
    """An accommodation ("skånehensyn") from NEEDS vocabulary; ``must`` by default."""

    code: str
    must: bool = True


@dataclass
class CitizenProfile:
    """What matching needs about a citizen, and nothing more (no CPR, no diagnosis)."""

    id: str
    home_postcode: str
    travel_mode: TravelMode = "public"
    max_minutes: int = 45
    hours_min: float | None = None
    hours_max: float | None = None
    hours_must: bool = False
    wishes: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["da"])
    #: what the citizen holds (codes from ipsmatch.profile.CERTIFICATES): driving licence,
    #: own car, truck licence ... A requirement an ad states is checked against these.
    certificates: list[str] = field(default_factory=list)
    #: optional home coordinates (WGS84); without them the home postcode's town point is used
    home_lat: float | None = None
    home_lon: float | None = None
    fleksjob_approved: bool = False
    #: opt in to subsidised/unpaid forms (løntilskud, virksomhedspraktik)
    accept_subsidised: bool = False
    consultant: str | None = None
    start_date: date | None = None
    #: the karriereprofil (profile version 3); None = not recorded yet
    career: CareerProfile | None = None
    #: what may be shared with employers and whether one may be contacted (version 3)
    disclosure: Disclosure = field(default_factory=Disclosure)


# --- results --------------------------------------------------------------------------------

ReasonKind = Literal["wish", "hours", "commute", "need", "freshness", "employer", "contact",
                     "condition", "unknown", "avoid", "feedback", "education", "career",
                     "requirement"]


@dataclass
class Reason:
    """One piece of an explanation: data, rendered to Danish/English by the output layer.

    ``code`` is stable (e.g. ``"need.no_night.met"``); ``params`` fill the sentence;
    ``quote`` is the phrase from the ad it rests on, if any.
    """

    kind: ReasonKind
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    quote: str | None = None
    text_da: str = ""
    text_en: str = ""

    def text(self, lang: str = "da") -> str:
        return self.text_en if lang == "en" and self.text_en else self.text_da


@dataclass
class Suggestion:
    """A ranked vacancy for a citizen, with per-signal scores and the constraints met/missed."""

    vacancy: Vacancy
    score: float
    signals: dict[str, float] = field(default_factory=dict)
    distance_km: float | None = None
    commute_minutes: float | None = None
    reasons: list[Reason] = field(default_factory=list)
    concerns: list[Reason] = field(default_factory=list)
    #: the commute estimate's uncertainty band (ipsmatch.commute.band), minutes
    commute_low: float | None = None
    commute_high: float | None = None


@dataclass
class EmployerSuggestion:
    """A ranked employer for job development (with or without open vacancies)."""

    employer: Employer
    score: float
    signals: dict[str, float] = field(default_factory=dict)
    distance_km: float | None = None
    open_vacancies: int = 0
    reasons: list[Reason] = field(default_factory=list)
    #: contact details from the employer's ads (see Vacancy.contact), to call from the list
    contact: dict[str, str] | None = None
    #: warnings: contacted recently (agree before calling again), a temp agency ...
    concerns: list[Reason] = field(default_factory=list)


@dataclass
class Excluded:
    """A vacancy filtered out by a must-have, and why."""

    vacancy: Vacancy
    reasons: list[Reason]


@dataclass
class EducationSuggestion:
    """A ranked education offer for a citizen (``offer`` is an
    :class:`ipsmatch.education.EducationOffer`), with the must-haves met and the concerns."""

    offer: Any
    score: float
    signals: dict[str, float] = field(default_factory=dict)
    distance_km: float | None = None
    commute_minutes: float | None = None
    next_start: date | None = None
    reasons: list[Reason] = field(default_factory=list)
    concerns: list[Reason] = field(default_factory=list)


@dataclass
class SuggestResult:
    """What ``Matcher.suggest`` returns: the profile, ranked vacancies, employers and
    education offers (:mod:`ipsmatch.education`), exclusions."""

    citizen: CitizenProfile
    vacancies: list[Suggestion] = field(default_factory=list)
    employers: list[EmployerSuggestion] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    education: list[EducationSuggestion] = field(default_factory=list)
    #: goals beside the search, e.g. more hours with the current employer
    goals: list[Reason] = field(default_factory=list)
