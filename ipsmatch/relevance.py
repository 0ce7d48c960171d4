"""Wish relevance: how well each ad answers a citizen's wishes (and past jobs), in [0, 1].

A wish earns credit three ways, combined by :func:`ipsmatch.ranking.combine_wish`:

- **occupation**: the wish's ESCO occupations (the taxonomy's ``match``) credit ads with that
  occupation fully and, through the ISCO tables, ads in the same unit group
  (``ISCO_CREDIT``) or inside a wished minor group (``ISCO_MINOR_CREDIT``);
- **text**: the lexical retriever's blend score, saturating at ``LEX_SATURATION``;
- **semantic**: the title encoder's cosine as a z-score over the whole corpus.

An education wish ("elevplads som kok") credits apprentice and trainee ads, plus the trade.
Fitted scikit-learn style::

    >>> rel = WishRelevance(occupation_matcher=occ, encoder=enc).fit(cols, docs)  # doctest: +SKIP
    >>> r = rel.score(["lager"])
    >>> r.best.shape == (cols.n,)                                     # doctest: +SKIP
    True
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ipsmatch import ranking as R
from ipsmatch.columns import Columns
from ipsmatch.constraints.vectorised import sub
from ipsmatch.domain import CitizenProfile
from ipsmatch.education import education_terms
from ipsmatch.errors import IndexNotReadyError, IpsmatchError, UsageError
from ipsmatch.retrieval.lexical import LexicalRetriever
from ipsmatch.retrieval.semantic import SemanticRetriever
from ipsmatch.retrieval.topics import TopicIndex
from ipsmatch.taxonomy.topics import default_sources_key, default_tagger
from ipsmatch.taxonomy.wishes import norm, strip_frame
from ipsmatch.text.titles import says_no_job

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
#: An ad whose *text* describes a wished ISCO unit group (one of its topics,
#: ipsmatch.taxonomy.topics) gets this share of the occupation credit, times the topic's
#: weight: below ISCO_CREDIT, so a title in the wished group always ranks above a text that
#: only describes the work.
TOPIC_CREDIT = 0.5
#: A citizen with wishes only sees ads at least this relevant to one of them.
MIN_RELEVANCE = 0.15
#: A wish's occupation matches below this share of its best match give no credit, and only
#: those within ISCO_SPREAD_CUT of the best spread partial credit to their ISCO group.
OCC_TAIL_CUT, ISCO_SPREAD_CUT = 0.7, 0.85
#: An education wish: an apprentice/trainee ad scores at least EDU_AD_FLOOR, plus the rest by
#: how well its trade matches; an ordinary job in the trade counts EDU_JOB_SHARE of that.
EDU_AD_FLOOR, EDU_JOB_SHARE = 0.45, 0.4
#: A past job (career profile) that an ad matches at least this well is evidence: a reason,
#: and this much added to the ad's score (wishes still decide what is relevant)
EXPERIENCE_MIN, EXPERIENCE_BONUS = 0.5, 0.05
#: Wish texts whose occupations are remembered (a team's wishes repeat).
OCC_CACHE = 4096
#: ... and whose semantic credit per distinct title is (8 bytes a title: 115 kB at 100k ads)
SEM_CACHE = 256


#: The part that says how much of the occupation credit came from the ad's text: explained,
#: never combined (it is already inside "occupation").
TOPIC_PART = "topic"


def combined(parts: dict[str, np.ndarray]) -> Any:
    """A wish's relevance from its parts (TOPIC_PART is already in "occupation")."""
    return R.combine_wish([a for k, a in parts.items() if k != TOPIC_PART])


@dataclass
class Relevance:
    """Wish relevance over the ads scored: the best wish's score, its index, and each wish's
    parts (``occupation``, ``text``, ``semantic``, ``education``) and combined score."""

    best: np.ndarray
    which: np.ndarray
    parts: list[dict[str, np.ndarray]]
    per_wish: list[np.ndarray]


def load_or_fit(path: Path | None, load: Callable[[Path], Any], fit: Callable[[], Any],
                what: str, progress: Callable[[str], None] | None = None) -> Any:
    """An index loaded from ``path``, or fitted (and saved there) when it is missing or
    stale; ``progress`` is told, as fitting a large corpus takes a while."""
    if path is not None:
        try:
            return load(path)
        except IndexNotReadyError as exc:
            # A stale or missing index is rebuilt, never used: say so once.
            log.info("rebuilding %s: %s", path, exc)
            if progress is not None:
                progress(f"Building the {what} (once after the data changed)…")
    r = fit()
    if path is not None:
        r.save(path)
    return r


class WishRelevance:
    """Wish relevance over a corpus of ads. ``__init__`` stores the text models and where the
    indexes live; :meth:`fit` loads or builds them; :meth:`score` scores wishes."""

    def __init__(self, *, occupation_matcher: Any = None, encoder: Any = None,
                 index_dir: Path | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        self.occupation_matcher = occupation_matcher
        self.encoder = encoder
        self.index_dir = index_dir
        self.progress = progress

    # -- fit -----------------------------------------------------------------------------------

    def fit(self, columns: Columns, docs: Callable[[], Iterable[tuple[str, str]]]
            ) -> WishRelevance:
        """Load or fit the lexical (title + text) and semantic (title) retrievers over
        ``docs()`` and build the occupation and ISCO tables from ``columns``."""
        h, n, d = columns.data_hash, columns.n, self.index_dir
        self.n_ = n
        self.education_ = columns.education
        self.lexical_: LexicalRetriever = load_or_fit(
            d / "lexical" if d else None,
            lambda p: LexicalRetriever.load(p, expected_hash=h),
            lambda: LexicalRetriever().fit(docs(), data_hash_=h),
            f"search index for {n} vacancies", self.progress)
        self.semantic_: SemanticRetriever | None = None
        if self.encoder is not None:
            # Titles (+ occupation label) only: with the static encoder, ad bodies are
            # dominated by boilerplate ("vi tilbyder…") and every ad ends up at cosine
            # 0.8-0.9 to every wish (measured on the demo data: sd 0.01 over all ads).
            enc = self.encoder
            self.semantic_ = load_or_fit(
                d / "semantic-title" if d else None,
                lambda p: SemanticRetriever.load(p, enc, expected_hash=h),
                lambda: SemanticRetriever(enc).fit(
                    # a title that says no job ("Ny kollega søges") is near every wish:
                    # encoded as nothing, it gets no semantic credit (text/titles.py)
                    ["" if says_no_job(t) else t for t, _ in docs()], data_hash_=h),
                f"semantic index for {n} vacancies", self.progress)
        # the kinds of work each ad's text describes (needs the taxonomy's ISCO groups)
        self.topics_: TopicIndex | None = None
        if self.occupation_matcher is not None:
            p_top = d / "topics" if d else None
            self.topics_ = load_or_fit(
                p_top, lambda p: TopicIndex.load(p, expected_hash=h, tagger=default_tagger,
                                                 sources=default_sources_key()),
                lambda: TopicIndex(default_tagger()).fit(
                    docs(), data_hash_=h, sources=default_sources_key(),
                    previous=TopicIndex.load_any(p_top) if p_top else None),
                f"topic index for {n} vacancies", self.progress)
        # occupations: index into a table of URIs, and (when the taxonomy tells) ISCO groups
        self.occ_uris_ = columns.occ_uris
        self.occ_idx_ = columns.occ_idx
        self._occ_index = {u: j for j, u in enumerate(columns.occ_uris)}
        isco_index: dict[str, int] = {}
        occ_isco = np.full(len(self.occ_uris_) + 1, -1, dtype=np.int64)
        for j, uri in enumerate(self.occ_uris_):
            g = self.isco_group(uri)
            if g:
                occ_isco[j] = isco_index.setdefault(g, len(isco_index))
        self.isco_uris_ = list(isco_index)
        self.isco_idx_ = occ_isco[self.occ_idx_]  # -1 maps to the sentinel at the end
        self._isco_prefix_cache: dict[str, list[int]] = {}
        self._occ_cache: dict[str, list[Any]] = {}
        self._group_cache: dict[str, dict[str, float]] = {}
        self._sem_cache: dict[str, np.ndarray] = {}
        return self

    def _fitted(self) -> None:
        if not hasattr(self, "lexical_"):
            raise UsageError("this WishRelevance is not fitted",
                             hint="call fit(columns, docs) first")

    # -- the taxonomy ------------------------------------------------------------------------

    def isco_group(self, uri: str) -> str | None:
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

    def wish_occupations(self, wish: str) -> list[Any]:
        """Occupations for a wish text, remembered for the object's life: the query encoder
        is most of a suggest's time, and a team's wishes repeat ("lager", "rengøring")."""
        self._fitted()
        key = " ".join(wish.casefold().split())
        cached = self._occ_cache.get(key)
        if cached is None:
            cached = list(self.occupation_matcher.match(wish, limit=10))
            if len(self._occ_cache) >= OCC_CACHE:
                self._occ_cache.pop(next(iter(self._occ_cache)))
            self._occ_cache[key] = cached
        return cached

    def clear_occupation_cache(self) -> None:
        """Forget what is remembered per wish: its occupations and groups (after the
        taxonomy's parameters change) and its semantic credit (benchmarks timing a
        first-time wish clear it all)."""
        self._occ_cache.clear()
        self._group_cache.clear()
        self._sem_cache.clear()

    # -- scores ------------------------------------------------------------------------------

    def _matches(self, wish: str) -> list[Any] | None:
        try:
            return self.wish_occupations(wish)
        except IpsmatchError as exc:
            log.warning("occupation matching failed for a wish: %s", exc)
            return None

    def vocabulary_groups(self, wish: str) -> dict[str, float]:
        """The unit groups the taxonomy's wish vocabulary reads in a wish, with their weights
        (``OccupationMatcher.vocabulary_groups``); {} for a taxonomy without one."""
        hook = getattr(self.occupation_matcher, "vocabulary_groups", None)
        return dict(hook(wish)) if callable(hook) else {}

    def wished_groups(self, wish: str) -> dict[str, float]:
        """The ISCO unit groups a wish means, with the score of its best match in each: the
        matches within ISCO_SPREAD_CUT of the best (the ones that spread group credit), and
        the vocabulary's groups, at their weight times the best match's score (its "also
        acceptable" groups too, which the ten best matches rarely reach). Remembered per
        wish, like its occupations: the occupation credit, the topic credit and every
        quoted reason ask for it."""
        key = " ".join(wish.casefold().split())
        cached = self._group_cache.get(key)
        if cached is not None:
            return cached
        matches = self._matches(wish) if self.occupation_matcher is not None else None
        out: dict[str, float] = {}
        if matches:
            best = max(float(m.score) for m in matches)
            for m in matches:
                score = float(np.clip(m.score, 0.0, 1.0))
                code = self.isco_group(m.uri)
                # a unit group (4 digits) or a code under one; broader ones are minor groups
                # (occupation_credit) or say too little
                if code and sum(ch.isdigit() for ch in code) >= 4 \
                        and score >= ISCO_SPREAD_CUT * best:
                    out[code] = max(out.get(code, 0.0), score)
            top = float(np.clip(best, 0.0, 1.0))
            for code, w in self.vocabulary_groups(wish).items():
                out[code] = max(out.get(code, 0.0), w * top)
        if len(self._group_cache) >= OCC_CACHE:
            self._group_cache.pop(next(iter(self._group_cache)))
        self._group_cache[key] = out
        return out

    def topic_credit(self, wish: str, rows: np.ndarray | None = None) -> np.ndarray | None:
        """Credit per ad (of ``rows``) whose text describes a group the wish means: the
        wish's score for the group × the topic's weight × TOPIC_CREDIT; None without a
        taxonomy."""
        if self.topics_ is None:
            return None
        wished = self.wished_groups(wish)
        if not wished:
            return None
        return TOPIC_CREDIT * self.topics_.credit(wished, rows)

    def topic_quote(self, wish: str, v: Any) -> str | None:
        """The words of ad ``v``'s text that say it is work the wish means, with a few words
        around them; None when its text describes none."""
        wished = self.wished_groups(wish)
        if not wished or self.topics_ is None:
            return None
        return self.topics_.quote(v.text or "", wished)

    def occupation_credit(self, wish: str, rows: np.ndarray | None = None
                          ) -> np.ndarray | None:
        """Occupation credit per ad (of ``rows``) for a wish; None without a taxonomy."""
        self._fitted()
        if self.occupation_matcher is None or not self.occ_uris_:
            return None
        matches = self._matches(wish)
        if matches is None:
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
            # Inside a wished minor group (3 digits): partial credit. Broader groups ("2
            # Akademisk arbejde") say too little about the job to count.
            key = self.isco_group(m.uri)
            if key and sum(ch.isdigit() for ch in key) == 3 \
                    and score >= ISCO_SPREAD_CUT * best:
                for g in self._isco_groups_under(key):
                    isco_table[g] = max(isco_table[g], ISCO_MINOR_CREDIT * score)
        # The same unit group as what the wish means (wished_groups: its close matches and
        # the vocabulary's groups, "also acceptable" ones included: "noget med hænderne" →
        # the crafts, and also the building and warehouse helpers): partial credit.
        for code, score in self.wished_groups(wish).items():
            for g in self._isco_groups_under(code):
                isco_table[g] = max(isco_table[g], ISCO_CREDIT * score)
        return np.maximum(occ_table[sub(self.occ_idx_, rows)],
                          isco_table[sub(self.isco_idx_, rows)])

    def wish_parts(self, wish: str, rows: np.ndarray | None = None
                   ) -> dict[str, np.ndarray]:
        """A wish's credit per ad (of ``rows``), by signal: occupation, text, semantic."""
        self._fitted()
        parts: dict[str, np.ndarray] = {}
        occ = self.occupation_credit(wish, rows)
        if occ is not None:
            parts["occupation"] = occ
        topic = self.topic_credit(wish, rows)
        if topic is not None and topic.any():
            # the text's kind of work counts as occupation evidence (the better of the two);
            # "topic" itself is kept for the reason, not combined again (TOPIC_PART)
            parts["occupation"] = np.maximum(occ, topic) if occ is not None else topic
            parts[TOPIC_PART] = topic
        parts["text"] = np.minimum(1.0, sub(self.lexical_.score_all(wish), rows)
                                   / LEX_SATURATION)
        if self.semantic_ is not None:
            parts["semantic"] = self.semantic_credit(wish)[sub(self.semantic_.inverse_, rows)]
        return parts

    def semantic_credit(self, wish: str) -> np.ndarray:
        """A wish's semantic credit per distinct title of the semantic index (ad ``i`` has
        ``[inverse_[i]]``): the cosine as a z-score over ALL ads (whatever the rows), from
        the distinct texts and their counts, so a wish is judged against the whole corpus.
        Computed on the distinct titles (14k for 100k ads) and remembered per wish, like its
        occupations; the same values as computing it per ad."""
        assert self.semantic_ is not None
        # the wish without its frame ("noget med", "et … job"): those words are in every
        # short text and would make the generic titles the most similar
        query = strip_frame(norm(wish)) or wish
        hit = self._sem_cache.get(query)
        if hit is not None:
            return hit
        cos_u = self.semantic_.score_distinct(query).astype(np.float64)
        counts = self.semantic_.counts_
        n = float(counts.sum()) or 1.0
        mean = float(counts @ cos_u) / n
        sd = float(np.sqrt(max(0.0, float(counts @ (cos_u * cos_u)) / n - mean * mean)))
        z = (cos_u - mean) / sd if sd > 1e-9 else np.zeros_like(cos_u)
        hit = np.clip((z - SEM_Z_FLOOR) / SEM_Z_SPAN, 0.0, 1.0)
        hit.setflags(write=False)  # shared by every call with this wish
        if len(self._sem_cache) >= SEM_CACHE:
            self._sem_cache.pop(next(iter(self._sem_cache)))
        self._sem_cache[query] = hit
        return hit

    def score(self, wishes: Sequence[str], rows: np.ndarray | None = None) -> Relevance:
        """Best wish relevance per ad (of ``rows``, default all), which wish it was, and
        each wish's parts."""
        self._fitted()
        n = self.n_ if rows is None else len(rows)
        best = np.zeros(n, dtype=np.float64)
        which = np.zeros(n, dtype=np.int64)
        all_parts, per_wish = [], []
        for w_i, wish in enumerate(wishes):
            is_edu, _, subject = education_terms(wish)
            if is_edu:
                # "elevplads", "uddannelse som kok": apprentice and trainee ads answer the
                # education part, the trade ("kok") is matched on its own; a job in the
                # trade answers only part of the wish, a place in another trade little.
                edu = sub(self.education_, rows).astype(np.float64)
                parts = self.wish_parts(subject, rows) if subject else {}
                rel_s = combined(parts) if parts else np.ones(n)
                rel = np.where(edu > 0, EDU_AD_FLOOR + (1 - EDU_AD_FLOOR) * rel_s,
                               EDU_JOB_SHARE * rel_s if parts else 0.0)
                parts = {"education": edu, **parts}
            else:
                parts = self.wish_parts(wish, rows)
                rel = combined(parts)
            all_parts.append(parts)
            per_wish.append(rel)
            better = rel > best
            best = np.where(better, rel, best)
            which = np.where(better, w_i, which)
        return Relevance(best, which, all_parts, per_wish)

    def experience(self, p: CitizenProfile, rows: np.ndarray | None = None
                   ) -> Relevance | None:
        """How well each ad matches the citizen's past jobs (career profile), and which one:
        the same relevance a wish gets, with the past job's title as the wish."""
        if p.career is None or not p.career.work_history:
            return None
        return self.score([w.title for w in p.career.work_history], rows)


def load_text_models(settings: Any) -> tuple[Any, Any]:
    """(occupation matcher, encoder) for :class:`WishRelevance` from the settings, each None
    when not installed or switched off (``semantic="off"``)."""
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
