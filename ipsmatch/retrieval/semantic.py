"""Semantic retrieval: cosine over L2-normalised encoder vectors (a NumPy matrix product).

The encoder comes from :func:`ipsmatch.text.embed.get_encoder` (optional; None when no model
is installed, and then there is no semantic signal). Vectors are stored as ``vectors.npy``
with the manifest naming the model, so an index built with another model is refused.

Equal texts share one vector: job titles repeat ("Rengøringsassistent" thousands of times in
a national feed), so the index holds the distinct texts and ``inverse.npy`` maps each
document to its text. A query scans only the distinct texts (97,258 synthetic titles are
14,344 distinct ones), which is what keeps the scan cheap at a million ads.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ipsmatch.errors import IndexNotReadyError
from ipsmatch.retrieval.base import (
    REBUILD_HINT,
    Hits,
    data_hash,
    read_manifest,
    top_hits,
    write_index_dir,
)

KIND = "semantic"
#: 3: titles that say no job are indexed as empty text (ipsmatch.text.titles)
VERSION = 3


def model_name(encoder: Any) -> str:
    return str(getattr(encoder, "name", None) or getattr(encoder, "model_name", None)
               or type(encoder).__name__)


class SemanticRetriever:
    """Dense retriever over ``encoder.encode(list[str]) -> (n, d)`` unit vectors."""

    def __init__(self, encoder: Any, *, batch_size: int = 256) -> None:
        self.encoder = encoder
        self.batch_size = batch_size

    def fit(self, docs: Iterable[str], *, data_hash_: str | None = None) -> SemanticRetriever:
        index: dict[str, int] = {}
        inverse = np.fromiter((index.setdefault(d, len(index)) for d in docs), dtype=np.int32)
        texts = list(index)
        chunks = [np.asarray(self.encoder.encode(texts[i:i + self.batch_size]),
                             dtype=np.float32)
                  for i in range(0, len(texts), self.batch_size)]
        self.vectors_ = (np.vstack(chunks) if chunks else np.zeros((0, 1), np.float32))
        self.inverse_ = inverse
        self.data_hash_ = data_hash_ or data_hash(texts[i] for i in inverse.tolist())
        return self

    def _check(self) -> None:
        if not hasattr(self, "vectors_"):
            raise IndexNotReadyError("SemanticRetriever is not fitted", hint="call fit(docs) first")

    def encode_query(self, query: str) -> np.ndarray:
        return np.asarray(self.encoder.encode([query]), dtype=np.float32)[0]

    def score_distinct(self, query: str) -> np.ndarray:
        """Cosine of ``query`` with every distinct text (clipped at 0); document i has
        ``score_distinct(q)[inverse_[i]]``, and ``counts_`` says how many share each text."""
        self._check()
        return np.maximum(self.vectors_ @ self.encode_query(query), 0.0)

    def score_all(self, query: str) -> np.ndarray:
        """Cosine of ``query`` with every document (clipped at 0)."""
        return self.score_distinct(query)[self.inverse_]

    @property
    def counts_(self) -> np.ndarray:
        """How many documents share each distinct text."""
        c = getattr(self, "_counts", None)
        if c is None:
            c = self._counts = np.bincount(self.inverse_, minlength=self.vectors_.shape[0]
                                           ).astype(np.float64)
        return c

    def search(self, query: str, *, limit: int = 10) -> Hits:
        return top_hits(self.score_all(query), limit)

    def save(self, path: str | Path) -> None:
        self._check()
        manifest = {"kind": KIND, "version": VERSION, "params": {"batch_size": self.batch_size},
                    "model": model_name(self.encoder), "rows": int(self.inverse_.shape[0]),
                    "distinct": int(self.vectors_.shape[0]),
                    "dim": int(self.vectors_.shape[1]), "data_hash": self.data_hash_}

        def write(d: Path) -> None:
            np.save(d / "vectors.npy", self.vectors_, allow_pickle=False)
            np.save(d / "inverse.npy", self.inverse_, allow_pickle=False)
        write_index_dir(path, manifest, write)

    @classmethod
    def load(cls, path: str | Path, encoder: Any, *, expected_hash: str | None = None
             ) -> SemanticRetriever:
        m = read_manifest(path, kind=KIND, version=VERSION, expected_hash=expected_hash)
        if m.get("model") != model_name(encoder):
            raise IndexNotReadyError(f"semantic index at {path} was built with {m.get('model')}, "
                                     f"not {model_name(encoder)}",
                                     hint=REBUILD_HINT)
        self = cls(encoder, batch_size=m["params"].get("batch_size", 256))
        try:
            self.vectors_ = np.load(Path(path) / "vectors.npy", mmap_mode="r",
                                    allow_pickle=False)
            self.inverse_ = np.load(Path(path) / "inverse.npy", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise IndexNotReadyError(f"corrupt semantic index at {path}: {exc}",
                                     hint=REBUILD_HINT) from None
        n_vec = self.vectors_.shape[0]
        if self.inverse_.shape != (m["rows"],) or n_vec != m.get("distinct") or (
                self.inverse_.size and not 0 <= int(self.inverse_.min()) <= int(
                    self.inverse_.max()) < n_vec):
            raise IndexNotReadyError(f"corrupt semantic index at {path}: row count differs",
                                     hint=REBUILD_HINT)
        self.data_hash_ = m["data_hash"]
        return self
