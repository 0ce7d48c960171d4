"""Semantic retrieval: cosine over L2-normalised encoder vectors (a NumPy matrix product).

The encoder comes from :func:`ipsmatch.text.embed.get_encoder` (optional; None when no model
is installed, and then there is no semantic signal). Vectors are stored as ``vectors.npy``
with the manifest naming the model, so an index built with another model is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ipsmatch.errors import IndexError_
from ipsmatch.retrieval.base import (
    REBUILD_HINT,
    Hits,
    data_hash,
    read_manifest,
    top_hits,
    write_index_dir,
)

KIND = "semantic"
VERSION = 1


def model_name(encoder: Any) -> str:
    return str(getattr(encoder, "name", None) or getattr(encoder, "model_name", None)
               or type(encoder).__name__)


class SemanticRetriever:
    """Dense retriever over ``encoder.encode(list[str]) -> (n, d)`` unit vectors."""

    def __init__(self, encoder: Any, *, batch_size: int = 256) -> None:
        self.encoder = encoder
        self.batch_size = batch_size

    def fit(self, docs: Sequence[str], *, data_hash_: str | None = None) -> SemanticRetriever:
        chunks = [np.asarray(self.encoder.encode(list(docs[i:i + self.batch_size])),
                             dtype=np.float32)
                  for i in range(0, len(docs), self.batch_size)]
        self.vectors_ = (np.vstack(chunks) if chunks else np.zeros((0, 1), np.float32))
        self.data_hash_ = data_hash_ or data_hash(docs)
        return self

    def _check(self) -> None:
        if not hasattr(self, "vectors_"):
            raise IndexError_("SemanticRetriever is not fitted", hint="call fit(docs) first")

    def encode_query(self, query: str) -> np.ndarray:
        return np.asarray(self.encoder.encode([query]), dtype=np.float32)[0]

    def score_all(self, query: str) -> np.ndarray:
        """Cosine of ``query`` with every document (clipped at 0)."""
        self._check()
        s = self.vectors_ @ self.encode_query(query)
        return np.maximum(s, 0.0)

    def search(self, query: str, *, limit: int = 10) -> Hits:
        return top_hits(self.score_all(query), limit)

    def save(self, path: str | Path) -> None:
        self._check()
        manifest = {"kind": KIND, "version": VERSION, "params": {"batch_size": self.batch_size},
                    "model": model_name(self.encoder), "rows": int(self.vectors_.shape[0]),
                    "dim": int(self.vectors_.shape[1]), "data_hash": self.data_hash_}
        write_index_dir(path, manifest, lambda d: np.save(d / "vectors.npy", self.vectors_))

    @classmethod
    def load(cls, path: str | Path, encoder: Any, *, expected_hash: str | None = None
             ) -> SemanticRetriever:
        m = read_manifest(path, kind=KIND, version=VERSION, expected_hash=expected_hash)
        if m.get("model") != model_name(encoder):
            raise IndexError_(f"semantic index at {path} was built with {m.get('model')}, "
                              f"not {model_name(encoder)}",
                              hint=REBUILD_HINT)
        self = cls(encoder, batch_size=m["params"].get("batch_size", 256))
        try:
            self.vectors_ = np.load(Path(path) / "vectors.npy", mmap_mode="r",
                                    allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise IndexError_(f"corrupt semantic index at {path}: {exc}",
                              hint=REBUILD_HINT) from None
        if self.vectors_.shape[0] != m["rows"]:
            raise IndexError_(f"corrupt semantic index at {path}: row count differs",
                              hint=REBUILD_HINT)
        self.data_hash_ = m["data_hash"]
        return self
