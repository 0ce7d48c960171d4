"""What a consultant's feedback on suggestions does to later suggestions for that citizen.

- ``not_interested``: that vacancy is hidden.
- ``not_interested_employer``: every vacancy of that employer is hidden, and the employer is
  left out of job development for the citizen.
- ``applied`` / ``interview`` / ``hired``: the vacancy stays, marked "Ansøgt 12/11" etc., so
  nobody suggests the same job twice as if it were new.

Per vacancy the latest verdict wins (a citizen may change their mind). A positive verdict on a
vacancy dated after the employer was rejected keeps that one vacancy visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from ipsmatch.domain import Employer, EmployerSuggestion, Excluded, Reason, Suggestion, Vacancy
from ipsmatch.identity import name_key
from ipsmatch.jobdev.model import Feedback

VacancyKey = tuple[str, str]

HIDING_VERDICTS = ("not_interested", "not_interested_employer")
STATUS_VERDICTS = ("interested", "applied", "interview", "hired")

_LABEL_DA = {"not_interested": "Ikke interesseret", "not_interested_employer":
             "Ikke interesseret i arbejdsgiveren", "interested": "Interesseret",
             "applied": "Ansøgt",
             "interview": "Til samtale", "hired": "Ansat"}
_LABEL_EN = {"not_interested": "Not interested", "not_interested_employer":
             "Not interested in the employer", "interested": "Interested",
             "applied": "Applied",
             "interview": "Interview", "hired": "Hired"}


def vacancy_key(v: Vacancy) -> VacancyKey:
    return (v.source, v.external_id)


@dataclass
class FeedbackEffects:
    """The effect of one citizen's feedback; build with :func:`feedback_effects`."""

    #: latest feedback per vacancy
    by_vacancy: dict[VacancyKey, Feedback] = field(default_factory=dict)
    #: employer rejections: by CVR and by :func:`~ipsmatch.identity.name_key`
    employer_cvrs: dict[str, Feedback] = field(default_factory=dict)
    employer_names: dict[str, Feedback] = field(default_factory=dict)

    def employer_rejection(self, cvr: str | None, name: str | None) -> Feedback | None:
        """The not_interested_employer feedback matching this employer, if any."""
        if cvr and cvr in self.employer_cvrs:
            return self.employer_cvrs[cvr]
        if name:
            fb = self.employer_names.get(name_key(name))
            # a name match must not override a CVR that says it is another employer
            if fb is not None and not (cvr and fb.employer_cvr and fb.employer_cvr != cvr):
                return fb
        return None

    def hidden_reason(self, v: Vacancy) -> Feedback | None:
        """The feedback that hides this vacancy, or None if it stays."""
        own = self.by_vacancy.get(vacancy_key(v))
        if own is not None and own.verdict in HIDING_VERDICTS:
            return own
        emp = v.employer
        rejection = self.employer_rejection(emp.cvr, emp.name) if emp else None
        if rejection is None:
            return None
        if own is not None and own.verdict in STATUS_VERDICTS and own.date > rejection.date:
            return None
        return rejection

    def is_hidden(self, v: Vacancy) -> bool:
        return self.hidden_reason(v) is not None

    @property
    def hidden_vacancies(self) -> frozenset[VacancyKey]:
        """Vacancies hidden by their own feedback (employer-wide hiding needs the vacancy)."""
        return frozenset(k for k, fb in self.by_vacancy.items() if fb.verdict in HIDING_VERDICTS)

    def employer_hidden(self, e: Employer) -> bool:
        return self.employer_rejection(e.cvr, e.name) is not None

    def status(self, v: Vacancy) -> Feedback | None:
        """The latest applied/interview/hired feedback for the vacancy, if any."""
        fb = self.by_vacancy.get(vacancy_key(v))
        return fb if fb is not None and fb.verdict in STATUS_VERDICTS else None


def feedback_effects(feedback: Iterable[Feedback]) -> FeedbackEffects:
    """Fold one citizen's feedback (any order) into its effects. Ties on a date: input order."""
    fx = FeedbackEffects()
    for fb in sorted(feedback, key=lambda f: f.date):
        if fb.vacancy is not None:
            fx.by_vacancy[fb.vacancy] = fb
        if fb.verdict == "not_interested_employer":
            if fb.employer_cvr:
                fx.employer_cvrs[fb.employer_cvr] = fb
            if fb.employer_name:
                fx.employer_names[name_key(fb.employer_name)] = fb
    return fx


def short_date(d: date) -> str:
    """``12/11``, the way Danish caseworkers write recent dates."""
    return f"{d.day}/{d.month}"


def feedback_reason(fb: Feedback) -> Reason:
    """A feedback verdict as a reason: ``Ansøgt 12/11 (AB)``."""
    da = f"{_LABEL_DA[fb.verdict]} {short_date(fb.date)} ({fb.consultant})"
    en = f"{_LABEL_EN[fb.verdict]} {fb.date.isoformat()} ({fb.consultant})"
    if fb.reason:
        da, en = f"{da}: {fb.reason}", f"{en}: {fb.reason}"
    return Reason(kind="feedback", code=f"feedback.{fb.verdict}",
                  params={"date": fb.date.isoformat(), "consultant": fb.consultant,
                          "reason": fb.reason},
                  text_da=da, text_en=en)


def status_label(fb: Feedback, lang: str = "da") -> str:
    """``"Ansøgt 12/11"`` (da) or ``"Applied 2026-11-12"`` (en)."""
    if lang == "en":
        return f"{_LABEL_EN[fb.verdict]} {fb.date.isoformat()}"
    return f"{_LABEL_DA[fb.verdict]} {short_date(fb.date)}"


def apply_feedback(suggestions: Iterable[Suggestion], effects: FeedbackEffects
                   ) -> tuple[list[Suggestion], list[Excluded]]:
    """Split suggestions into kept (status reason added first) and hidden (with the feedback
    that hid them). Order is preserved; suggestions are not mutated."""
    kept: list[Suggestion] = []
    hidden: list[Excluded] = []
    for s in suggestions:
        why = effects.hidden_reason(s.vacancy)
        if why is not None:
            hidden.append(Excluded(vacancy=s.vacancy, reasons=[feedback_reason(why)]))
            continue
        st = effects.status(s.vacancy)
        if st is not None:
            s = replace(s, signals=dict(s.signals), reasons=[feedback_reason(st), *s.reasons],
                        concerns=list(s.concerns))
        kept.append(s)
    return kept, hidden


def filter_employers(suggestions: Iterable[EmployerSuggestion], effects: FeedbackEffects
                     ) -> list[EmployerSuggestion]:
    """Job-development suggestions without the employers the citizen said no to."""
    return [s for s in suggestions if not effects.employer_hidden(s.employer)]
