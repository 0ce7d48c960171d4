"""suggest() and search(): retrieve → constrain → rank → explain, over NumPy arrays.

Everything a filter or a signal needs per vacancy (coordinates, hours, stated facts, work
conditions, dates, employer and occupation) is held in small arrays, so one suggestion is a
handful of vectorised passes over all ads; only the few top candidates become
:class:`Suggestion` objects, and for those the per-vacancy reference
(:func:`ipsmatch.constraints.evaluate`) writes the reasons (and re-checks every must-have).

    >>> m = Matcher.from_vacancies(vacancies, employers)          # doctest: +SKIP
    >>> res = m.suggest({"id": "c-1", "home_postcode": "9400", "wishes": ["lager"]})
    >>> res.vacancies[0].reasons[0].text_da                        # doctest: +SKIP
    "Matcher ønsket 'lager' (ord i annoncen)"
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ipsmatch import constraints as C
from ipsmatch import limits
from ipsmatch import ranking as R
from ipsmatch.columns import (
    FACT_INDEX,
    Columns,
    employer_docs,
    fact_states,
    vacancy_docs,
)
from ipsmatch.commute import CHECK, haversine_km, reach_km
from ipsmatch.domain import (
    CitizenProfile,
    EducationSuggestion,
    Employer,
    EmployerSuggestion,
    Excluded,
    Need,
    Reason,
    Suggestion,
    Vacancy,
)
from ipsmatch.education import EducationOffer, education_kind, education_terms, suggest_education
from ipsmatch.education.detect import AD_KINDS
from ipsmatch.errors import IndexError_, IpsmatchError, StoreError, UsageError
from ipsmatch.explain import make_reason
from ipsmatch.geo import postcode_info
from ipsmatch.ips.evidence import (
    certificate_reasons,
    hours_goal_reason,
    more_hours_goals,
    past_job_reason,
)
from ipsmatch.jobdev import Contact, Feedback, FeedbackEffects, apply_feedback, feedback_effects
from ipsmatch.jobdev.agencies import is_temp_agency
from ipsmatch.jobdev.attributes import recent_contact_reason, recently_contacted
from ipsmatch.jobdev.feedback import feedback_reason
from ipsmatch.jobdev.matching import employer_bonus, employer_contact_facts, with_contact_facts
from ipsmatch.needs import NEEDS, need_def
from ipsmatch.profile import as_profile
from ipsmatch.retrieval.lexical import LexicalRetriever, fold, strip_head, words
from ipsmatch.retrieval.semantic import SemanticRetriever

log = logging.getLogger(__name__)

#: Lexical blend score at which a wish counts as fully matched (scores above saturate at 1).
LEX_SATURATION = 0.30
#: Semantic credit is corpus-relative: a wish's cosine to each ad is turned into a z-score
#: over all ads, then z in [SEM_Z_FLOOR, SEM_Z_FLOOR + SEM_Z_SPAN] maps linearly to [0, 1].
#: Raw cosines are not comparable across encoders (the static model puts most titles at
#: 0.75-0.9 to any wish); "well above the typical ad" is. On the demo data a right title
#: sits at z 3-4.5, a loosely related one near 2 and noise below 1.5.
SEM_Z_FLOOR, SEM_Z_SPAN = 1.5, 2.0
#: Partial occupation credit for a vacancy in the same ISCO group as a wished occupation.
ISCO_CREDIT = 0.6
#: ... and for a vacancy inside a wished ISCO minor group (3 digits); broader groups give none.
ISCO_MINOR_CREDIT = 0.4
#: Occupation credit from which the wish reason names the occupation concept.
OCCUPATION_REASON_MIN = 0.5
#: Below this confidence (the lower of the wish → occupation score, before any ISCO-group
#: share, and the ad's own occupation confidence) an occupation reason is worded as a weak
#: match ("svagt match – tjek om det passer"). Scores in [0, 1]: a wish the vocabulary or a
#: label reads scores 0.6-1.0 on what it means; unrelated neighbours sit around 0.3-0.45.
WEAK_WISH_MATCH = 0.5
#: A citizen with wishes only sees ads at least this relevant to one of them.
MIN_RELEVANCE = 0.15
#: A wish's occupation matches below this share of its best match give no credit, and only
#: those within ISCO_SPREAD_CUT of the best spread partial credit to their ISCO group.
OCC_TAIL_CUT, ISCO_SPREAD_CUT = 0.7, 0.85
#: Vacancies scored in detail per suggestion (enough for diversification to find others).
CANDIDATE_FACTOR, CANDIDATE_MIN = 4, 60
#: A commute limit restricts scoring to the ads it can reach, unless they are most of them.
REACH_MAX_SHARE = 0.5
#: An education wish: an apprentice/trainee ad scores at least EDU_AD_FLOOR, plus the rest by
#: how well its trade matches; an ordinary job in the trade counts EDU_JOB_SHARE of that.
EDU_AD_FLOOR, EDU_JOB_SHARE = 0.45, 0.4
#: A past job (career profile) that an ad matches at least this well is evidence: a reason,
#: and this much added to the ad's score (wishes still decide what is relevant)
EXPERIENCE_MIN, EXPERIENCE_BONUS = 0.5, 0.05
#: At most this many excluded ads are listed (the most relevant first).
EXCLUDED_LIMIT = 100
#: An employer contacted within this many days is marked, so two consultants do not call the
#: same manager twice in a week.
RECENT_CONTACT_DAYS = 7



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


@dataclass
class Relevance:
    """Wish relevance over all ads: the best wish's score, its index, and each wish's parts."""

    best: np.ndarray
    which: np.ndarray
    parts: list[dict[str, np.ndarray]]
    per_wish: list[np.ndarray]


@dataclass
class SuggestResult:
    """What ``suggest`` returns: the profile, ranked vacancies, employers and education
    offers (:mod:`ipsmatch.education`), exclusions."""

    citizen: CitizenProfile
    vacancies: list[Suggestion] = field(default_factory=list)
    employers: list[EmployerSuggestion] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    education: list[EducationSuggestion] = field(default_factory=list)
    #: goals beside the search, e.g. more hours with the current employer
    goals: list[Reason] = field(default_factory=list)


class StoreRows(Sequence[Any]):
    """Vacancies (or employers) by position, read from the store only when asked for.

    A suggestion shows ~20 ads; reading all 100,000 as objects at load costs seconds. The
    positions map to store ids (``Columns.ids``); fetched objects are remembered (bounded)."""

    CACHE = 20_000

    def __init__(self, ids: np.ndarray, fetch: Callable[[list[int]], dict[int, Any]],
                 what: str) -> None:
        self._ids = ids
        self._fetch = fetch
        self._what = what
        self._cache: dict[int, Any] = {}

    def __len__(self) -> int:
        return int(self._ids.shape[0])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self.get_many(range(len(self))[i])
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        return self.get_many([i % n])[0]

    def __iter__(self) -> Iterator[Any]:
        for lo in range(0, len(self), 5000):
            yield from self.get_many(range(lo, min(lo + 5000, len(self))))

    def get_many(self, positions: Iterable[int]) -> list[Any]:
        """The objects at these positions, read in one query for those not cached."""
        pos = [int(p) for p in positions]
        found = {p: self._cache[p] for p in pos if p in self._cache}
        missing = sorted(set(pos) - found.keys())
        if missing:
            got = self._fetch([int(self._ids[p]) for p in missing])
            for p in missing:
                obj = got.get(int(self._ids[p]))
                if obj is None:
                    raise StoreError(f"{self._what} {int(self._ids[p])} is no longer in the "
                                     "database", hint="open the matcher again (the data "
                                     "changed while it was open)")
                found[p] = obj
            if len(self._cache) + len(missing) > self.CACHE:
                self._cache.clear()  # a long-lived matcher must not grow without bound
            self._cache.update((p, found[p]) for p in missing)
        return [found[p] for p in pos]


def _prefetch(rows: Sequence[Any], positions: Iterable[int]) -> None:
    if isinstance(rows, StoreRows):
        rows.get_many(positions)


class Matcher:
    """Ranks vacancies and employers for citizens. Build with :meth:`open` or
    :meth:`from_vacancies`; then call :meth:`suggest` / :meth:`search`."""

    #: the open store of a matcher made by :meth:`open` (shown results are read from it)
    _store: Any = None

    def __init__(self, vacancies: Sequence[Vacancy], employers: Iterable[Employer] = (), *,
                 occupation_matcher: Any = None, encoder: Any = None,
                 index_dir: str | Path | None = None, today: date | None = None,
                 progress: Callable[[str], None] | None = None,
                 contacts: Iterable[Contact] = (),
                 feedback_loader: Callable[[str], list[Feedback]] | None = None,
                 education: Iterable[EducationOffer] = ()) -> None:
        self.education_offers = list(education)
        # What consultants learned at employer contacts becomes facts of the employer's ads
        # (source "contact"), so needs matching and its reasons use it.
        vs = with_contact_facts(vacancies)
        cols, emps = Columns.build(vs, employers)
        self._setup(cols, vs, emps, attr_employers={j: e for j, e in enumerate(emps)
                                                    if e.attributes},
                    overlay=False, docs=_once(lambda: vacancy_docs(vs)),
                    emp_docs=_once(lambda: employer_docs(emps)),
                    occupation_matcher=occupation_matcher, encoder=encoder,
                    index_dir=Path(index_dir) if index_dir else None, today=today,
                    progress=progress, contacts=contacts, feedback_loader=feedback_loader)

    def _setup(self, cols: Columns, vacancies: Sequence[Vacancy], employers: Sequence[Employer],
               *, attr_employers: dict[int, Employer], overlay: bool,
               docs: Callable[[], Iterable[tuple[str, str]]],
               emp_docs: Callable[[], list[tuple[str, str]]],
               occupation_matcher: Any, encoder: Any, index_dir: Path | None,
               today: date | None, progress: Callable[[str], None] | None,
               contacts: Iterable[Contact],
               feedback_loader: Callable[[str], list[Feedback]] | None) -> None:
        self.cols = cols
        #: the ads by position: a list, or rows read from the store on demand
        self.vacancies = vacancies
        self.employers = employers
        #: recent employer contacts, for the "contacted lately" mark on employers
        self.contacts = list(contacts)
        #: citizen id -> that citizen's feedback on earlier suggestions (set by :meth:`open`)
        self.feedback_loader = feedback_loader
        self.occupation_matcher = occupation_matcher
        self.encoder = encoder
        self.today = today
        self._occ_cache: dict[str, list[Any]] = {}
        self._progress = progress
        # (title, folded title + text) per ad, for de-duplication and avoid-terms: all
        # candidates need it, only the shown ones need the whole ad
        if isinstance(vacancies, StoreRows):
            self._texts = StoreRows(cols.ids, self._fetch_texts, "vacancy")
        else:
            vs = vacancies
            self._texts = StoreRows(np.arange(len(vs)), lambda pos: {
                p: (vs[p].title, C.folded_text(vs[p])) for p in pos}, "vacancy")
        self._isco_prefix_cache: dict[str, list[int]] = {}
        self._emp_norm_names: np.ndarray | None = None
        if overlay:
            cols.overlay_contact_facts({j: f for j, e in attr_employers.items()
                                        if (f := employer_contact_facts(e))})
        self._build_arrays()
        self._build_employers(attr_employers)
        self._fit_retrievers(index_dir, docs)
        self._fit_employer_retriever(index_dir, emp_docs)

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def from_vacancies(cls, vacancies: Sequence[Vacancy], employers: Iterable[Employer] = (),
                       occupation_matcher: Any = None, encoder: Any = None, *,
                       today: date | None = None,
                       contacts: Iterable[Contact] = (),
                       education: Iterable[EducationOffer] = ()) -> Matcher:
        """A matcher over in-memory vacancies (library use and tests); no index on disk.
        ``education`` is the catalogue education suggestions come from."""
        return cls(vacancies, employers, occupation_matcher=occupation_matcher,
                   encoder=encoder, today=today, contacts=contacts, education=education)

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
            self = cls.__new__(cls)
            self._store = store
            self.education_offers = store.list_education()
            stamp = store.data_stamp()
            # Employers change without a refresh (contacts, imports): read them every time.
            emps = store.employers_for_matcher()
            try:
                cols = Columns.load(index_dir / "columns", stamp=stamp)
            except IndexError_ as exc:
                log.info("rebuilding the matcher columns: %s", exc)
                if progress is not None:
                    progress("Reading the vacancies (once after the data changed)…")
                cols, _ = Columns.build(store.iter_active_vacancies(), emps)
                # Saved only if no refresh committed while we read; else it is only ours.
                if store.data_stamp() == stamp:
                    cols.save(index_dir / "columns", stamp=stamp)
            cols = cols.with_employers(emps)
            vacancies = StoreRows(cols.ids, self._fetch_vacancies, "vacancy")
            employers = StoreRows(cols.emp_ids, store.employers_by_ids, "employer")
            docs = lambda: self._store_docs(cols, stamp)  # noqa: E731 (streamed, not kept)
            emp_docs = _once(lambda: employer_docs(emps))
            attr = {j: e for j, e in enumerate(emps) if e.attributes}
            contacts = store.list_contacts(
                since=(today or date.today()) - timedelta(days=RECENT_CONTACT_DAYS))
            occ, enc = load_text_models(settings)
            self._setup(cols, vacancies, employers, attr_employers=attr, overlay=True,
                        docs=docs, emp_docs=emp_docs, occupation_matcher=occ, encoder=enc,
                        index_dir=index_dir, today=today, progress=progress,
                        contacts=contacts, feedback_loader=FeedbackLoader(url, store=store))
        except BaseException:
            store.close()
            raise
        return self

    def _store_docs(self, cols: Columns, stamp: str) -> Iterator[tuple[str, str]]:
        """What the retrievers index, streamed from the store for the ads of ``cols``; an
        error at the end if a refresh changed them meanwhile (the fit is then not saved)."""
        n = 0
        for doc in self._store.iter_active_vacancy_docs():
            n += 1
            yield doc
        if n != cols.n or self._store.data_stamp() != stamp:
            raise IndexError_("the vacancies changed while the matcher was loading",
                              hint="run the command again")

    def _fetch_texts(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        return {i: (t, fold(f"{t}\n{x}")) for i, (t, x) in self._store.vacancy_texts(ids).items()}

    def _fetch_vacancies(self, ids: list[int]) -> dict[int, Vacancy]:
        got = self._store.vacancies_by_ids(ids)
        return dict(zip(got, with_contact_facts(got.values()), strict=True))

    def close(self) -> None:
        """Release the database connection of a matcher made by :meth:`open`."""
        store = getattr(self, "_store", None)
        if store is not None:
            store.close()

    def _build_arrays(self) -> None:
        c = self.cols
        self.lat_, self.lon_ = c.lat, c.lon
        self.hmin_, self.hmax_ = c.hmin, c.hmax
        # what each ad's sources say together per fact (ipsmatch.needs.weigh, vectorised)
        self.fact_true_, self.fact_false_, self.fact_conflict_ = fact_states(
            c.fact_true, c.fact_false, c.fact_ask, c.fact_weak)
        self.subsidised_, self.fleksjob_ = c.subsidised, c.fleksjob
        self.posted_, self.deadline_ = c.posted, c.deadline
        # occupations: index into a table of URIs, and (when the taxonomy tells) ISCO groups
        self.occ_uris_ = c.occ_uris
        self._occ_index = {u: j for j, u in enumerate(c.occ_uris)}
        self.occ_idx_ = c.occ_idx
        isco_index: dict[str, int] = {}
        occ_isco = np.full(len(self.occ_uris_) + 1, -1, dtype=np.int64)
        for j, uri in enumerate(self.occ_uris_):
            g = self._isco_key(uri)
            if g:
                occ_isco[j] = isco_index.setdefault(g, len(isco_index))
        self.isco_uris_ = list(isco_index)
        self._isco_index = isco_index
        self.isco_idx_ = occ_isco[self.occ_idx_]  # -1 maps to the sentinel at the end

    def _isco_key(self, uri: str) -> str | None:
        """The ISCO group of an occupation (or of an ISCO concept itself), when known.

        Uses the taxonomy's ``concept(uri).isco``, or an ``isco_group(uri)`` hook.
        """
        om = self.occupation_matcher
        if om is None:
            return None
        hook = getattr(om, "isco_group", None)
        if callable(hook):
            return hook(uri) or None
        concept = getattr(om, "concept", None)
        if callable(concept):
            c = concept(uri)
            return (getattr(c, "isco", None) or None) if c is not None else None
        return None

    def _isco_groups_under(self, key: str | None) -> list[int]:
        """Indices of the vacancies' ISCO groups equal to or inside group ``key``."""
        if not key:
            return []
        hit = self._isco_prefix_cache.get(key)
        if hit is None:
            hit = [g for g, code in enumerate(self.isco_uris_) if code.startswith(key)]
            self._isco_prefix_cache[key] = hit
        return hit

    def _build_employers(self, attr_employers: dict[int, Employer]) -> None:
        c = self.cols
        ne = c.emp_ids.shape[0]
        self.emp_idx_ = c.emp_idx
        self.emp_lat_, self.emp_lon_ = c.emp_lat, c.emp_lon
        valid = self.emp_idx_ >= 0
        self.emp_open_ = np.bincount(self.emp_idx_[valid], minlength=ne)
        # Plain flags (an employer import) take the ranking's table; what consultants learned
        # at contacts ({"value": ..., "date": ...}) takes the job-development weights, so
        # one statement never counts twice. Only employers with attributes have a bonus.
        today = self._today()
        self.emp_bonus_ = np.zeros(ne, dtype=np.float64)
        for j, e in attr_employers.items():
            self.emp_bonus_[j] = (
                sum(b for k, (b, _, _) in R.EMPLOYER_ATTRIBUTE_BONUS.items()
                    if e.attributes.get(k) is True)
                + employer_bonus(e, today=today, open_vacancies=int(self.emp_open_[j]))[0])

    def _fit_employer_retriever(self, index_dir: Path | None,
                                emp_docs: Callable[[], list[tuple[str, str]]]) -> None:
        self.emp_lexical_: LexicalRetriever | None = None
        if self.cols.emp_ids.shape[0]:
            h = self.cols.emp_docs_hash
            self.emp_lexical_ = self._load_or_fit(
                index_dir / "employers" if index_dir else None,
                lambda p: LexicalRetriever.load(p, expected_hash=h),
                lambda: LexicalRetriever().fit(emp_docs(), data_hash_=h),
                f"employer index for {self.cols.emp_ids.shape[0]} employers")

    def _fit_retrievers(self, index_dir: Path | None,
                        docs: Callable[[], Iterable[tuple[str, str]]]) -> None:
        h = self.data_hash_ = self.cols.data_hash
        n = self.cols.n
        self.lexical = self._load_or_fit(
            index_dir / "lexical" if index_dir else None,
            lambda p: LexicalRetriever.load(p, expected_hash=h),
            lambda: LexicalRetriever().fit(docs(), data_hash_=h),
            f"search index for {n} vacancies")
        self.semantic: SemanticRetriever | None = None
        if self.encoder is not None:
            # Titles (+ occupation label) only: with the static encoder, ad bodies are
            # dominated by boilerplate ("vi tilbyder…") and every ad ends up at cosine
            # 0.8-0.9 to every wish (measured on the demo data: sd 0.01 over all ads).
            self.semantic = self._load_or_fit(
                index_dir / "semantic-title" if index_dir else None,
                lambda p: SemanticRetriever.load(p, self.encoder, expected_hash=h),
                lambda: SemanticRetriever(self.encoder).fit([t for t, _ in docs()],
                                                            data_hash_=h),
                f"semantic index for {n} vacancies")

    def _load_or_fit(self, path: Path | None, load: Any, fit: Any, what: str) -> Any:
        if path is not None:
            try:
                return load(path)
            except IndexError_ as exc:
                # A stale or missing index is rebuilt, never used: say so once.
                log.info("rebuilding %s: %s", path, exc)
                if self._progress is not None:
                    self._progress(f"Building the {what} (once after the data changed)…")
        r = fit()
        if path is not None:
            r.save(path)
        return r

    # -- signals -------------------------------------------------------------------------

    def _today(self) -> date:
        return self.today or date.today()

    def _wish_occupations(self, wish: str) -> list[Any]:
        """Occupations for a wish text, remembered for the matcher's life: the query encoder
        is most of a suggest's time, and a team's wishes repeat ("lager", "rengøring")."""
        key = " ".join(wish.casefold().split())
        cached = self._occ_cache.get(key)
        if cached is None:
            cached = list(self.occupation_matcher.match(wish, limit=10))
            if len(self._occ_cache) >= 4096:
                self._occ_cache.pop(next(iter(self._occ_cache)))
            self._occ_cache[key] = cached
        return cached

    def _occupation_credit(self, wish: str, rows: np.ndarray | None = None
                           ) -> np.ndarray | None:
        om = self.occupation_matcher
        if om is None or not self.occ_uris_:
            return None
        try:
            matches = self._wish_occupations(wish)
        except IpsmatchError as exc:
            log.warning("occupation matching failed for a wish: %s", exc)
            return None
        occ_table = np.zeros(len(self.occ_uris_) + 1, dtype=np.float64)  # last: no occupation
        isco_table = np.zeros(len(self.isco_uris_) + 1, dtype=np.float64)
        best = max((float(m.score) for m in matches), default=0.0)
        for m in matches:
            score = float(np.clip(m.score, 0.0, 1.0))
            # The tail of the ranked list is not what the wish means: "dyrepasser"'s 10th
            # match "dyrehandler" must not make every shop job (its ISCO group) relevant.
            if score < OCC_TAIL_CUT * best:
                continue
            if getattr(m, "kind", "occupation") != "isco":
                j = self._occ_index.get(m.uri)
                if j is not None:
                    occ_table[j] = max(occ_table[j], score)
            # Same ISCO unit group, or inside a wished minor group: partial credit. Broader
            # groups ("2 Akademisk arbejde") say too little about the job to count.
            key = self._isco_key(m.uri)
            depth = sum(ch.isdigit() for ch in key) if key else 0
            share = ISCO_CREDIT if depth >= 4 else ISCO_MINOR_CREDIT if depth == 3 else 0.0
            if share and score >= ISCO_SPREAD_CUT * best:
                for g in self._isco_groups_under(key):
                    isco_table[g] = max(isco_table[g], share * score)
        return np.maximum(occ_table[_sub(self.occ_idx_, rows)],
                          isco_table[_sub(self.isco_idx_, rows)])

    def _wish_parts(self, wish: str, rows: np.ndarray | None = None
                    ) -> dict[str, np.ndarray]:
        parts: dict[str, np.ndarray] = {}
        occ = self._occupation_credit(wish, rows)
        if occ is not None:
            parts["occupation"] = occ
        parts["text"] = np.minimum(1.0, _sub(self.lexical.score_all(wish), rows)
                                   / LEX_SATURATION)
        if self.semantic is not None:
            # z-score over ALL ads (whatever the rows), from the distinct texts and their
            # counts: a wish's cosine is judged against the whole corpus.
            cos_u = self.semantic.score_distinct(wish).astype(np.float64)
            counts = self.semantic.counts_
            n = float(counts.sum()) or 1.0
            mean = float(counts @ cos_u) / n
            sd = float(np.sqrt(max(0.0, float(counts @ (cos_u * cos_u)) / n - mean * mean)))
            cos = cos_u[_sub(self.semantic.inverse_, rows)]
            z = (cos - mean) / sd if sd > 1e-9 else np.zeros_like(cos)
            parts["semantic"] = np.clip((z - SEM_Z_FLOOR) / SEM_Z_SPAN, 0.0, 1.0)
        return parts

    def _relevance(self, wishes: Sequence[str], rows: np.ndarray | None = None) -> Relevance:
        """Best wish relevance per ad (of ``rows``, default all), which wish it was, and
        each wish's parts."""
        n = len(self.vacancies) if rows is None else len(rows)
        best = np.zeros(n, dtype=np.float64)
        which = np.zeros(n, dtype=np.int64)
        all_parts, per_wish = [], []
        for w_i, wish in enumerate(wishes):
            is_edu, _, subject = education_terms(wish)
            if is_edu:
                # "elevplads", "uddannelse som kok": apprentice and trainee ads answer the
                # education part, the trade ("kok") is matched on its own; a job in the
                # trade answers only part of the wish, a place in another trade little.
                edu = _sub(self.cols.education, rows).astype(np.float64)
                parts = self._wish_parts(subject, rows) if subject else {}
                rel_s = R.combine_wish(list(parts.values())) if parts else np.ones(n)
                rel = np.where(edu > 0, EDU_AD_FLOOR + (1 - EDU_AD_FLOOR) * rel_s,
                               EDU_JOB_SHARE * rel_s if parts else 0.0)
                parts = {"education": edu, **parts}
            else:
                parts = self._wish_parts(wish, rows)
                rel = R.combine_wish(list(parts.values()))
            all_parts.append(parts)
            per_wish.append(rel)
            better = rel > best
            best = np.where(better, rel, best)
            which = np.where(better, w_i, which)
        return Relevance(best, which, all_parts, per_wish)

    def _filters_and_signals(self, c: C.Criteria, rows: np.ndarray | None = None
                             ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray,
                                        np.ndarray]:
        """(excluded mask, signals, distance km, minutes) for every vacancy of ``rows``."""
        n = len(self.vacancies) if rows is None else len(rows)
        excluded = np.zeros(n, dtype=bool)
        signals: dict[str, np.ndarray] = {}
        dist = np.full(n, np.nan)
        minutes = np.full(n, np.nan)
        if c.origin is not None:
            dist = haversine_km(_sub(self.lat_, rows), _sub(self.lon_, rows), *c.origin)
            cm = C.commute(dist, c)
            minutes = cm.minutes
            excluded |= cm.excluded
            signals["commute"] = C.commute_fit(minutes, c.max_minutes)
        if c.has_hours:
            part_time = _sub(self.fact_true_[FACT_INDEX["part_time_possible"]], rows)
            hmin, hmax = _sub(self.hmin_, rows), _sub(self.hmax_, rows)
            signals["hours"] = C.hours_fit(hmin, hmax, c.hours_min, c.hours_max, part_time)
        must_excl, credit = self._musts(c, rows)
        excluded |= must_excl
        if credit is not None:
            signals["needs"] = C.needs_fit_value(credit, len(c.needs))
        today = self._today().toordinal()
        signals["freshness"] = C.freshness(today - _sub(self.posted_, rows),
                                           _sub(self.deadline_, rows) - today)
        return excluded, signals, dist, minutes

    def _musts(self, c: C.Criteria, rows: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray | None]:
        """(excluded by a must-have other than the commute, needs credit or None): hours
        marked must, work conditions, must-needs; the credit counts met needs and broken
        preferences."""
        n = len(self.vacancies) if rows is None else len(rows)
        excluded = np.zeros(n, dtype=bool)
        if c.has_hours and c.hours_must:
            cat = C.hours_category(_sub(self.hmin_, rows), _sub(self.hmax_, rows),
                                   c.hours_min, c.hours_max)
            excluded |= cat == C.H_OVER
        if c.check_conditions:
            if not c.accept_subsidised:
                excluded |= _sub(self.subsidised_, rows)
            if not c.fleksjob_approved:
                excluded |= _sub(self.fleksjob_, rows)
        credit = None
        if c.needs:
            credit = np.zeros(n, dtype=np.float64)
            for need in c.needs:
                violated, satisfied = self._need_masks(need, rows)
                if need.must:
                    excluded |= violated
                else:
                    credit -= violated
                credit += satisfied
        return excluded, credit

    def _need_masks(self, need: Need, rows: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
        nd = need_def(need.code)
        n = len(self.vacancies) if rows is None else len(rows)
        violated = np.zeros(n, dtype=bool)
        satisfied = np.zeros(n, dtype=bool)
        conflict = np.zeros(n, dtype=bool)
        for key, value in nd.violated_by:
            violated |= _sub((self.fact_true_ if value else self.fact_false_)[FACT_INDEX[key]],
                             rows)
        for key, value in nd.satisfied_by:
            satisfied |= _sub((self.fact_true_ if value else self.fact_false_)[
                FACT_INDEX[key]], rows)
        for key, _ in (*nd.violated_by, *nd.satisfied_by):
            conflict |= _sub(self.fact_conflict_[FACT_INDEX[key]], rows)
        # as ipsmatch.needs.need_state: a violation wins, then a conflict (never a pass)
        return violated, satisfied & ~violated & ~conflict

    def _folded(self, i: int) -> str:
        """The ad's title and text as avoid-terms are matched in (C.folded_text)."""
        return str(self._texts[i][1])

    def _avoid_counts(self, avoid: Sequence[str], cand: np.ndarray) -> np.ndarray:
        """Avoid-term hits per candidate: a stated mapped fact, else the term in the text."""
        counts = np.zeros(len(cand), dtype=np.int64)
        for term in avoid:
            key = C.AVOID_FACTS.get(C.fold(term))
            fact_hit = (self.fact_true_[FACT_INDEX[key]][cand] if key
                        else np.zeros(len(cand), dtype=bool))
            rx = C.term_regex(term)
            text_hit = np.array([not fh and rx.search(self._folded(i)) is not None
                                 for i, fh in zip(cand.tolist(), fact_hit.tolist(),
                                                  strict=True)], dtype=bool)
            counts += fact_hit | text_hit
        return counts

    def _avoid_fact_hits(self, avoid: Sequence[str], rows: np.ndarray | None = None
                         ) -> np.ndarray:
        hits = np.zeros(len(self.vacancies) if rows is None else len(rows), dtype=np.int64)
        for term in avoid:
            key = C.AVOID_FACTS.get(C.fold(term))
            if key:
                hits += _sub(self.fact_true_[FACT_INDEX[key]], rows)
        return hits

    # -- suggest -------------------------------------------------------------------------

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
        rows = None if include_excluded else self._reach_rows(crit, employers=True)
        relevance = self._relevance(p.wishes, rows) if p.wishes and self.vacancies else None
        if self.vacancies:
            result.vacancies, result.excluded = self._rank(
                crit, p.wishes, relevance, limit=limit, per_employer=per_employer,
                include_excluded=include_excluded, search=False, feedback=fx, rows=rows,
                profile=p, experience=self._experience(p, rows))
            if fx is not None:  # nothing left to hide: this adds the "Ansøgt 12/11" marks
                result.vacancies, _ = apply_feedback(result.vacancies, fx)
        result.employers = self._rank_employers(crit, p.wishes, relevance, limit=limit,
                                                feedback=fx, rows=rows)
        if self.education_offers:
            occ = self.occupation_matcher
            result.education = suggest_education(
                p, self.education_offers, today=self._today(),
                occupations=self._wish_occupations if occ is not None else None,
                limit=min(limit, 10))
        return result

    def _experience(self, p: CitizenProfile, rows: np.ndarray | None
                    ) -> tuple[np.ndarray, np.ndarray] | None:
        """How well each ad matches the citizen's past jobs (career profile), and which one:
        the same relevance a wish gets, with the past job's title as the wish."""
        if p.career is None or not p.career.work_history:
            return None
        titles = [w.title for w in p.career.work_history]
        rel = self._relevance(titles, rows)
        return rel.best, rel.which

    def _reach_rows(self, c: C.Criteria, *, employers: bool) -> np.ndarray | None:
        """The ads worth scoring for a commute limit: those inside a box around the home that
        holds every point within reach, those with no known place, and (``employers``) every
        ad of an employer placed in that box. None (= all ads) when there is no limit or the
        box holds most ads anyway. Everything outside would be excluded by the commute
        limit, so results are the same; a suggestion at 1M ads scores a few per cent."""
        if c.origin is None:
            return None
        if c.max_minutes is not None:  # the band's low end at the limit (C.commute)
            km = reach_km(c.max_minutes, c.mode)
        elif c.max_km is not None and not employers:  # employers are limited by minutes only
            km = c.max_km
        else:
            return None
        inside = _in_box(self.lat_, self.lon_, c.origin, km)
        if employers and self.emp_lat_.size:
            emp_in = _in_box(self.emp_lat_, self.emp_lon_, c.origin, km)
            has = self.emp_idx_ >= 0
            inside[has] |= emp_in[self.emp_idx_[has]]
        if not inside.size or inside.mean() > REACH_MAX_SHARE:
            return None
        return np.flatnonzero(inside)

    def search(self, text: str, *, near: str | None = None, within_km: float | None = None,
               max_hours: float | None = None, needs: Sequence[str] = (), limit: int = 20
               ) -> list[Suggestion]:
        """Free-text vacancy search without a profile; ``needs`` are must-needs."""
        if not text.strip():
            raise UsageError("the search text is empty")
        if len(text) > limits.MAX_QUERY_CHARS:
            raise UsageError(f"the search text is {len(text):,} characters; at most "
                             f"{limits.MAX_QUERY_CHARS}", hint="search with a few words")
        from ipsmatch.privacy import assert_no_cpr

        assert_no_cpr(text, "search")  # ipsmatch never matches on CPR numbers
        origin = None
        if near is not None:
            info = postcode_info(near)
            if info is None:
                raise UsageError(f"{near!r} is not a known Danish postcode",
                                 hint="give a four-digit postcode, e.g. 9400")
            origin = info.point
        elif within_km is not None:
            raise UsageError("--within-km needs --near POSTCODE")
        for code in needs:
            if code not in NEEDS:
                raise UsageError(f"unknown need {code!r}", hint=f"use one of: {', '.join(NEEDS)}")
        crit = C.Criteria(origin=origin, mode="car", max_km=within_km, hours_max=max_hours,
                          hours_must=max_hours is not None,
                          needs=[Need(code) for code in needs], check_conditions=False)
        if not self.vacancies:
            return []
        with _one_blas_thread():
            rows = self._reach_rows(crit, employers=False)
            found, _ = self._rank(crit, [text], self._relevance([text], rows), limit=limit,
                                  per_employer=limit, include_excluded=False, search=True,
                                  rows=rows)
        return found

    def _rank(self, crit: C.Criteria, wishes: Sequence[str], relevance: Relevance | None, *,
              limit: int, per_employer: int, include_excluded: bool, search: bool,
              feedback: FeedbackEffects | None = None, rows: np.ndarray | None = None,
              profile: CitizenProfile | None = None,
              experience: tuple[np.ndarray, np.ndarray] | None = None
              ) -> tuple[list[Suggestion], list[Excluded]]:
        """Rank the ads of ``rows`` (default all). Arrays here are indexed by position in
        ``rows`` ("local"); ``glob`` turns positions into ad indices."""
        def glob(local: np.ndarray) -> np.ndarray:
            return local if rows is None else rows[local]

        n = len(self.vacancies) if rows is None else len(rows)
        excluded, signals, _, _ = self._filters_and_signals(crit, rows)
        hidden = np.zeros(n, dtype=bool)
        if feedback is not None:  # what the consultant said no to for this citizen
            hidden = _sub(self._hidden_mask(feedback), rows)
            excluded = excluded | hidden
        if wishes and relevance is not None:
            rel, which, parts = relevance.best, relevance.which, relevance.parts
            signals["wish"] = rel
            relevant = rel >= MIN_RELEVANCE
        else:
            rel = np.zeros(n)
            which = np.zeros(n, dtype=np.int64)
            parts = []
            relevant = np.ones(n, dtype=bool)
        avoid_facts = self._avoid_fact_hits(crit.avoid, rows)
        fused = R.fuse(signals, avoid_hits=avoid_facts)
        past = (experience[0] >= EXPERIENCE_MIN) if experience is not None else None
        if past is not None:
            fused = fused + EXPERIENCE_BONUS * past
        eligible = relevant & ~excluded
        cand = R.top_k(fused, max(CANDIDATE_MIN, CANDIDATE_FACTOR * limit), eligible)

        today = self._today()
        self._texts.get_many(glob(cand).tolist())  # one query for all candidates
        # Avoid-terms in the text are checked on the candidates only (facts were vectorised).
        hits = self._avoid_counts(crit.avoid, glob(cand)) if crit.avoid else np.zeros(len(cand))
        sig_c = {k: s[cand] for k, s in signals.items()}
        final = R.fuse(sig_c, avoid_hits=hits)
        if past is not None:
            final = final + EXPERIENCE_BONUS * past[cand]
        rank = np.lexsort((cand, -final))
        cand, final, hits = cand[rank], final[rank], hits[rank]
        # The same job posted twice (two feeds, a re-post) is shown once: the best copy.
        seen: set[tuple[Any, str]] = set()
        keep = []
        for pos, i in enumerate(glob(cand).tolist()):
            same = (self._emp_key(i), fold(self._texts[i][0]).strip())
            if same not in seen:
                seen.add(same)
                keep.append(pos)
        cand, final, hits = cand[keep], final[keep], hits[keep]
        gcand = glob(cand)
        emp_keys = [self._emp_key(i) for i in gcand.tolist()]
        occ_keys = [int(o) if o >= 0 else None for o in self.occ_idx_[gcand].tolist()]
        order = R.diversify(list(range(len(cand))), emp_keys, occ_keys,
                            per_employer=per_employer)

        out: list[Suggestion] = []
        # The shown ads as whole objects, in one query (a few spare: the reference check
        # below may still drop one).
        _prefetch(self.vacancies, [int(gcand[pos]) for pos in order[:limit + 5]])
        for pos in order:
            if len(out) >= limit:
                break
            li, i, score = int(cand[pos]), int(gcand[pos]), float(final[pos])
            # The per-vacancy reference writes the reasons and re-checks every must-have.
            ev = C.evaluate(self.vacancies[i], crit, today=today,
                            hay=self._folded(i) if crit.avoid else None)
            if ev.excluded:
                log.warning("vacancy %s excluded by the reference check only",
                            self.vacancies[i].external_id)
                continue
            sig = {k: round(float(s[li]), 4) for k, s in signals.items()}
            reasons: list[Reason] = []
            if wishes:
                w = int(which[li])
                reasons.append(self._wish_reason(i, wishes, w, {
                    name: float(arr[li]) for name, arr in parts[w].items()}, search))
                for name, arr in parts[w].items():
                    sig[f"wish.{name}"] = round(float(arr[li]), 4)
            if hits[pos]:
                sig["avoid_hits"] = float(hits[pos])
            concerns = list(ev.concerns)
            if profile is not None:  # the career profile and certificates as evidence
                v = self.vacancies[i]
                if past is not None and experience is not None and past[li]:
                    reasons.append(past_job_reason(profile, int(experience[1][li])))
                    sig["experience"] = round(float(experience[0][li]), 4)
                met, lacking = certificate_reasons(profile, v)
                reasons += met
                concerns += lacking
                step = hours_goal_reason(profile, v)
                if step is not None:
                    reasons.append(step)
            kind = education_kind(self.vacancies[i].title, self.vacancies[i].text)
            if kind is not None:  # shown as education, before the other reasons
                reasons.insert(0, make_reason("education", "education.ad", ad_kind=kind,
                                              label_da=AD_KINDS[kind][0],
                                              label_en=AD_KINDS[kind][1]))
            out.append(Suggestion(vacancy=self.vacancies[i], score=round(score, 4), signals=sig,
                                  distance_km=ev.distance_km, commute_minutes=ev.commute_minutes,
                                  reasons=reasons + ev.reasons, concerns=concerns,
                                  commute_low=ev.commute_low, commute_high=ev.commute_high))
        excl: list[Excluded] = []
        if include_excluded:
            shown = excluded & relevant
            top_l = R.top_k(rel if wishes else fused, EXCLUDED_LIMIT, shown)
            top = glob(top_l).tolist()
            _prefetch(self.vacancies, top)
            for li, i in zip(top_l.tolist(), top, strict=True):
                v = self.vacancies[i]
                why = feedback.hidden_reason(v) if feedback is not None and hidden[li] else None
                reasons = ([feedback_reason(why)] if why is not None
                           else C.evaluate(v, crit, today=today).exclusions)
                excl.append(Excluded(vacancy=v, reasons=reasons))
        return out, excl

    def _emp_key(self, i: int) -> Any:
        """The ad's employer for diversification; an ad without one is its own."""
        j = int(self.emp_idx_[i])
        return j if j >= 0 else f"ad:{i}"

    def _hidden_mask(self, fx: FeedbackEffects) -> np.ndarray:
        """Ads the citizen's feedback hides: those of rejected employers, and those the
        feedback names (checked one by one, with the exact rule, as they are few)."""
        n = len(self.vacancies)
        hidden = np.zeros(n, dtype=bool)
        rejected = self._employers_hidden(fx)
        if rejected.any():
            valid = self.emp_idx_ >= 0
            hidden[valid] = rejected[self.emp_idx_[valid]]
        named = []
        for src, ext in fx.by_vacancy:
            if src in self.cols.sources:
                s_i = self.cols.sources.index(src)
                named += np.flatnonzero((self.cols.external_id == ext)
                                        & (self.cols.source_idx == s_i)).tolist()
        _prefetch(self.vacancies, named)
        for i in named:
            hidden[i] = fx.is_hidden(self.vacancies[i])
        return hidden

    def _employers_hidden(self, fx: FeedbackEffects) -> np.ndarray:
        """Employers the citizen said no to (by CVR, or by name when the CVR does not
        say it is another employer), without reading every employer record."""
        c = self.cols
        maybe = np.zeros(c.emp_ids.shape[0], dtype=bool)
        for cvr in fx.employer_cvrs:
            maybe |= c.emp_cvr == cvr
        if fx.employer_names:
            if self._emp_norm_names is None:
                self._emp_norm_names = _strings_normalised(c.emp_name)
            for name in fx.employer_names:
                maybe |= self._emp_norm_names == name
        out = np.zeros_like(maybe)
        for j in np.flatnonzero(maybe).tolist():
            out[j] = fx.employer_rejection(str(c.emp_cvr[j]) or None,
                                           str(c.emp_name[j]) or None) is not None
        return out

    def _wish_reason(self, i: int, wishes: Sequence[str], w: int, p: dict[str, float],
                     search: bool) -> Reason:
        """Why ad ``i`` matches wish ``w``, from that wish's signal parts ``p`` for the ad."""
        v = self.vacancies[i]
        best = max(p, key=p.__getitem__) if p else "text"
        wish = wishes[w]
        if search:
            return make_reason("wish", "search.match", wish=wish, signal=best)
        if p.get(best, 0.0) <= 0:
            return make_reason("wish", "wish.none")
        is_edu, _, subject = education_terms(wish)
        if is_edu and p.get("education", 0.0) > 0:
            kind = education_kind(v.title, v.text) or "elev"
            return make_reason("wish", "wish.education", wish=wish, ad_kind=kind,
                               label_da=AD_KINDS[kind][0], label_en=AD_KINDS[kind][1])
        # A concept match names the occupation, which reads better than "words in the ad".
        if best == "occupation" or p.get("occupation", 0.0) >= OCCUPATION_REASON_MIN:
            # Credit through the ISCO group only ("same line of work") is said as such.
            exact = self.occupation_matcher is None or v.occupation_uri in {
                m.uri for m in self._wish_occupations(subject if is_edu else wish)}
            code = "wish.occupation" if exact else "wish.occupation_group"
            confidence = min(p.get("occupation", 0.0) / (1.0 if exact else ISCO_CREDIT),
                             v.occupation_confidence if v.occupation_confidence is not None
                             else 1.0)
            if self.occupation_matcher is not None and confidence < WEAK_WISH_MATCH:
                code += "_weak"
            return make_reason("wish", code, wish=wish, label=v.occupation_label or v.title,
                               signal=best)
        if best == "semantic":
            return make_reason("wish", "wish.semantic", wish=wish, signal=best)
        title = fold(v.title)
        if any(strip_head(w) in title for w in words(wish)):
            return make_reason("wish", "wish.title", wish=wish, label=v.title, signal=best)
        return make_reason("wish", "wish.text", wish=wish, signal=best)

    # -- employers (job development) -----------------------------------------------------

    def _rank_employers(self, crit: C.Criteria, wishes: Sequence[str],
                        relevance: Relevance | None, *, limit: int,
                        feedback: FeedbackEffects | None = None,
                        rows: np.ndarray | None = None) -> list[EmployerSuggestion]:
        """Employers to visit, with or without open vacancies (see ranking.EMPLOYER_*)."""
        ne = len(self.employers)
        if ne == 0:
            return []
        signals: dict[str, np.ndarray] = {}
        fit = np.zeros(ne)
        n_match = np.zeros(ne, dtype=np.int64)
        best_wish = np.zeros(ne, dtype=np.int64)
        industry_fit = np.zeros(ne)
        # rows (when given) hold every ad of each employer within reach: exact fit for them
        emp_idx = _sub(self.emp_idx_, rows)
        # An employer is never ranked on ads the citizen's must-haves exclude (#13): the
        # needs, hours and conditions, and the commute to the ad's workplace.
        ad_ok = ~self._filters_and_signals(crit, rows)[0]
        if wishes:
            for w_i, wish in enumerate(wishes):
                rel = relevance.per_wish[w_i] if relevance is not None else np.zeros(0)
                ads = np.zeros(ne)
                valid = (emp_idx >= 0) & (rel >= MIN_RELEVANCE) & ad_ok if rel.size else \
                    np.zeros(0, dtype=bool)
                np.maximum.at(ads, emp_idx[valid], rel[valid])
                cnt = np.bincount(emp_idx[valid], minlength=ne)
                ind = np.zeros(ne)
                if self.emp_lexical_ is not None:
                    ind = 0.8 * np.minimum(1.0, self.emp_lexical_.score_all(wish)
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
        emp_cm = None
        if crit.origin is not None:
            dist = haversine_km(self.emp_lat_, self.emp_lon_, *crit.origin)
            emp_cm = C.commute(dist, crit, by_km=False)
            minutes = emp_cm.minutes
            excluded |= emp_cm.excluded
            signals["commute"] = C.commute_fit(minutes, crit.max_minutes)
        score = R.fuse(signals, weights=R.EMPLOYER_WEIGHTS)
        bonus = self.emp_bonus_
        score = np.clip(score + bonus, 0.0, 1.0)
        if feedback is not None:  # employers the citizen said no to
            excluded |= self._employers_hidden(feedback)
        eligible = ~excluded & ((fit >= MIN_RELEVANCE) if wishes else True)
        out: list[EmployerSuggestion] = []
        top = R.top_k(score, limit, np.asarray(eligible, dtype=bool)).tolist()
        _prefetch(self.employers, top)
        for j in top:
            e = self.employers[j]
            reasons: list[Reason] = []
            if wishes and n_match[j] > 0 and relevance is not None:
                rel = relevance.per_wish[int(best_wish[j])]
                mine = np.flatnonzero((emp_idx == j) & (rel >= MIN_RELEVANCE) & ad_ok)
                best = mine[np.argsort(-rel[mine], kind="stable")][:2]
                titles = ", ".join(f"'{self._texts[int(i if rows is None else rows[i])][0]}'"
                                   for i in best.tolist())
                reasons.append(make_reason("employer", "employer.occupation", n=int(n_match[j]),
                                           wish=wishes[int(best_wish[j])], titles=titles))
            if wishes and industry_fit[j] >= MIN_RELEVANCE and e.industry:
                reasons.append(make_reason("employer", "employer.industry",
                                           industry=e.industry,
                                           wish=wishes[int(best_wish[j])]))
            if not np.isnan(dist[j]):
                band: dict[str, Any] = {}
                if emp_cm is not None and emp_cm.status[j] == CHECK:
                    band = {"low": float(emp_cm.low[j]), "high": float(emp_cm.high[j]),
                            "max": crit.max_minutes}
                reasons.append(make_reason(
                    "employer", "employer.distance_check" if band else "employer.distance",
                    km=float(dist[j]), minutes=float(minutes[j]), mode=crit.mode, **band))
            n_open = int(self.emp_open_[j])
            open_code = "employer.open_one" if n_open == 1 else "employer.open"
            reasons.append(make_reason("employer", open_code, n=n_open) if n_open
                           else make_reason("employer", "employer.no_open"))
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
                    is_temp_agency(None, t) for t in self._employer_ad_texts(j))):
                concerns.append(make_reason("employer", "employer.temp_agency", name=e.name))
            sig = {k: round(float(s[j]), 4) for k, s in signals.items()}
            if bonus[j]:
                sig["attributes"] = round(float(bonus[j]), 4)
            out.append(EmployerSuggestion(
                employer=e, score=round(float(score[j]), 4), signals=sig,
                distance_km=None if np.isnan(dist[j]) else float(dist[j]),
                open_vacancies=n_open, reasons=reasons, concerns=concerns,
                contact=self._employer_contact(j) if n_open else None))
        return out

    def _employer_ads(self, j: int, most: int = 5) -> list[int]:
        """A few of employer ``j``'s open ads (positions)."""
        return np.flatnonzero(self.emp_idx_ == j)[:most].tolist()

    def _employer_ad_texts(self, j: int) -> list[str]:
        return [str(self._texts[i][1]) for i in self._employer_ads(j)]

    def _employer_contact(self, j: int) -> dict[str, str] | None:
        """The contact details the employer's ads give (the first ad with a contact person,
        else the first with any); None when none gives any."""
        ads = self._employer_ads(j)
        _prefetch(self.vacancies, ads)
        found = [c for i in ads if (c := self.vacancies[i].contact)]
        return next((c for c in found if c.get("person")), found[0] if found else None)


# -- integration with the store and the text models (built in other modules) ------------------

def open_store(url: str) -> Any:
    """``ipsmatch.store.Store.open(url)``; StoreError if the store is not in this build."""
    try:
        from ipsmatch.store import Store
    except ImportError as exc:
        raise StoreError("the database store is not available in this build",
                         hint="use --profile FILE with a fixtures matcher") from exc
    return Store.open(url)


class FeedbackLoader:
    """Reads a citizen's stored feedback, keeping one store (engine) open for the matcher's
    life: opening a store checks the schema, ~20 ms per suggest otherwise."""

    def __init__(self, url: str, *, store: Any = None) -> None:
        self.url = url
        self._store: Any = store

    def __call__(self, citizen_id: str) -> list[Feedback]:
        if self._store is None:
            self._store = open_store(self.url)
        return list(self._store.feedback_for(citizen_id))


def _sub(a: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """``a`` over the ads of ``rows`` (all ads when None)."""
    return a if rows is None else a[..., rows]


def _in_box(lat: np.ndarray, lon: np.ndarray, origin: tuple[float, float], km: float
            ) -> np.ndarray:
    """Points inside a lat/lon box holding every point within ``km`` (great circle) of
    ``origin``, plus points with no known place (those are never excluded by distance)."""
    r = (km * 1.01 + 0.05) / 6371.0088  # angular radius, with a margin for rounding
    lat0, lon0 = origin
    dlat = np.degrees(r)
    c = np.cos(np.radians(lat0))
    dlon = 180.0 if r >= np.pi / 2 or np.sin(r) >= c else np.degrees(np.arcsin(np.sin(r) / c))
    dl = np.abs(lon - lon0)
    dl = np.minimum(dl, 360.0 - dl)
    with np.errstate(invalid="ignore"):
        inside = (np.abs(lat - lat0) <= dlat) & (dl <= dlon)
    return inside | np.isnan(lat) | np.isnan(lon)


def _strings_normalised(names: np.ndarray) -> np.ndarray:
    from ipsmatch.identity import name_key as normalise_name

    return np.array([normalise_name(str(x)) for x in names.tolist()], dtype=np.str_) \
        if names.size else np.zeros(0, dtype="<U1")


def load_text_models(settings: Any) -> tuple[Any, Any]:
    """(occupation matcher, encoder), each None when not installed or switched off."""
    semantic = getattr(settings, "semantic", "auto")
    occ = enc = None
    try:
        from ipsmatch.taxonomy import OccupationMatcher

        occ = OccupationMatcher.load(semantic=semantic)
    except (ImportError, IpsmatchError) as exc:
        log.info("no occupation signal: %s", exc)
    if semantic != "off":
        try:
            from ipsmatch.text.embed import get_encoder

            enc = get_encoder(getattr(settings, "model_dir", None))
        except (ImportError, IpsmatchError) as exc:
            log.info("no semantic signal: %s", exc)
    return occ, enc
