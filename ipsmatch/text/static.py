"""A static (bag-of-words) embedding model: pure NumPy, thousands of texts per second.

A text's vector is the L2-normalised mean of its word vectors. Words are looked up by their
folded form (:func:`ipsmatch.text.normalize.fold_to_ascii`); an unknown Danish compound is split
greedily into known words ("pakkeopgaver" → "pakke" + "opgaver"), so compounds the vocabulary
never saw still get a vector. Files (no pickle): ``vectors.npy`` (float16, vocab × dim),
``vocab.json`` (list of words, row order) and ``manifest.json`` (name, dim, provenance).
Built by ``models/build_static.py``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from ipsmatch.text.normalize import fold_to_ascii

_WORD = re.compile(r"[0-9a-z]+")
MIN_PART = 3


def words(text: str) -> list[str]:
    """Folded word tokens (no stemming: the vectors carry inflection themselves)."""
    return _WORD.findall(fold_to_ascii(text))


class StaticModel:
    """Lookup table of word vectors with compound splitting for unknown words."""

    def __init__(self, vocab: list[str], vectors: np.ndarray, name: str = "static") -> None:
        self.vocab = {w: i for i, w in enumerate(vocab)}
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.name = name
        self.dim = int(self.vectors.shape[1])
        self._split = lru_cache(maxsize=200_000)(self._split_uncached)

    @classmethod
    def load(cls, directory: Path) -> StaticModel:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        vocab = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
        vectors = np.load(directory / "vectors.npy", allow_pickle=False)
        if len(vocab) != vectors.shape[0]:
            raise ValueError(f"{directory}: vocab has {len(vocab)} words, vectors "
                             f"{vectors.shape[0]} rows")
        return cls(vocab, vectors, name=manifest.get("name", directory.name))

    def _split_uncached(self, word: str) -> tuple[int, ...]:
        """Row ids for ``word``: itself if known, else the fewest known parts covering it."""
        i = self.vocab.get(word)
        if i is not None:
            return (i,)
        n = len(word)
        if n < 2 * MIN_PART:
            return ()
        # best[k] = fewest known parts covering word[:k] (exact DP; words are short).
        best: list[tuple[int, ...] | None] = [None] * (n + 1)
        best[0] = ()
        for end in range(MIN_PART, n + 1):
            for start in range(0, end - MIN_PART + 1):
                prev = best[start]
                if prev is None:
                    continue
                part = word[start:end]
                j = self.vocab.get(part)
                # Danish linking letter ("forsikring|s|elev", "bygning|s|..."): the part
                # may carry a trailing -s/-e that the vocabulary word lacks.
                if j is None and part[-1] in "se" and len(part) > MIN_PART:
                    j = self.vocab.get(part[:-1])
                if j is None:
                    continue
                cand = (*prev, j)
                cur = best[end]
                if cur is None or len(cand) < len(cur):
                    best[end] = cand
        return best[n] or ()

    def ids(self, text: str) -> list[int]:
        out: list[int] = []
        for w in words(text):
            out.extend(self._split(w))
        return out

    def encode(self, texts: list[str]) -> np.ndarray:
        """(n, dim) float32, rows L2-normalised; a text with no known word is all zeros."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, text in enumerate(texts):
            ids = self.ids(text)
            if ids:
                out[r] = self.vectors[ids].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out
