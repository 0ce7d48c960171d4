"""Job-development records: employer contacts, job starts and feedback on suggestions.

Plain dataclasses with ``validate(today=...)``. Validation raises
:class:`~ipsmatch.errors.FeedError` naming the field (the CSV readers add file and line),
and :class:`RecordPrivacyError` (a
:class:`~ipsmatch.errors.PrivacyError`) when a free-text field holds a CPR number. The number is
never echoed in the message: error messages end up in logs and terminals.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any, ClassVar

from ipsmatch import limits
from ipsmatch.errors import FeedError, PrivacyError
from ipsmatch.identity import employer_key
from ipsmatch.messages import MESSAGES
from ipsmatch.privacy import find_cpr

# --- vocabularies ---------------------------------------------------------------------------

CONTACT_KINDS: tuple[str, ...] = ("face-to-face", "phone", "email", "other")
CONTACT_PURPOSES: tuple[str, ...] = ("learn_business", "present_candidate", "follow_up")

#: What a consultant can learn about an employer at a contact. Each may be recorded as stated
#: (``"open_to_part_time"``) or stated absent (``"not_open_to_part_time"``), except
#: ``no_openings_now`` which is itself the negative.
LEARNED_KEYS: tuple[str, ...] = (
    "open_to_part_time",
    "open_to_flexible_start",
    "quiet_workplace_available",
    "hired_through_ips_before",
    "mentor_available",
    "no_openings_now",
)
NEGATABLE_KEYS: tuple[str, ...] = tuple(k for k in LEARNED_KEYS if k != "no_openings_now")
NOT_PREFIX = "not_"

FEEDBACK_VERDICTS: tuple[str, ...] = (
    "not_interested", "not_interested_employer", "interested", "applied", "interview", "hired",
)

# Labels consultants type in Danish logs, mapped to the canonical codes.
KIND_ALIASES: dict[str, str] = {
    "face-to-face": "face-to-face", "face to face": "face-to-face", "f2f": "face-to-face",
    "personligt møde": "face-to-face", "personligt mode": "face-to-face", "møde": "face-to-face",
    "besøg": "face-to-face", "virksomhedsbesøg": "face-to-face",
    "phone": "phone", "telefon": "phone", "tlf": "phone", "tlf.": "phone",
    "email": "email", "e-mail": "email", "mail": "email",
    "other": "other", "andet": "other",
}
PURPOSE_ALIASES: dict[str, str] = {
    "learn_business": "learn_business", "lære virksomheden at kende": "learn_business",
    "present_candidate": "present_candidate", "præsentere kandidat": "present_candidate",
    "kandidatpræsentation": "present_candidate",
    "follow_up": "follow_up", "opfølgning": "follow_up",
}

_CVR_RE = re.compile(r"^\d{8}$")


# --- privacy --------------------------------------------------------------------------------

CPR_HINT = MESSAGES["record.cpr"].hint_en


def _find_cpr(text: str | None) -> bool:
    """True when ``text`` holds something shaped like a CPR number.

    The one place jobdev checks; it asks :func:`ipsmatch.privacy.find_cpr`, the detector the
    whole package shares (profiles, contacts, job starts, feedback).
    """
    return text is not None and find_cpr(text) is not None


class RecordPrivacyError(FeedError, PrivacyError):
    """A record field holds personal data (a CPR number). Carries file/line/field like FeedError
    and is a PrivacyError, so the CLI treats it as such."""


def _check_no_cpr(field_name: str, value: str | None) -> None:
    if _find_cpr(value):
        raise RecordPrivacyError(code="record.cpr", field=field_name)


# --- helpers --------------------------------------------------------------------------------

def _check_no_cpr_anywhere(record: Any) -> None:
    """Check every text field (and text items of tuples) first, so no later error message
    echoes a CPR number back to the screen or a log."""
    for f in fields(record):
        value = getattr(record, f.name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, str):
                _check_no_cpr(f.name, item)


def check_free_text(record: Any) -> None:
    """Refuse (RecordPrivacyError) health words in the fields a consultant writes in their own
    words about a case (``record.FREE_TEXT``); see :func:`ipsmatch.privacy.find_health_terms`.

    Not part of ``validate()``: the store calls it unless the caller passes
    ``allow_health=True`` (the CLI's ``--force``), so a deliberate note can be kept.
    """
    from ipsmatch.privacy import find_health_terms

    for name in record.FREE_TEXT:
        found = find_health_terms(getattr(record, name) or "")
        if found:
            words = ", ".join(dict.fromkeys(w.lower() for w in found))
            raise RecordPrivacyError(code="record.health", field=name,
                                     params={"words": words})


def _record_employer(cvr: str | None, name: str | None) -> str:
    """The :func:`~ipsmatch.identity.employer_key` of a record's employer (validated ones
    always have one)."""
    key = employer_key(cvr, name)
    if key is None:
        raise ValueError("an employer needs a CVR number or a name")
    return key


def _check_date_not_future(field_name: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        raise FeedError(code="record.future", field=field_name,
                        params={"value": value.isoformat(), "today": today.isoformat()})


def _check_employer(cvr: str | None, name: str | None) -> None:
    if employer_key(cvr, name) is None:
        raise FeedError(code="record.no_employer", field="employer_cvr")
    if cvr and not _CVR_RE.match(cvr):
        raise FeedError(code="record.cvr_digits", field="employer_cvr")


def _check_lengths(record: Any, field_limits: dict[str, int]) -> None:
    """Each named text at most its column's length (ipsmatch.limits), on every database."""
    for name, limit in field_limits.items():
        value = getattr(record, name)
        if isinstance(value, str) and len(value) > limit:
            raise FeedError(code="record.too_long", field=name,
                            params={"length": len(value), "max": limit})


_CONTACT_LIMITS = {"consultant": limits.CONSULTANT, "employer_name": limits.NAME,
                   "citizen_id": limits.ID, "purpose": limits.NAME, "outcome": limits.NAME,
                   "next_step": limits.NAME, "source_id": limits.EXTERNAL_ID}
_JOB_START_LIMITS = {"citizen_id": limits.ID, "title": limits.NAME,
                     "employer_name": limits.NAME, "end_reason": limits.NAME}
_FEEDBACK_LIMITS = {"citizen_id": limits.ID, "consultant": limits.CONSULTANT,
                    "employer_name": limits.NAME}


def _check_citizen_id(value: str | None, *, required: bool = False) -> None:
    """A citizen id follows the profile id rule (a contact log could otherwise create a
    citizen ``x<svg onload=alert(3)>``)."""
    if value is None and not required:
        return
    from ipsmatch.profile import check_citizen_id

    problem = check_citizen_id(value)
    if problem:
        raise FeedError(code="record.citizen_id", field="citizen_id")


def _check_required(field_name: str, value: str | None) -> None:
    if not value or not value.strip():
        raise FeedError(code="record.required", field=field_name)


def _jsonable(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v)
            for k, v in d.items()}


# --- records --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Contact:
    """One employer contact by a consultant, optionally on behalf of one citizen."""

    date: dt.date
    consultant: str
    employer_cvr: str | None = None
    employer_name: str | None = None
    citizen_id: str | None = None
    kind: str = "face-to-face"
    purpose: str = "learn_business"
    #: codes from LEARNED_KEYS, optionally prefixed ``not_`` (stated absent)
    learned: tuple[str, ...] = ()
    outcome: str | None = None
    next_step: str | None = None
    next_date: dt.date | None = None
    note: str | None = None
    id: int | None = None
    #: the contact's id in the log it was imported from (a ``contact_id`` column): it tells
    #: identical rows apart, and a corrected row with the same id is still the one contact
    source_id: str | None = None

    #: written by the consultant in their own words: checked for health details
    FREE_TEXT: ClassVar[tuple[str, ...]] = ("outcome", "next_step", "note")

    @property
    def employer_key(self) -> str:
        return _record_employer(self.employer_cvr, self.employer_name)

    def validate(self, *, today: dt.date | None = None) -> Contact:
        """Raise FeedError / RecordPrivacyError if the contact cannot be stored; else self."""
        today = today or date.today()
        _check_no_cpr_anywhere(self)
        _check_required("consultant", self.consultant)
        _check_lengths(self, _CONTACT_LIMITS)
        _check_citizen_id(self.citizen_id)
        _check_date_not_future("date", self.date, today)
        _check_employer(self.employer_cvr, self.employer_name)
        if self.kind not in CONTACT_KINDS:
            raise FeedError(f"unknown kind {self.kind!r}", field="kind",
                            hint="use one of: " + ", ".join(CONTACT_KINDS)
                            + " (or personligt møde, telefon, mail, andet)")
        if self.purpose not in CONTACT_PURPOSES:
            raise FeedError(f"unknown purpose {self.purpose!r}", field="purpose",
                            hint="use one of: " + ", ".join(CONTACT_PURPOSES))
        for item in self.learned:
            if learned_key(item)[0] is None:
                raise FeedError(f"unknown item {item!r}", field="learned",
                                hint="use ';'-separated items from: " + ", ".join(LEARNED_KEYS)
                                + "; prefix 'not_' for stated absent")
        if self.next_date is not None and self.next_date < self.date:
            raise FeedError(code="contact.next_before", field="next_date")
        for name in ("citizen_id", "employer_name", "outcome", "next_step", "note"):
            _check_no_cpr(name, getattr(self, name))
        return self

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def learned_key(item: str) -> tuple[str | None, bool]:
    """``"not_open_to_part_time"`` → ``("open_to_part_time", False)``.

    Unknown items give ``(None, False)``.
    """
    if item in LEARNED_KEYS:
        return item, True
    if item.startswith(NOT_PREFIX) and item[len(NOT_PREFIX):] in NEGATABLE_KEYS:
        return item[len(NOT_PREFIX):], False
    return None, False


#: How a job is paid (``JobStart.wage_form``), documented in docs/jobdev.md:
#: ``ordinary`` an ordinary paid job on ordinary terms (the IPS "competitive" job);
#: ``fleksjob`` a flex job (ordinary workplace and wage, reduced hours, a municipal subsidy to
#: the employer): its own category, neither ordinary nor counted against the ordinary share;
#: ``other`` løntilskud, virksomhedspraktik, skånejob and the like.
WAGE_FORMS: tuple[str, ...] = ("ordinary", "fleksjob", "other")


@dataclass(frozen=True)
class JobStart:
    """A citizen started a job. ``competitive``: an ordinary paid job on ordinary terms, as
    opposed to fleksjob, løntilskud, virksomhedspraktik, skånejob. ``wage_form`` (one of
    WAGE_FORMS) says which; when not given it follows ``competitive`` (ordinary / other)."""

    citizen_id: str
    start_date: dt.date
    title: str
    employer_cvr: str | None = None
    employer_name: str | None = None
    hours_per_week: float | None = None
    competitive: bool = True
    end_date: dt.date | None = None
    end_reason: str | None = None
    id: int | None = None
    wage_form: str | None = None
    #: the employer's contact person for follow-along (a role or first name)
    contact_person: str | None = None

    #: the job title is an occupation ("psykiatrisk sygeplejerske"), not checked
    FREE_TEXT: ClassVar[tuple[str, ...]] = ("end_reason",)

    @property
    def employer_key(self) -> str:
        return _record_employer(self.employer_cvr, self.employer_name)

    @property
    def wage(self) -> str:
        """The wage form, from ``competitive`` when not recorded (rows from before 0006)."""
        return self.wage_form or ("ordinary" if self.competitive else "other")

    def validate(self, *, today: dt.date | None = None) -> JobStart:
        """Raise FeedError / RecordPrivacyError if the job start cannot be stored; else self."""
        today = today or date.today()
        _check_no_cpr_anywhere(self)
        _check_required("citizen_id", self.citizen_id)
        _check_required("title", self.title)
        _check_lengths(self, _JOB_START_LIMITS)
        _check_citizen_id(self.citizen_id, required=True)
        _check_employer(self.employer_cvr, self.employer_name)
        _check_date_not_future("start_date", self.start_date, today)
        _check_date_not_future("end_date", self.end_date, today)
        if self.end_date is not None and self.end_date < self.start_date:
            raise FeedError(code="job.end_before_start", field="end_date")
        if self.hours_per_week is not None and not 0 < self.hours_per_week <= 80:
            raise FeedError(code="job.hours_week", field="hours_per_week",
                            params={"hours": self.hours_per_week})
        if self.wage_form is not None:
            if self.wage_form not in WAGE_FORMS:
                raise FeedError(f"unknown wage form {self.wage_form!r}", field="wage_form",
                                hint="use one of: " + ", ".join(WAGE_FORMS))
            if self.competitive != (self.wage_form == "ordinary"):
                raise FeedError(f"wage form {self.wage_form} contradicts competitive="
                                f"{self.competitive}", field="wage_form",
                                hint="only an ordinary job is competitive")
        for name in ("citizen_id", "title", "employer_name", "end_reason"):
            _check_no_cpr(name, getattr(self, name))
        from ipsmatch.ips.freetext import check_free_text

        check_free_text("contact_person", self.contact_person)  # issue #17's one gate
        return self

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class Feedback:
    """A consultant's verdict on a suggested vacancy (``vacancy`` = (source, external_id)) or,
    for job development, on an employer."""

    citizen_id: str
    verdict: str
    date: dt.date
    consultant: str
    vacancy: tuple[str, str] | None = None
    employer_cvr: str | None = None
    employer_name: str | None = None
    reason: str | None = None
    id: int | None = None

    FREE_TEXT: ClassVar[tuple[str, ...]] = ("reason",)

    def validate(self, *, today: dt.date | None = None) -> Feedback:
        """Raise FeedError / RecordPrivacyError if the feedback cannot be stored; else self."""
        today = today or date.today()
        _check_no_cpr_anywhere(self)
        _check_required("citizen_id", self.citizen_id)
        _check_required("consultant", self.consultant)
        _check_lengths(self, _FEEDBACK_LIMITS)
        _check_citizen_id(self.citizen_id, required=True)
        if self.verdict not in FEEDBACK_VERDICTS:
            raise FeedError(f"unknown verdict {self.verdict!r}", field="verdict",
                            hint="use one of: " + ", ".join(FEEDBACK_VERDICTS))
        _check_date_not_future("date", self.date, today)
        has_employer = employer_key(self.employer_cvr, self.employer_name) is not None
        if self.verdict == "not_interested_employer" and not has_employer:
            raise FeedError("not_interested_employer needs the employer", field="employer_cvr",
                            hint="give employer_cvr or employer_name (the CLI fills it in from "
                                 "the vacancy)")
        if self.vacancy is None and not has_employer:
            raise FeedError("no vacancy or employer given", field="vacancy",
                            hint="give the vacancy (source and id) or the employer")
        if self.employer_cvr:
            _check_employer(self.employer_cvr, self.employer_name)
        for name in ("citizen_id", "reason"):
            _check_no_cpr(name, getattr(self, name))
        return self

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class CitizenRecord:
    """What the fidelity figures need about a citizen (pseudonymous id only)."""

    id: str
    consultant: str | None
    start_date: dt.date | None
    active: bool = True
