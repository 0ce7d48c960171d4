"""suggest() and search(): open → relevance → constrain → rank → explain → diversify.

Everything a filter or a signal needs per vacancy is held in small arrays
(:class:`~ipsmatch.columns.Columns`), so one suggestion is a handful of vectorised passes over
all ads; only the few top candidates become :class:`Suggestion` objects. Each step has its
module (docs/architecture.md):

- wish relevance: :class:`ipsmatch.relevance.WishRelevance`;
- constraints: :func:`ipsmatch.constraints.vectorised.constrain` over all ads, and for the
  shown ones the per-vacancy reference :func:`ipsmatch.constraints.evaluate`, which writes
  the reasons (and re-checks every must-have);
- fusion and diversification: :mod:`ipsmatch.ranking`;
- the wish reason: :mod:`ipsmatch.explain_wish`; the evidence: :mod:`ipsmatch.ips.evidence`;
- employers for job development and the feedback masks: :mod:`ipsmatch.jobdev.ranking`.

    >>> m = Matcher.from_vacancies(vacancies, employers)          # doctest: +SKIP
    >>> res = m.suggest({"id": "c-1", "home_postcode": "9400", "wishes": ["lager"]})
    >>> res.vacancies[0].reasons[0].text_da                        # doctest: +SKIP
    "Matcher ønsket 'lager' (ord i annoncen)"
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ipsmatch import constraints as C
from ipsmatch import limits
from ipsmatch import ranking as R
from ipsmatch.columns import Columns, employer_docs, vacancy_docs
from ipsmatch.constraints.vectorised import (
    Constrained,
    ConstraintArrays,
    avoid_counts,
    constrain,
    reach_rows,
    sub,
)
from ipsmatch.domain import (
    CitizenProfile,
    Employer,
    Excluded,
    Reason,
    Suggestion,
    SuggestResult,
    Vacancy,
)
from ipsmatch.education import EducationOffer, education_kind, suggest_education
from ipsmatch.education.detect import AD_KINDS
from ipsmatch.errors import IndexNotReadyError, UsageError
from ipsmatch.explain import make_reason
from ipsmatch.explain_wish import WishReason, search_reason, wish_reason
from ipsmatch.ips.evidence import (
    certificate_reasons,
    hours_goal_reason,
    more_hours_goals,
    past_job_reason,
)
from ipsmatch.jobdev import Contact, Feedback, FeedbackEffects, apply_feedback, feedback_effects
from ipsmatch.jobdev.feedback import feedback_reason
from ipsmatch.jobdev.matching import employer_contact_facts, with_contact_facts
from ipsmatch.jobdev.ranking import RECENT_CONTACT_DAYS, EmployerRanking, FeedbackMasks
from ipsmatch.profile import as_profile
from ipsmatch.relevance import (
    EXPERIENCE_BONUS,
    EXPERIENCE_MIN,
    MIN_RELEVANCE,
    TOPIC_PART,
    Relevance,
    WishRelevance,
    load_text_models,
)
from ipsmatch.store.rows import (
    FeedbackLoader,
    StoreRows,
    open_store,
    prefetch,
    store_docs,
    store_text_rows,
    store_vacancy_rows,
    text_rows,
)
from ipsmatch.text.normalize import fold_for_search

__all__ = ["FeedbackLoader", "Matcher", "StoreRows", "SuggestResult", "load_text_models",
           "open_store"]

log = logging.getLogger(__name__)

#: Vacancies scored in detail per suggestion (enough for diversification to find others).
CANDIDATE_FACTOR, CANDIDATE_MIN = 4, 60
#: At most this many excluded ads are listed (the most relevant first).
EXCLUDED_LIMIT = 100

_BLAS: Any = None


def _one_blas_thread() -> Any:
    """Run the block with a single-threaded BLAS. A suggestion's matrix products are small
    and memory-bound; OpenBLAS's second thread only spins, and on a busy 2-core machine that
    doubled the CPU time of a suggest (p50 80 -> 43 ms measured at 100k ads)."""
    global _BLAS
    if _BLAS is None:
        from threadpoolctl import ThreadpoolController

        _BLAS = ThreadpoolController()
    return _BLAS.limit(limits=1, user_api="blas")


def _once(make: Callable[[], Any]) -> Callable[[], Any]:
    """``make()`` computed on first call and remembered."""
    box: list[Any] = []

    def get() -> Any:
        if not box:
            box.append(make())
        return box[0]
    return get


class Matcher:
    """Ranks vacancies and employers for citizens. Build with :meth:`open` (on a database)
    or :meth:`from_vacancies` (in memory); then call :meth:`suggest` / :meth:`search`.
    ``__init__`` only stores the parts those build."""

    def __init__(self, vacancies: Sequence[Vacancy], employers: Sequence[Employer], *,
                 cols: Columns, arrays: ConstraintArrays, relevance: WishRelevance,
                 employer_ranking: EmployerRanking, feedback_masks: FeedbackMasks,
                 texts: StoreRows, education: Iterable[EducationOffer] = (),
                 feedback_loader: Callable[[str], list[Feedback]] | None = None,
                 today: date | None = None, store: Any = None) -> None:
        #: the ads by position: a list, or rows read from the store on demand
        self.vacancies = vacancies
        self.employers = employers
        self.cols = cols
        self.arrays = arrays
        self.relevance = relevance
        self.employer_ranking = employer_ranking
        self.feedback_masks = feedback_masks
        #: an AdText (title, folded title + text) per ad, for de-duplication and avoid-terms: all
        #: candidates need it, only the shown ones need the whole ad
        self.texts = texts
        self.education_offers = list(education)
        #: citizen id -> that citizen's feedback on earlier suggestions (set by :meth:`open`)
        self.feedback_loader = feedback_loader
        self.today = today
        #: the open store of a matcher made by :meth:`open` (shown results are read from it)
        self._store = store

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def from_vacancies(cls, vacancies: Sequence[Vacancy], employers: Iterable[Employer] = (),
                       occupation_matcher: Any = None, encoder: Any = None, *,
                       today: date | None = None, contacts: Iterable[Contact] = (),
                       education: Iterable[EducationOffer] = (),
                       index_dir: str | Path | None = None,
                       progress: Callable[[str], None] | None = None,
                       feedback_loader: Callable[[str], list[Feedback]] | None = None
                       ) -> Matcher:
        """A matcher over in-memory vacancies (library use and tests). ``education`` is
        the catalogue education suggestions come from; ``index_dir`` keeps the fitted
        indexes on disk (loaded next time while the data is the same)."""
        # What consultants learned at employer contacts becomes facts of the employer's ads
        # (source "contact"), so needs matching and its reasons use it.
        vs = with_contact_facts(vacancies)
        cols, emps = Columns.build(vs, employers)
        return cls._build(
            cols, vs, emps, text_rows(vs),
            attributed={j: e for j, e in enumerate(emps) if e.attributes},
            docs=_once(lambda: vacancy_docs(vs)), emp_docs=_once(lambda: employer_docs(emps)),
            occupation_matcher=occupation_matcher, encoder=encoder,
            index_dir=Path(index_dir) if index_dir else None, today=today, progress=progress,
            contacts=contacts, education=education, feedback_loader=feedback_loader)

    @classmethod
    def open(cls, db_url: str | None = None, *, settings: Any = None,
             progress: Callable[[str], None] | None = None) -> Matcher:
        """Open the matcher on a database: per-ad columns and search indexes come from the
        data dir (one set per database); only the shown results are read as whole objects.

        Columns and indexes are rebuilt when the store's data no longer matches them (after
        a refresh; ``progress`` is told, as that takes a while on a large database).
        """
        from ipsmatch.config import Settings, default_data_dir

        settings = settings or Settings.load(db=db_url)
        url = db_url or settings.db
        key = hashlib.sha256(url.encode()).hexdigest()[:12]
        index_dir = default_data_dir() / "index" / key
        today = getattr(settings, "today", None)
        store = open_store(url)
        try:
            education = store.list_education()
            stamp = store.data_stamp()
            # Employers change without a refresh (contacts, imports): read them every time.
            emps = store.employers_for_matcher()
            try:
                cols = Columns.load(index_dir / "columns", stamp=stamp)
            except IndexNotReadyError as exc:
                log.info("rebuilding the matcher columns: %s", exc)
                if progress is not None:
                    progress("Reading the vacancies (once after the data changed)…")
                cols, _ = Columns.build(store.iter_active_vacancies(), emps)
                # Saved only if no refresh committed while we read; else it is only ours.
                if store.data_stamp() == stamp:
                    cols.save(index_dir / "columns", stamp=stamp)
            cols = cols.with_employers(emps)
            attributed = {j: e for j, e in enumerate(emps) if e.attributes}
            # What consultants learned is laid over the saved facts (it changes without a
            # refresh); from_vacancies has it in the ads already (with_contact_facts).
            cols.overlay_contact_facts({j: f for j, e in attributed.items()
                                        if (f := employer_contact_facts(e))})
            contacts = store.list_contacts(
                since=(today or date.today()) - timedelta(days=RECENT_CONTACT_DAYS))
            occ, enc = load_text_models(settings)
            return cls._build(
                cols, store_vacancy_rows(store, cols),
                StoreRows(cols.emp_ids, store.employers_by_ids, "employer"),
                store_text_rows(store, cols), attributed=attributed,
                docs=lambda: store_docs(store, cols, stamp),  # streamed, not kept
                emp_docs=_once(lambda: employer_docs(emps)), occupation_matcher=occ,
                encoder=enc, index_dir=index_dir, today=today, progress=progress,
                contacts=contacts, education=education,
                feedback_loader=FeedbackLoader(url, store=store), store=store)
        except BaseException:
            store.close()
            raise

    @classmethod
    def _build(cls, cols: Columns, vacancies: Sequence[Vacancy], employers: Sequence[Employer],
               texts: StoreRows, *, attributed: dict[int, Employer],
               docs: Callable[[], Iterable[tuple[str, str]]],
               emp_docs: Callable[[], list[tuple[str, str]]], occupation_matcher: Any,
               encoder: Any, index_dir: Path | None, today: date | None,
               progress: Callable[[str], None] | None, contacts: Iterable[Contact],
               education: Iterable[EducationOffer],
               feedback_loader: Callable[[str], list[Feedback]] | None,
               store: Any = None) -> Matcher:
        """Fit the parts over ``cols`` (loading the indexes from ``index_dir`` when fresh)."""
        relevance = WishRelevance(occupation_matcher=occupation_matcher, encoder=encoder,
                                  index_dir=index_dir, progress=progress).fit(cols, docs)
        masks = FeedbackMasks(cols, vacancies)
        ranking = EmployerRanking(employers, vacancies, texts, feedback=masks,
                                  contacts=contacts, today=today, index_dir=index_dir,
                                  progress=progress).fit(cols, attributed, emp_docs)
        return cls(vacancies, employers, cols=cols, arrays=ConstraintArrays.from_columns(cols),
                   relevance=relevance, employer_ranking=ranking, feedback_masks=masks,
                   texts=texts, education=education, feedback_loader=feedback_loader,
                   today=today, store=store)

    def close(self) -> None:
        """Release the database connection of a matcher made by :meth:`open`."""
        if self._store is not None:
            self._store.close()

    @property
    def occupation_matcher(self) -> Any:
        """The taxonomy's wish → occupations matcher (None when not installed)."""
        return self.relevance.occupation_matcher

    @property
    def encoder(self) -> Any:
        """The semantic text encoder (None when not installed or switched off)."""
        return self.relevance.encoder

    @property
    def contacts(self) -> list[Contact]:
        """Recent employer contacts, for the "contacted lately" mark on employers."""
        return self.employer_ranking.contacts

    def _today(self) -> date:
        return self.today or date.today()

    def _occupations(self) -> Callable[[str], list[Any]] | None:
        return self.relevance.wish_occupations if self.occupation_matcher is not None else None

    # -- suggest and search ------------------------------------------------------------------

    def suggest(self, profile: CitizenProfile | dict[str, Any], *, limit: int = 20,
                per_employer: int = R.PER_EMPLOYER, include_excluded: bool = False,
                feedback: Iterable[Feedback] | None = None,
                jobs: Iterable[Any] | None = None) -> SuggestResult:
        """Ranked vacancies, employers and education offers for a citizen (a profile or a
        dict in file format).

        ``feedback`` (default: the citizen's stored feedback when opened on a database) hides
        what the consultant said no to and marks what the citizen applied for. ``jobs``
        (default: the citizen's stored jobs) are the
        :class:`~ipsmatch.ips.followalong.JobFollowUp` records behind "more hours with the
        current employer" in ``goals``."""
        if limit < 1 or per_employer < 1:
            raise UsageError("limit and per_employer must be at least 1")
        p = as_profile(profile)
        with _one_blas_thread():
            res = self._suggest(p, limit=limit, per_employer=per_employer,
                                include_excluded=include_excluded, feedback=feedback)
        if jobs is None and self._store is not None:
            jobs = self._store.job_follow_ups(p.id)
        res.goals = more_hours_goals(p, jobs or [])
        return res

    def _suggest(self, p: CitizenProfile, *, limit: int, per_employer: int,
                 include_excluded: bool, feedback: Iterable[Feedback] | None) -> SuggestResult:
        crit = C.Criteria.from_profile(p)
        result = SuggestResult(citizen=p)
        if feedback is None and self.feedback_loader is not None:
            feedback = self.feedback_loader(p.id)
        fx = feedback_effects(feedback) if feedback else None
        # Only what the commute limit can reach is scored (the excluded list wants it all).
        rows = None if include_excluded else reach_rows(self.arrays, crit, employers=True)
        relevance = self.relevance.score(p.wishes, rows) if p.wishes and self.vacancies \
            else None
        got = constrain(self.arrays, crit, today=self._today(), rows=rows)
        if self.vacancies:
            result.vacancies, result.excluded = self._rank(
                crit, got, p.wishes, relevance,
                reason=partial(wish_reason, occupations=self._occupations(),
                               topic_quote=self.relevance.topic_quote), limit=limit,
                per_employer=per_employer, include_excluded=include_excluded, feedback=fx,
                rows=rows, profile=p, experience=self.relevance.experience(p, rows))
            if fx is not None:  # nothing left to hide: this adds the "Ansøgt 12/11" marks
                result.vacancies, _ = apply_feedback(result.vacancies, fx)
        result.employers = self.employer_ranking.rank(
            crit, p.wishes, relevance, ad_ok=~got.excluded, limit=limit, rows=rows, feedback=fx)
        if self.education_offers:
            result.education = suggest_education(
                p, self.education_offers, today=self._today(), occupations=self._occupations(),
                limit=min(limit, 10))
        return result

    def search(self, text: str, *, near: str | None = None, within_km: float | None = None,
               max_hours: float | None = None, needs: Sequence[str] = (), limit: int = 20
               ) -> list[Suggestion]:
        """Free-text vacancy search without a profile; ``needs`` are must-needs."""
        if not text.strip():
            raise UsageError(code="search.empty")
        if len(text) > limits.MAX_QUERY_CHARS:
            raise UsageError(code="search.too_long",
                             params={"length": len(text), "max": limits.MAX_QUERY_CHARS})
        from ipsmatch.privacy import assert_no_cpr

        assert_no_cpr(text, "search")  # ipsmatch never matches on CPR numbers
        crit = C.Criteria.from_search(near=near, within_km=within_km, max_hours=max_hours,
                                      needs=needs)
        if not self.vacancies:
            return []
        with _one_blas_thread():
            rows = reach_rows(self.arrays, crit, employers=False)
            got = constrain(self.arrays, crit, today=self._today(), rows=rows)
            found, _ = self._rank(crit, got, [text], self.relevance.score([text], rows),
                                  reason=search_reason, limit=limit, per_employer=limit,
                                  include_excluded=False, rows=rows)
        return found

    # -- rank, explain, diversify --------------------------------------------------------------

    def _rank(self, crit: C.Criteria, got: Constrained, wishes: Sequence[str],
              relevance: Relevance | None, *, reason: WishReason, limit: int,
              per_employer: int, include_excluded: bool,
              feedback: FeedbackEffects | None = None, rows: np.ndarray | None = None,
              profile: CitizenProfile | None = None, experience: Relevance | None = None
              ) -> tuple[list[Suggestion], list[Excluded]]:
        """Rank the ads of ``rows`` (default all): fuse the signals, shortlist, explain the
        shown ones. Arrays here are indexed by position in ``rows`` ("local")."""
        n = len(self.vacancies) if rows is None else len(rows)
        signals = dict(got.signals)
        excluded = got.excluded
        hidden = np.zeros(n, dtype=bool)
        if feedback is not None:  # what the consultant said no to for this citizen
            hidden = sub(self.feedback_masks.ads(feedback), rows)
            excluded = excluded | hidden
        relevant = np.ones(n, dtype=bool)
        if wishes and relevance is not None:
            signals["wish"] = relevance.best
            relevant = relevance.best >= MIN_RELEVANCE
        fused = R.fuse(signals, avoid_hits=got.avoid_facts)
        past = (experience.best >= EXPERIENCE_MIN) if experience is not None else None
        if past is not None:
            fused = fused + EXPERIENCE_BONUS * past
        cand = R.top_k(fused, max(CANDIDATE_MIN, CANDIDATE_FACTOR * limit), relevant & ~excluded)
        cand, final, hits, order = self._shortlist(crit, signals, cand, past, rows, per_employer)
        gcand = _glob(cand, rows)
        out: list[Suggestion] = []
        # The shown ads as whole objects, in one query (a few spare: the reference check
        # may still drop one).
        prefetch(self.vacancies, [int(gcand[pos]) for pos in order[:limit + 5]])
        for pos in order:
            if len(out) >= limit:
                break
            found = self._explain(int(gcand[pos]), int(cand[pos]), crit,
                                  round(float(final[pos]), 4), signals, wishes, relevance,
                                  reason=reason, avoid_hits=float(hits[pos]), profile=profile,
                                  experience=experience)
            if found is not None:
                out.append(found)
        excl: list[Excluded] = []
        if include_excluded:
            top_l = R.top_k(relevance.best if wishes and relevance is not None else fused,
                            EXCLUDED_LIMIT, excluded & relevant)
            top = _glob(top_l, rows).tolist()
            prefetch(self.vacancies, top)
            for li, i in zip(top_l.tolist(), top, strict=True):
                v = self.vacancies[i]
                why = feedback.hidden_reason(v) if feedback is not None and hidden[li] else None
                excl.append(Excluded(vacancy=v, reasons=(
                    [feedback_reason(why)] if why is not None
                    else C.evaluate(v, crit, today=self._today()).exclusions)))
        return out, excl

    def _shortlist(self, crit: C.Criteria, signals: dict[str, np.ndarray], cand: np.ndarray,
                   past: np.ndarray | None, rows: np.ndarray | None, per_employer: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        """The candidates (local positions) re-scored with their avoid-terms, best first,
        each job once, and the diversified order: (cand, score, avoid hits, order)."""
        gcand = _glob(cand, rows)
        prefetch(self.texts, gcand.tolist())  # one query for all candidates
        # Avoid-terms in the text are checked on the candidates only (facts were vectorised).
        hits = (avoid_counts(self.arrays, crit.avoid, gcand, self._folded) if crit.avoid
                else np.zeros(len(cand)))
        final = R.fuse({k: s[cand] for k, s in signals.items()}, avoid_hits=hits)
        if past is not None:
            final = final + EXPERIENCE_BONUS * past[cand]
        rank = np.lexsort((cand, -final))
        cand, final, hits = cand[rank], final[rank], hits[rank]
        # The same job posted twice (two feeds, a re-post) is shown once: the best copy.
        seen: set[tuple[Any, str]] = set()
        keep = []
        for pos, i in enumerate(_glob(cand, rows).tolist()):
            same = (self._emp_key(i), fold_for_search(self.texts[i].title).strip())
            if same not in seen:
                seen.add(same)
                keep.append(pos)
        cand, final, hits = cand[keep], final[keep], hits[keep]
        gcand = _glob(cand, rows)
        order = R.diversify(list(range(len(cand))), [self._emp_key(i) for i in gcand.tolist()],
                            [int(o) if o >= 0 else None
                             for o in self.cols.occ_idx[gcand].tolist()],
                            per_employer=per_employer)
        return cand, final, hits, order

    def _explain(self, i: int, li: int, crit: C.Criteria, score: float,
                 signals: dict[str, np.ndarray], wishes: Sequence[str],
                 relevance: Relevance | None, *, reason: WishReason, avoid_hits: float,
                 profile: CitizenProfile | None, experience: Relevance | None
                 ) -> Suggestion | None:
        """The suggestion for ad ``i`` (local position ``li``) with its signals, reasons and
        concerns: the wish, the constraints (the per-vacancy reference, which also re-checks
        every must-have: None if it excludes the ad) and the career profile's evidence."""
        v = self.vacancies[i]
        ev = C.evaluate(v, crit, today=self._today(), hay=self._folded(i) if crit.avoid else None)
        if ev.excluded:
            log.warning("vacancy %s excluded by the reference check only", v.external_id)
            return None
        sig = {k: round(float(s[li]), 4) for k, s in signals.items()}
        reasons: list[Reason] = []
        if wishes and relevance is not None:
            w = int(relevance.which[li])
            parts = relevance.parts[w]
            here = {k: float(a[li]) for k, a in parts.items()}
            reasons.append(reason(v, wishes[w], here))
            # "topic" (the text's share of the occupation credit) only where it counts
            sig.update({f"wish.{k}": round(x, 4) for k, x in here.items()
                        if k != TOPIC_PART or x > 0})
        if avoid_hits:
            sig["avoid_hits"] = avoid_hits
        concerns = list(ev.concerns)
        if profile is not None:  # the career profile and certificates as evidence
            if experience is not None and experience.best[li] >= EXPERIENCE_MIN:
                reasons.append(past_job_reason(profile, int(experience.which[li])))
                sig["experience"] = round(float(experience.best[li]), 4)
            met, lacking = certificate_reasons(profile, v)
            reasons += met
            concerns += lacking
            step = hours_goal_reason(profile, v)
            if step is not None:
                reasons.append(step)
        kind = education_kind(v.title, v.text)
        if kind is not None:  # shown as education, before the other reasons
            reasons.insert(0, make_reason("education", "education.ad", ad_kind=kind,
                                          label_da=AD_KINDS[kind][0],
                                          label_en=AD_KINDS[kind][1]))
        return Suggestion(vacancy=v, score=score, signals=sig, distance_km=ev.distance_km,
                          commute_minutes=ev.commute_minutes, reasons=reasons + ev.reasons,
                          concerns=concerns, commute_low=ev.commute_low,
                          commute_high=ev.commute_high)

    def _folded(self, i: int) -> str:
        """The ad's title and text as avoid-terms are matched in (C.folded_text)."""
        return str(self.texts[i].folded)

    def _emp_key(self, i: int) -> Any:
        """The ad's employer for diversification; an ad without one is its own."""
        j = int(self.cols.emp_idx[i])
        return j if j >= 0 else f"ad:{i}"


def _glob(local: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """Local positions (in ``rows``) as ad indices."""
    return local if rows is None else rows[local]
