"""Employers to visit for a citizen (job development), and what the citizen's feedback hides.

IPS job development contacts employers with and without posted vacancies. An employer ranks
by its fit to the wishes (its best relevant ad the citizen's must-haves allow, or its
industry), the commute to its workplace (:func:`ipsmatch.constraints.vectorised.reach`, the
ads' rule), and a bonus for what is known about it (``ranking.EMPLOYER_ATTRIBUTE_BONUS``
and what consultants learned at contacts, :func:`ipsmatch.jobdev.matching.employer_bonus`).

    >>> ranking = EmployerRanking(employers, vacancies, texts, feedback=masks).fit(
    ...     cols, attributed, docs)                                   # doctest: +SKIP
    >>> ranking.rank(crit, ["lager"], relevance, ad_ok=ok, limit=10)[0].reasons[0].code
    'employer.occupation'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from ipsmatch import ranking as R
from ipsmatch.columns import Columns
from ipsmatch.commute import CHECK
from ipsmatch.constraints import Criteria
from ipsmatch.constraints.vectorised import reach, sub
from ipsmatch.domain import Employer, EmployerSuggestion, Reason, Vacancy
from ipsmatch.explain import make_reason
from ipsmatch.identity import name_key
from ipsmatch.jobdev.agencies import is_temp_agency
from ipsmatch.jobdev.attributes import recent_contact_reason, recently_contacted
from ipsmatch.jobdev.feedback import FeedbackEffects
from ipsmatch.jobdev.matching import employer_bonus
from ipsmatch.jobdev.model import Contact
from ipsmatch.relevance import LEX_SATURATION, MIN_RELEVANCE, Relevance, load_or_fit
from ipsmatch.retrieval.lexical import LexicalRetriever
from ipsmatch.store.rows import AdText, prefetch

#: An employer contacted within this many days is marked, so two consultants do not call the
#: same manager twice in a week.
RECENT_CONTACT_DAYS = 7
#: An industry that matches a wish counts this much of a matching ad.
INDUSTRY_SHARE = 0.8


class FeedbackMasks:
    """What a citizen's feedback hides, as masks over a matcher's ads and employers; the
    few it names are checked one by one with the exact rule (:class:`FeedbackEffects`)."""

    def __init__(self, cols: Columns, vacancies: Sequence[Vacancy]) -> None:
        self.cols = cols
        self.vacancies = vacancies
        self._names: np.ndarray | None = None

    def employers(self, fx: FeedbackEffects) -> np.ndarray:
        """Employers the citizen said no to (by CVR, or by name when the CVR does not
        say it is another employer), without reading every employer record."""
        c = self.cols
        maybe = np.zeros(c.emp_ids.shape[0], dtype=bool)
        for cvr in fx.employer_cvrs:
            maybe |= c.emp_cvr == cvr
        if fx.employer_names:
            if self._names is None:
                self._names = _names_normalised(c.emp_name)
            for name in fx.employer_names:
                maybe |= self._names == name
        out = np.zeros_like(maybe)
        for j in np.flatnonzero(maybe).tolist():
            out[j] = fx.employer_rejection(str(c.emp_cvr[j]) or None,
                                           str(c.emp_name[j]) or None) is not None
        return out

    def ads(self, fx: FeedbackEffects) -> np.ndarray:
        """Ads the citizen's feedback hides: those of rejected employers, and those the
        feedback names."""
        c = self.cols
        hidden = np.zeros(c.n, dtype=bool)
        rejected = self.employers(fx)
        if rejected.any():
            valid = c.emp_idx >= 0
            hidden[valid] = rejected[c.emp_idx[valid]]
        named = []
        for src, ext in fx.by_vacancy:
            if src in c.sources:
                s_i = c.sources.index(src)
                named += np.flatnonzero((c.external_id == ext)
                                        & (c.source_idx == s_i)).tolist()
        prefetch(self.vacancies, named)
        for i in named:
            hidden[i] = fx.is_hidden(self.vacancies[i])
        return hidden


def ads_by_employer(emp_idx: np.ndarray, n_employers: int) -> tuple[np.ndarray, np.ndarray]:
    """(order, start): employer ``j``'s ads (``emp_idx == j``, ascending positions) are
    ``order[start[j]:start[j + 1]]``; ads without an employer (-1) are in none."""
    valid = emp_idx >= 0
    order = np.flatnonzero(valid)[np.argsort(emp_idx[valid], kind="stable")]
    counts = np.bincount(emp_idx[valid], minlength=n_employers)
    return order, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def ads_among(order: np.ndarray, start: np.ndarray, j: int, rows: np.ndarray | None
              ) -> np.ndarray:
    """Employer ``j``'s ads (:func:`ads_by_employer`) among ``rows`` (ascending ad indices;
    all ads when None), as ascending positions in ``rows``: ``np.flatnonzero(emp_idx[rows]
    == j)`` without the pass over ``rows``."""
    mine = order[int(start[j]):int(start[j + 1])]
    if rows is None:
        return mine
    pos = np.searchsorted(rows, mine)
    ok = pos < rows.shape[0]
    ok[ok] = rows[pos[ok]] == mine[ok]
    return pos[ok]


def _names_normalised(names: np.ndarray) -> np.ndarray:
    return np.array([name_key(str(x)) for x in names.tolist()], dtype=np.str_) \
        if names.size else np.zeros(0, dtype="<U1")


class EmployerRanking:
    """Ranks a matcher's employers. ``__init__`` stores the rows it shows from (employers,
    ads, ad texts) and the recent contacts; :meth:`fit` builds the employer arrays, bonus
    and industry index; :meth:`rank` ranks for one citizen."""

    def __init__(self, employers: Sequence[Employer], vacancies: Sequence[Vacancy],
                 texts: Sequence[AdText], *, feedback: FeedbackMasks,
                 contacts: Iterable[Contact] = (), today: date | None = None,
                 index_dir: Path | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        self.employers = employers
        self.vacancies = vacancies
        self.texts = texts
        self.feedback = feedback
        #: recent employer contacts, for the "contacted lately" mark on employers
        self.contacts = list(contacts)
        self.today = today
        self.index_dir = index_dir
        self.progress = progress

    def _today(self) -> date:
        return self.today or date.today()

    def fit(self, cols: Columns, attributed: Mapping[int, Employer],
            docs: Callable[[], list[tuple[str, str]]]) -> EmployerRanking:
        """Employer arrays from ``cols``; the bonus of the employers with attributes
        (``attributed``: position -> employer); the industry index over ``docs()``."""
        ne = cols.emp_ids.shape[0]
        self.emp_idx_ = cols.emp_idx
        self.lat_, self.lon_ = cols.emp_lat, cols.emp_lon
        valid = self.emp_idx_ >= 0
        self.open_ = np.bincount(self.emp_idx_[valid], minlength=ne)
        # each employer's ads without a pass over all ads per employer shown
        self.ad_order_, self.ad_start_ = ads_by_employer(self.emp_idx_, ne)
        # Plain flags (an employer import) take the ranking's table; what consultants learned
        # at contacts ({"value": ..., "date": ...}) takes the job-development weights, so
        # one statement never counts twice. Only employers with attributes have a bonus.
        today = self._today()
        self.bonus_ = np.zeros(ne, dtype=np.float64)
        for j, e in attributed.items():
            self.bonus_[j] = (
                sum(b for k, (b, _, _) in R.EMPLOYER_ATTRIBUTE_BONUS.items()
                    if e.attributes.get(k) is True)
                + employer_bonus(e, today=today, open_vacancies=int(self.open_[j]))[0])
        self.lexical_: LexicalRetriever | None = None
        if ne:
            h = cols.emp_docs_hash
            self.lexical_ = load_or_fit(
                self.index_dir / "employers" if self.index_dir else None,
                lambda p: LexicalRetriever.load(p, expected_hash=h),
                lambda: LexicalRetriever().fit(docs(), data_hash_=h),
                f"employer index for {ne} employers", self.progress)
        return self

    def rank(self, crit: Criteria, wishes: Sequence[str], relevance: Relevance | None, *,
             ad_ok: np.ndarray, limit: int, rows: np.ndarray | None = None,
             feedback: FeedbackEffects | None = None) -> list[EmployerSuggestion]:
        """Employers to visit, with or without open vacancies (see ranking.EMPLOYER_*).

        ``rows`` (when given) hold every ad of each employer within reach, ``relevance``
        and ``ad_ok`` (the ads the citizen's must-haves allow) are over them: an employer
        is never ranked on ads the must-haves exclude (#13)."""
        ne = len(self.employers)
        if ne == 0:
            return []
        signals: dict[str, np.ndarray] = {}
        fit = np.zeros(ne)
        n_match = np.zeros(ne, dtype=np.int64)
        best_wish = np.zeros(ne, dtype=np.int64)
        industry_fit = np.zeros(ne)
        emp_idx = sub(self.emp_idx_, rows)
        if wishes:
            for w_i, wish in enumerate(wishes):
                rel = relevance.per_wish[w_i] if relevance is not None else np.zeros(0)
                ads = np.zeros(ne)
                valid = (emp_idx >= 0) & (rel >= MIN_RELEVANCE) & ad_ok if rel.size else \
                    np.zeros(0, dtype=bool)
                np.maximum.at(ads, emp_idx[valid], rel[valid])
                cnt = np.bincount(emp_idx[valid], minlength=ne)
                ind = np.zeros(ne)
                if self.lexical_ is not None:
                    ind = INDUSTRY_SHARE * np.minimum(1.0, self.lexical_.score_all(wish)
                                                      / LEX_SATURATION)
                f = np.maximum(ads, ind)
                better = f > fit
                fit = np.where(better, f, fit)
                n_match = np.where(better, cnt, n_match)
                industry_fit = np.where(better, ind, industry_fit)
                best_wish = np.where(better, w_i, best_wish)
            signals["fit"] = fit
        dist = np.full(ne, np.nan)
        minutes = np.full(ne, np.nan)
        excluded = np.zeros(ne, dtype=bool)
        cm = None
        if crit.origin is not None:
            r = reach(self.lat_, self.lon_, crit)  # the ads' commute rule, for workplaces
            dist, cm, minutes = r.distance_km, r.commute, r.commute.minutes
            excluded |= cm.excluded
            signals["commute"] = r.fit
        score = np.clip(R.fuse(signals, weights=R.EMPLOYER_WEIGHTS) + self.bonus_, 0.0, 1.0)
        if feedback is not None:  # employers the citizen said no to
            excluded |= self.feedback.employers(feedback)
        eligible = ~excluded & ((fit >= MIN_RELEVANCE) if wishes else True)
        out: list[EmployerSuggestion] = []
        top = R.top_k(score, limit, np.asarray(eligible, dtype=bool)).tolist()
        prefetch(self.employers, top)
        # the best matching ads of each employer shown, named in its reason (ad positions)
        named: dict[int, list[int]] = {}
        if wishes and relevance is not None:
            for j in top:
                if n_match[j] > 0:
                    rel = relevance.per_wish[int(best_wish[j])]
                    mine = ads_among(self.ad_order_, self.ad_start_, j, rows)
                    mine = mine[(rel[mine] >= MIN_RELEVANCE) & ad_ok[mine]]
                    best = mine[np.argsort(-rel[mine], kind="stable")][:2]
                    named[j] = (best if rows is None else rows[best]).tolist()
        # What the loop reads of the employers' ads, in one query, not a few per employer:
        # the named titles, and the texts (temp agency?) and contacts of their first ads.
        prefetch(self.texts, [i for ads in named.values() for i in ads]
                 + [i for j in top for i in self.ads(j)])
        for j in top:
            e = self.employers[j]
            reasons: list[Reason] = []
            if j in named:
                titles = ", ".join(f"'{self.texts[i].title}'" for i in named[j])
                reasons.append(make_reason("employer", "employer.occupation", n=int(n_match[j]),
                                           wish=wishes[int(best_wish[j])], titles=titles))
            if wishes and industry_fit[j] >= MIN_RELEVANCE and e.industry:
                reasons.append(make_reason("employer", "employer.industry",
                                           industry=e.industry,
                                           wish=wishes[int(best_wish[j])]))
            if not np.isnan(dist[j]):
                band: dict[str, Any] = {}
                if cm is not None and cm.status[j] == CHECK:
                    band = {"low": float(cm.low[j]), "high": float(cm.high[j]),
                            "max": crit.max_minutes}
                reasons.append(make_reason(
                    "employer", "employer.distance_check" if band else "employer.distance",
                    km=float(dist[j]), minutes=float(minutes[j]), mode=crit.mode, **band))
            sig = {k: round(float(s[j]), 4) for k, s in signals.items()}
            if self.bonus_[j]:
                sig["attributes"] = round(float(self.bonus_[j]), 4)
            n_open = int(self.open_[j])
            more, concerns = self._what_is_known(j, e, n_open)
            out.append(EmployerSuggestion(
                employer=e, score=round(float(score[j]), 4), signals=sig,
                distance_km=None if np.isnan(dist[j]) else float(dist[j]),
                open_vacancies=n_open, reasons=reasons + more, concerns=concerns,
                contact=self.contact(j) if n_open else None))
        return out

    def _what_is_known(self, j: int, e: Employer, n_open: int
                       ) -> tuple[list[Reason], list[Reason]]:
        """(reasons, concerns) from the employer's openings, attributes, what consultants
        learned, a recent contact and whether it is a temp agency."""
        open_code = "employer.open_one" if n_open == 1 else "employer.open"
        reasons = [make_reason("employer", open_code, n=n_open) if n_open
                   else make_reason("employer", "employer.no_open")]
        for k, (_, da, en) in R.EMPLOYER_ATTRIBUTE_BONUS.items():
            if e.attributes.get(k) is True:
                reasons.append(make_reason("employer", "employer.attribute", attribute=k,
                                           label_da=da, label_en=en))
        learned = employer_bonus(e, today=self._today(), open_vacancies=n_open)[1]
        # what counts against the employer ("Ingen åbninger lige nu") is a warning
        reasons += [r for r in learned if r.params.get("weight", 0) >= 0]
        concerns: list[Reason] = [r for r in learned if r.params.get("weight", 0) < 0]
        recent = recently_contacted(self.contacts, e, days=RECENT_CONTACT_DAYS,
                                    today=self._today())
        if recent is not None:  # a warning, first, so nobody calls the same manager twice
            concerns.append(recent_contact_reason(recent))
        if is_temp_agency(e.name) or (n_open and any(
                is_temp_agency(None, t) for t in self.ad_texts(j))):
            concerns.append(make_reason("employer", "employer.temp_agency", name=e.name))
        return reasons, concerns

    def ads(self, j: int, most: int = 5) -> list[int]:
        """A few of employer ``j``'s open ads (positions, the first ones)."""
        lo = int(self.ad_start_[j])
        return self.ad_order_[lo:min(lo + most, int(self.ad_start_[j + 1]))].tolist()

    def ad_texts(self, j: int) -> list[str]:
        """The folded title + text of a few of employer ``j``'s ads."""
        return [str(self.texts[i].folded) for i in self.ads(j)]

    def contact(self, j: int) -> dict[str, str] | None:
        """The contact details the employer's ads give (the first ad with a contact person,
        else the first with any); None when none gives any."""
        ads = self.ads(j)
        prefetch(self.texts, ads)
        found = [c for i in ads if (c := self.texts[i].contact)]
        return next((c for c in found if c.get("person")), found[0] if found else None)
