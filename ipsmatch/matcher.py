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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ipsmatch import constraints as C
from ipsmatch import ranking as R
from ipsmatch.commute import commute_minutes, haversine_km
from ipsmatch.domain import (
    FACT_KEYS,
    SCHEDULE_KEYS,
    CitizenProfile,
    Employer,
    EmployerSuggestion,
    Excluded,
    Need,
    Reason,
    Suggestion,
    Vacancy,
)
from ipsmatch.errors import IndexError_, IpsmatchError, StoreError, UsageError
from ipsmatch.explain import make_reason
from ipsmatch.geo import postcode_info
from ipsmatch.jobdev import Contact, Feedback, FeedbackEffects, apply_feedback, feedback_effects
from ipsmatch.jobdev.attributes import recent_contact_reason, recently_contacted
from ipsmatch.jobdev.feedback import feedback_reason
from ipsmatch.jobdev.matching import employer_bonus, with_contact_facts
from ipsmatch.needs import NEEDS, need_def
from ipsmatch.profile import as_profile
from ipsmatch.retrieval.base import data_hash
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
#: A citizen with wishes only sees ads at least this relevant to one of them.
MIN_RELEVANCE = 0.15
#: A wish's occupation matches below this share of its best match give no credit, and only
#: those within ISCO_SPREAD_CUT of the best spread partial credit to their ISCO group.
OCC_TAIL_CUT, ISCO_SPREAD_CUT = 0.7, 0.85
#: Vacancies scored in detail per suggestion (enough for diversification to find others).
CANDIDATE_FACTOR, CANDIDATE_MIN = 4, 60
#: At most this many excluded ads are listed (the most relevant first).
EXCLUDED_LIMIT = 100
#: An employer contacted within this many days is marked, so two consultants do not call the
#: same manager twice in a week.
RECENT_CONTACT_DAYS = 7

_FACT_INDEX = {k: i for i, k in enumerate(FACT_KEYS)}


@dataclass
class Relevance:
    """Wish relevance over all ads: the best wish's score, its index, and each wish's parts."""

    best: np.ndarray
    which: np.ndarray
    parts: list[dict[str, np.ndarray]]
    per_wish: list[np.ndarray]


@dataclass
class SuggestResult:
    """What ``suggest`` returns: the profile, ranked vacancies and employers, exclusions."""

    citizen: CitizenProfile
    vacancies: list[Suggestion] = field(default_factory=list)
    employers: list[EmployerSuggestion] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)


def employer_key(e: Employer | None) -> str | None:
    """Identity of an employer: its CVR number, else its folded name; None if unknown."""
    if e is None:
        return None
    if e.cvr:
        return f"cvr:{e.cvr.strip()}"
    return f"name:{fold(e.name).strip()}" if e.name and e.name.strip() else None


def _point(lat: float | None, lon: float | None, postcode: str | None) -> tuple[float, float]:
    if lat is not None and lon is not None:
        return float(lat), float(lon)
    info = postcode_info(postcode) if postcode else None
    return info.point if info else (np.nan, np.nan)


def _date_ord(d: date | None) -> float:
    return float(d.toordinal()) if d else np.nan


class Matcher:
    """Ranks vacancies and employers for citizens. Build with :meth:`open` or
    :meth:`from_vacancies`; then call :meth:`suggest` / :meth:`search`."""

    def __init__(self, vacancies: Sequence[Vacancy], employers: Iterable[Employer] = (), *,
                 occupation_matcher: Any = None, encoder: Any = None,
                 index_dir: str | Path | None = None, today: date | None = None,
                 progress: Callable[[str], None] | None = None,
                 contacts: Iterable[Contact] = (),
                 feedback_loader: Callable[[str], list[Feedback]] | None = None) -> None:
        # What consultants learned at employer contacts becomes facts of the employer's ads
        # (source "contact"), so needs matching and its reasons use it.
        self.vacancies = with_contact_facts(vacancies)
        #: recent employer contacts, for the "contacted lately" mark on employers
        self.contacts = list(contacts)
        #: citizen id -> that citizen's feedback on earlier suggestions (set by :meth:`open`)
        self.feedback_loader = feedback_loader
        self.occupation_matcher = occupation_matcher
        self.encoder = encoder
        self.today = today
        self._occ_cache: dict[str, list[Any]] = {}
        self._progress = progress
        self._folded_cache: dict[int, str] = {}
        self._isco_prefix_cache: dict[str, list[int]] = {}
        self._build_arrays()
        self._build_employers(employers)
        self._fit_retrievers(Path(index_dir) if index_dir else None)
        self._fit_employer_retriever(Path(index_dir) if index_dir else None)

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def from_vacancies(cls, vacancies: Sequence[Vacancy], employers: Iterable[Employer] = (),
                       occupation_matcher: Any = None, encoder: Any = None, *,
                       today: date | None = None,
                       contacts: Iterable[Contact] = ()) -> Matcher:
        """A matcher over in-memory vacancies (library use and tests); no index on disk."""
        return cls(vacancies, employers, occupation_matcher=occupation_matcher,
                   encoder=encoder, today=today, contacts=contacts)

    @classmethod
    def open(cls, db_url: str | None = None, *, settings: Any = None,
             progress: Callable[[str], None] | None = None) -> Matcher:
        """Load active vacancies and employers from the store; load or rebuild the indexes.

        The lexical/semantic indexes live under the data dir, one per database, and are
        rebuilt when the store's data no longer matches their manifest (``progress`` is told,
        as that takes a while on a large database).
        """
        from ipsmatch.config import Settings, default_data_dir

        settings = settings or Settings.load(db=db_url)
        url = db_url or settings.db
        store = open_store(url)
        try:
            vacancies = list(store.iter_active_vacancies())
            employers = list(store.list_employers())
            today = getattr(settings, "today", None)
            contacts = store.list_contacts(
                since=(today or date.today()) - timedelta(days=RECENT_CONTACT_DAYS))
        finally:
            close = getattr(store, "close", None)
            if callable(close):
                close()
        occ, enc = load_text_models(settings)
        key = hashlib.sha256(url.encode()).hexdigest()[:12]
        return cls(vacancies, employers, occupation_matcher=occ, encoder=enc,
                   index_dir=default_data_dir() / "index" / key, progress=progress,
                   today=today, contacts=contacts,
                   feedback_loader=FeedbackLoader(url))

    def _build_arrays(self) -> None:
        vs = self.vacancies
        n = len(vs)
        pts = np.array([_point(v.lat, v.lon, v.postcode) for v in vs], dtype=np.float64
                       ).reshape(n, 2)
        self.lat_, self.lon_ = pts[:, 0], pts[:, 1]
        self.hmin_ = np.array([np.nan if v.hours_min is None else v.hours_min for v in vs],
                              dtype=np.float64)
        self.hmax_ = np.array([np.nan if v.hours_max is None else v.hours_max for v in vs],
                              dtype=np.float64)
        # fact_true[k, i]: ad i states fact k as present; fact_false: stated absent. The
        # schedule dict counts only when no fact about that key exists (same as needs.py).
        self.fact_true_ = np.zeros((len(FACT_KEYS), n), dtype=bool)
        self.fact_false_ = np.zeros((len(FACT_KEYS), n), dtype=bool)
        for i, v in enumerate(vs):
            seen: set[str] = set()
            for f in v.facts:
                k = _FACT_INDEX.get(f.key)
                if k is None:
                    continue
                seen.add(f.key)
                (self.fact_true_ if f.value else self.fact_false_)[k, i] = True
            for key in SCHEDULE_KEYS:
                val = v.schedule.get(key)
                if key not in seen and val is not None:
                    (self.fact_true_ if val else self.fact_false_)[_FACT_INDEX[key], i] = True
        self.subsidised_ = np.array([bool(C.SUBSIDISED & set(v.work_conditions)) for v in vs],
                                    dtype=bool)
        self.fleksjob_ = np.array(["fleksjob" in v.work_conditions for v in vs], dtype=bool)
        self.posted_ = np.array([_date_ord(v.posted) for v in vs], dtype=np.float64)
        self.deadline_ = np.array([_date_ord(v.deadline) for v in vs], dtype=np.float64)
        # occupations: index into a table of URIs, and (when the taxonomy tells) ISCO groups
        self.occ_uris_: list[str] = []
        occ_index: dict[str, int] = {}
        self.occ_idx_ = np.full(n, -1, dtype=np.int64)
        for i, v in enumerate(vs):
            if v.occupation_uri:
                self.occ_idx_[i] = occ_index.setdefault(v.occupation_uri, len(occ_index))
        self.occ_uris_ = list(occ_index)
        self._occ_index = occ_index
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

    def _build_employers(self, employers: Iterable[Employer]) -> None:
        emps: list[Employer] = []
        index: dict[str, int] = {}
        for e in employers:
            k = employer_key(e)
            if k is not None and k not in index:
                index[k] = len(emps)
                emps.append(e)
        self.emp_idx_ = np.full(len(self.vacancies), -1, dtype=np.int64)
        for i, v in enumerate(self.vacancies):
            k = employer_key(v.employer)
            if k is None:
                continue
            if k not in index:
                assert v.employer is not None
                index[k] = len(emps)
                emps.append(v.employer)
            self.emp_idx_[i] = index[k]
        self.employers = emps
        self._emp_index = index
        pts = np.array([_point(e.lat, e.lon, e.postcode) for e in emps], dtype=np.float64
                       ).reshape(len(emps), 2)
        self.emp_lat_, self.emp_lon_ = pts[:, 0], pts[:, 1]
        valid = self.emp_idx_ >= 0
        self.emp_open_ = np.bincount(self.emp_idx_[valid], minlength=len(emps))
        # Plain flags (an employer import) take the ranking's table; what consultants learned
        # at contacts ({"value": ..., "date": ...}) takes the job-development weights, so
        # one statement never counts twice.
        today = self._today()
        self.emp_bonus_ = np.array([sum(b for k, (b, _, _) in R.EMPLOYER_ATTRIBUTE_BONUS.items()
                                        if e.attributes.get(k) is True)
                                    + employer_bonus(e, today=today,
                                                     open_vacancies=int(n_open))[0]
                                    for e, n_open in zip(emps, self.emp_open_, strict=True)],
                                   dtype=np.float64)
        # An ad without a known employer is its own "employer" for diversification.
        self.emp_keys_: list[Any] = [int(j) if j >= 0 else None for j in self.emp_idx_]

    def _fit_employer_retriever(self, index_dir: Path | None) -> None:
        # The employer retriever reads the industry and past occupations (a documented hook:
        # Employer.attributes["past_occupations"], a list of labels, filled by job development).
        docs = [(e.industry or "", " ".join(str(x) for x in
                                             e.attributes.get("past_occupations", []) or []))
                for e in self.employers]
        self.emp_lexical_: LexicalRetriever | None = None
        if docs:
            h = data_hash(f"{t}\x1f{x}" for t, x in docs)
            self.emp_lexical_ = self._load_or_fit(
                index_dir / "employers" if index_dir else None,
                lambda p: LexicalRetriever.load(p, expected_hash=h),
                lambda: LexicalRetriever().fit(docs, data_hash_=h),
                f"employer index for {len(docs)} employers")

    def _fit_retrievers(self, index_dir: Path | None) -> None:
        docs = [(f"{v.title} {v.occupation_label or ''}".strip(), v.text or "")
                for v in self.vacancies]
        h = data_hash(f"{v.source}\x1f{v.external_id}\x1f{v.content_hash}" if v.content_hash
                      else f"{v.source}\x1f{v.external_id}\x1f{t}\x1f{x}"
                      for v, (t, x) in zip(self.vacancies, docs, strict=True))
        self.data_hash_ = h
        self.lexical = self._load_or_fit(
            index_dir / "lexical" if index_dir else None,
            lambda p: LexicalRetriever.load(p, expected_hash=h),
            lambda: LexicalRetriever().fit(docs, data_hash_=h),
            f"search index for {len(docs)} vacancies")
        self.semantic: SemanticRetriever | None = None
        if self.encoder is not None:
            # Titles (+ occupation label) only: with the static encoder, ad bodies are
            # dominated by boilerplate ("vi tilbyder…") and every ad ends up at cosine
            # 0.8-0.9 to every wish (measured on the demo data: sd 0.01 over all ads).
            texts = [t for t, _ in docs]
            self.semantic = self._load_or_fit(
                index_dir / "semantic-title" if index_dir else None,
                lambda p: SemanticRetriever.load(p, self.encoder, expected_hash=h),
                lambda: SemanticRetriever(self.encoder).fit(texts, data_hash_=h),
                f"semantic index for {len(texts)} vacancies")

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

    def _occupation_credit(self, wish: str) -> np.ndarray | None:
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
        return np.maximum(occ_table[self.occ_idx_], isco_table[self.isco_idx_])

    def _wish_parts(self, wish: str) -> dict[str, np.ndarray]:
        parts: dict[str, np.ndarray] = {}
        occ = self._occupation_credit(wish)
        if occ is not None:
            parts["occupation"] = occ
        parts["text"] = np.minimum(1.0, self.lexical.score_all(wish) / LEX_SATURATION)
        if self.semantic is not None:
            cos = self.semantic.score_all(wish).astype(np.float64)
            sd = float(cos.std())
            z = (cos - float(cos.mean())) / sd if sd > 1e-9 else np.zeros_like(cos)
            parts["semantic"] = np.clip((z - SEM_Z_FLOOR) / SEM_Z_SPAN, 0.0, 1.0)
        return parts

    def _relevance(self, wishes: Sequence[str]) -> Relevance:
        """Best wish relevance per ad, which wish it was, and each wish's parts."""
        n = len(self.vacancies)
        best = np.zeros(n, dtype=np.float64)
        which = np.zeros(n, dtype=np.int64)
        all_parts, per_wish = [], []
        for w_i, wish in enumerate(wishes):
            parts = self._wish_parts(wish)
            all_parts.append(parts)
            rel = R.combine_wish(list(parts.values()))
            per_wish.append(rel)
            better = rel > best
            best = np.where(better, rel, best)
            which = np.where(better, w_i, which)
        return Relevance(best, which, all_parts, per_wish)

    def _filters_and_signals(self, c: C.Criteria) -> tuple[np.ndarray, dict[str, np.ndarray],
                                                          np.ndarray, np.ndarray]:
        """(excluded mask, signals, distance km, minutes) for every vacancy."""
        n = len(self.vacancies)
        excluded = np.zeros(n, dtype=bool)
        signals: dict[str, np.ndarray] = {}
        dist = np.full(n, np.nan)
        minutes = np.full(n, np.nan)
        if c.origin is not None:
            dist = haversine_km(self.lat_, self.lon_, *c.origin)
            minutes = np.asarray(commute_minutes(dist, c.mode), dtype=np.float64)
            with np.errstate(invalid="ignore"):
                if c.max_minutes is not None:
                    excluded |= minutes > c.max_minutes
                if c.max_km is not None:
                    excluded |= dist > c.max_km
            signals["commute"] = C.commute_fit(minutes, c.max_minutes)
        if c.has_hours:
            part_time = self.fact_true_[_FACT_INDEX["part_time_possible"]]
            signals["hours"] = C.hours_fit(self.hmin_, self.hmax_, c.hours_min, c.hours_max,
                                           part_time)
            if c.hours_must:
                cat = C.hours_category(self.hmin_, self.hmax_, c.hours_min, c.hours_max)
                excluded |= cat == C.H_OVER
        if c.check_conditions:
            if not c.accept_subsidised:
                excluded |= self.subsidised_
            if not c.fleksjob_approved:
                excluded |= self.fleksjob_
        if c.needs:
            credit = np.zeros(n, dtype=np.float64)
            for need in c.needs:
                violated, satisfied = self._need_masks(need)
                if need.must:
                    excluded |= violated
                else:
                    credit -= violated
                credit += satisfied
            signals["needs"] = C.needs_fit_value(credit, len(c.needs))
        today = self._today().toordinal()
        signals["freshness"] = C.freshness(today - self.posted_, self.deadline_ - today)
        return excluded, signals, dist, minutes

    def _need_masks(self, need: Need) -> tuple[np.ndarray, np.ndarray]:
        nd = need_def(need.code)
        n = len(self.vacancies)
        violated = np.zeros(n, dtype=bool)
        satisfied = np.zeros(n, dtype=bool)
        for key, value in nd.violated_by:
            violated |= (self.fact_true_ if value else self.fact_false_)[_FACT_INDEX[key]]
        for key, value in nd.satisfied_by:
            satisfied |= (self.fact_true_ if value else self.fact_false_)[_FACT_INDEX[key]]
        return violated, satisfied & ~violated

    def _folded(self, i: int) -> str:
        hay = self._folded_cache.get(i)
        if hay is None:
            hay = self._folded_cache[i] = C.folded_text(self.vacancies[i])
        return hay

    def _avoid_counts(self, avoid: Sequence[str], cand: np.ndarray) -> np.ndarray:
        """Avoid-term hits per candidate: a stated mapped fact, else the term in the text."""
        counts = np.zeros(len(cand), dtype=np.int64)
        for term in avoid:
            key = C.AVOID_FACTS.get(C.fold(term))
            fact_hit = (self.fact_true_[_FACT_INDEX[key]][cand] if key
                        else np.zeros(len(cand), dtype=bool))
            rx = C.term_regex(term)
            text_hit = np.array([not fh and rx.search(self._folded(i)) is not None
                                 for i, fh in zip(cand.tolist(), fact_hit.tolist(),
                                                  strict=True)], dtype=bool)
            counts += fact_hit | text_hit
        return counts

    def _avoid_fact_hits(self, avoid: Sequence[str]) -> np.ndarray:
        hits = np.zeros(len(self.vacancies), dtype=np.int64)
        for term in avoid:
            key = C.AVOID_FACTS.get(C.fold(term))
            if key:
                hits += self.fact_true_[_FACT_INDEX[key]]
        return hits

    # -- suggest -------------------------------------------------------------------------

    def suggest(self, profile: CitizenProfile | dict[str, Any], *, limit: int = 20,
                per_employer: int = R.PER_EMPLOYER, include_excluded: bool = False,
                feedback: Iterable[Feedback] | None = None) -> SuggestResult:
        """Ranked vacancies and employers for a citizen (a profile or a dict in file format).

        ``feedback`` (default: the citizen's stored feedback when opened on a database) hides
        what the consultant said no to and marks what the citizen applied for."""
        if limit < 1 or per_employer < 1:
            raise UsageError("limit and per_employer must be at least 1")
        p = as_profile(profile)
        crit = C.Criteria.from_profile(p)
        result = SuggestResult(citizen=p)
        if feedback is None and self.feedback_loader is not None:
            feedback = self.feedback_loader(p.id)
        fx = feedback_effects(feedback) if feedback else None
        relevance = self._relevance(p.wishes) if p.wishes and self.vacancies else None
        if self.vacancies:
            result.vacancies, result.excluded = self._rank(
                crit, p.wishes, relevance, limit=limit, per_employer=per_employer,
                include_excluded=include_excluded, search=False, feedback=fx)
            if fx is not None:  # nothing left to hide: this adds the "Ansøgt 12/11" marks
                result.vacancies, _ = apply_feedback(result.vacancies, fx)
        result.employers = self._rank_employers(crit, p.wishes, relevance, limit=limit,
                                                feedback=fx)
        return result

    def search(self, text: str, *, near: str | None = None, within_km: float | None = None,
               max_hours: float | None = None, needs: Sequence[str] = (), limit: int = 20
               ) -> list[Suggestion]:
        """Free-text vacancy search without a profile; ``needs`` are must-needs."""
        if not text.strip():
            raise UsageError("the search text is empty")
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
        found, _ = self._rank(crit, [text], self._relevance([text]), limit=limit,
                              per_employer=limit, include_excluded=False, search=True)
        return found

    def _rank(self, crit: C.Criteria, wishes: Sequence[str], relevance: Relevance | None, *,
              limit: int, per_employer: int, include_excluded: bool, search: bool,
              feedback: FeedbackEffects | None = None
              ) -> tuple[list[Suggestion], list[Excluded]]:
        excluded, signals, _, _ = self._filters_and_signals(crit)
        hidden = np.zeros(len(self.vacancies), dtype=bool)
        if feedback is not None:  # what the consultant said no to for this citizen
            hidden = np.array([feedback.is_hidden(v) for v in self.vacancies], dtype=bool)
            excluded = excluded | hidden
        if wishes and relevance is not None:
            rel, which, parts = relevance.best, relevance.which, relevance.parts
            signals["wish"] = rel
            relevant = rel >= MIN_RELEVANCE
        else:
            rel = np.zeros(len(self.vacancies))
            which = np.zeros(len(self.vacancies), dtype=np.int64)
            parts = []
            relevant = np.ones(len(self.vacancies), dtype=bool)
        avoid_facts = self._avoid_fact_hits(crit.avoid)
        fused = R.fuse(signals, avoid_hits=avoid_facts)
        eligible = relevant & ~excluded
        cand = R.top_k(fused, max(CANDIDATE_MIN, CANDIDATE_FACTOR * limit), eligible)

        today = self._today()
        # Avoid-terms in the text are checked on the candidates only (facts were vectorised).
        hits = self._avoid_counts(crit.avoid, cand) if crit.avoid else np.zeros(len(cand))
        sig_c = {k: s[cand] for k, s in signals.items()}
        final = R.fuse(sig_c, avoid_hits=hits)
        rank = np.lexsort((cand, -final))
        cand, final, hits = cand[rank], final[rank], hits[rank]
        # The same job posted twice (two feeds, a re-post) is shown once: the best copy.
        seen: set[tuple[Any, str]] = set()
        keep = []
        for pos, i in enumerate(cand.tolist()):
            same = (self.emp_keys_[i] if self.emp_keys_[i] is not None else f"ad:{i}",
                    fold(self.vacancies[i].title).strip())
            if same not in seen:
                seen.add(same)
                keep.append(pos)
        cand, final, hits = cand[keep], final[keep], hits[keep]
        emp_keys = [self.emp_keys_[i] if self.emp_keys_[i] is not None else f"ad:{i}"
                    for i in cand.tolist()]
        occ_keys = [int(o) if o >= 0 else None for o in self.occ_idx_[cand].tolist()]
        order = R.diversify(list(range(len(cand))), emp_keys, occ_keys,
                            per_employer=per_employer)

        out: list[Suggestion] = []
        for pos in order:
            if len(out) >= limit:
                break
            i, score = int(cand[pos]), float(final[pos])
            # The per-vacancy reference writes the reasons and re-checks every must-have.
            ev = C.evaluate(self.vacancies[i], crit, today=today,
                            hay=self._folded(i) if crit.avoid else None)
            if ev.excluded:
                log.warning("vacancy %s excluded by the reference check only",
                            self.vacancies[i].external_id)
                continue
            sig = {k: round(float(s[i]), 4) for k, s in signals.items()}
            reasons: list[Reason] = []
            if wishes:
                reasons.append(self._wish_reason(i, wishes, int(which[i]), parts, search))
                for name, arr in parts[int(which[i])].items():
                    sig[f"wish.{name}"] = round(float(arr[i]), 4)
            if hits[pos]:
                sig["avoid_hits"] = float(hits[pos])
            out.append(Suggestion(vacancy=self.vacancies[i], score=round(score, 4), signals=sig,
                                  distance_km=ev.distance_km, commute_minutes=ev.commute_minutes,
                                  reasons=reasons + ev.reasons, concerns=ev.concerns))
        excl: list[Excluded] = []
        if include_excluded:
            shown = excluded & relevant
            for i in R.top_k(rel if wishes else fused, EXCLUDED_LIMIT, shown).tolist():
                v = self.vacancies[i]
                why = feedback.hidden_reason(v) if feedback is not None and hidden[i] else None
                reasons = ([feedback_reason(why)] if why is not None
                           else C.evaluate(v, crit, today=today).exclusions)
                excl.append(Excluded(vacancy=v, reasons=reasons))
        return out, excl

    def _wish_reason(self, i: int, wishes: Sequence[str], w: int,
                     parts: list[dict[str, np.ndarray]], search: bool) -> Reason:
        v = self.vacancies[i]
        p = {name: float(arr[i]) for name, arr in parts[w].items()}
        best = max(p, key=p.__getitem__) if p else "text"
        wish = wishes[w]
        if search:
            return make_reason("wish", "search.match", wish=wish, signal=best)
        if p.get(best, 0.0) <= 0:
            return make_reason("wish", "wish.none")
        # A concept match names the occupation, which reads better than "words in the ad".
        if best == "occupation" or p.get("occupation", 0.0) >= OCCUPATION_REASON_MIN:
            # Credit through the ISCO group only ("same line of work") is said as such.
            exact = self.occupation_matcher is None or v.occupation_uri in {
                m.uri for m in self._wish_occupations(wish)}
            return make_reason("wish", "wish.occupation" if exact else "wish.occupation_group",
                               wish=wish, label=v.occupation_label or v.title, signal=best)
        if best == "semantic":
            return make_reason("wish", "wish.semantic", wish=wish, signal=best)
        title = fold(v.title)
        if any(strip_head(w) in title for w in words(wish)):
            return make_reason("wish", "wish.title", wish=wish, label=v.title, signal=best)
        return make_reason("wish", "wish.text", wish=wish, signal=best)

    # -- employers (job development) -----------------------------------------------------

    def _rank_employers(self, crit: C.Criteria, wishes: Sequence[str],
                        relevance: Relevance | None, *, limit: int,
                        feedback: FeedbackEffects | None = None
                        ) -> list[EmployerSuggestion]:
        """Employers to visit, with or without open vacancies (see ranking.EMPLOYER_*)."""
        ne = len(self.employers)
        if ne == 0:
            return []
        signals: dict[str, np.ndarray] = {}
        fit = np.zeros(ne)
        n_match = np.zeros(ne, dtype=np.int64)
        best_wish = np.zeros(ne, dtype=np.int64)
        industry_fit = np.zeros(ne)
        if wishes:
            for w_i, wish in enumerate(wishes):
                rel = relevance.per_wish[w_i] if relevance is not None else np.zeros(0)
                ads = np.zeros(ne)
                valid = (self.emp_idx_ >= 0) & (rel >= MIN_RELEVANCE) if rel.size else \
                    np.zeros(0, dtype=bool)
                np.maximum.at(ads, self.emp_idx_[valid], rel[valid])
                cnt = np.bincount(self.emp_idx_[valid], minlength=ne)
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
        if crit.origin is not None:
            dist = haversine_km(self.emp_lat_, self.emp_lon_, *crit.origin)
            minutes = np.asarray(commute_minutes(dist, crit.mode), dtype=np.float64)
            with np.errstate(invalid="ignore"):
                if crit.max_minutes is not None:
                    excluded |= minutes > crit.max_minutes
            signals["commute"] = C.commute_fit(minutes, crit.max_minutes)
        score = R.fuse(signals, weights=R.EMPLOYER_WEIGHTS)
        bonus = self.emp_bonus_
        score = np.clip(score + bonus, 0.0, 1.0)
        if feedback is not None:  # employers the citizen said no to
            excluded |= np.array([feedback.employer_hidden(e) for e in self.employers],
                                 dtype=bool)
        eligible = ~excluded & ((fit >= MIN_RELEVANCE) if wishes else True)
        out: list[EmployerSuggestion] = []
        for j in R.top_k(score, limit, np.asarray(eligible, dtype=bool)).tolist():
            e = self.employers[j]
            reasons: list[Reason] = []
            if wishes and n_match[j] > 0:
                reasons.append(make_reason("employer", "employer.occupation", n=int(n_match[j]),
                                           wish=wishes[int(best_wish[j])]))
            if wishes and industry_fit[j] >= MIN_RELEVANCE and e.industry:
                reasons.append(make_reason("employer", "employer.industry",
                                           industry=e.industry,
                                           wish=wishes[int(best_wish[j])]))
            if not np.isnan(dist[j]):
                reasons.append(make_reason("employer", "employer.distance", km=float(dist[j]),
                                           minutes=float(minutes[j]), mode=crit.mode))
            n_open = int(self.emp_open_[j])
            open_code = "employer.open_one" if n_open == 1 else "employer.open"
            reasons.append(make_reason("employer", open_code, n=n_open) if n_open
                           else make_reason("employer", "employer.no_open"))
            for k, (_, da, en) in R.EMPLOYER_ATTRIBUTE_BONUS.items():
                if e.attributes.get(k) is True:
                    reasons.append(make_reason("employer", "employer.attribute", attribute=k,
                                               label_da=da, label_en=en))
            reasons += employer_bonus(e, today=self._today(), open_vacancies=n_open)[1]
            recent = recently_contacted(self.contacts, e, days=RECENT_CONTACT_DAYS,
                                        today=self._today())
            if recent is not None:  # first, so nobody calls the same manager twice
                reasons.insert(0, recent_contact_reason(recent))
            sig = {k: round(float(s[j]), 4) for k, s in signals.items()}
            if bonus[j]:
                sig["attributes"] = round(float(bonus[j]), 4)
            out.append(EmployerSuggestion(
                employer=e, score=round(float(score[j]), 4), signals=sig,
                distance_km=None if np.isnan(dist[j]) else float(dist[j]),
                open_vacancies=n_open, reasons=reasons))
        return out


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

    def __init__(self, url: str) -> None:
        self.url = url
        self._store: Any = None

    def __call__(self, citizen_id: str) -> list[Feedback]:
        if self._store is None:
            self._store = open_store(self.url)
        return list(self._store.feedback_for(citizen_id))


def load_feedback(url: str, citizen_id: str) -> list[Feedback]:
    """A citizen's stored feedback on suggestions (none for a profile not in the store)."""
    store = open_store(url)
    try:
        return list(store.feedback_for(citizen_id))
    finally:
        store.close()


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
