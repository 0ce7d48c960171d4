"""Lexical signals over taxonomy labels: character n-gram TF-IDF and fuzzy string similarity.

Each signal scores every *label* of every concept in [0, 1]; :func:`max_per_concept` then keeps
the best label per concept. Labels are stored concept by concept, so that is a ``reduceat``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ipsmatch.text.normalize import join_heads, normalize, stem


def analyze(text: str) -> str:
    """The form both labels and queries are compared in: normalised, heads glued, stemmed."""
    return " ".join(stem(w) for w in join_heads(normalize(text)).split())


@dataclass
class LabelTable:
    """Labels in concept order: ``owner[i]`` is the concept index of label ``i``.

    ``starts`` holds the first label row of each concept (every concept has >= 1 label).
    """

    texts: list[str]
    analyzed: list[str]
    owner: np.ndarray
    lang: np.ndarray  # 0 = Danish, 1 = English
    preferred: np.ndarray
    starts: np.ndarray

    @classmethod
    def build(cls, labels: Sequence[Sequence[tuple[str, str, bool]]]) -> LabelTable:
        texts: list[str] = []
        owner: list[int] = []
        lang: list[int] = []
        pref: list[bool] = []
        starts: list[int] = []
        for ci, concept_labels in enumerate(labels):
            starts.append(len(texts))
            if not concept_labels:
                raise ValueError(f"concept #{ci} has no labels")
            for text, lg, is_pref in concept_labels:
                texts.append(text)
                owner.append(ci)
                lang.append(0 if lg == "da" else 1)
                pref.append(is_pref)
        return cls(texts=texts, analyzed=[analyze(t) for t in texts],
                   owner=np.asarray(owner, dtype=np.int32), lang=np.asarray(lang, dtype=np.int8),
                   preferred=np.asarray(pref, dtype=bool),
                   starts=np.asarray(starts, dtype=np.int64))


def max_per_concept(label_scores: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Best label score per concept; ``label_scores`` is (n_labels,) or (n_queries, n_labels)."""
    return np.maximum.reduceat(label_scores, starts, axis=-1)


class CharTfidf:
    """Character n-gram TF-IDF (``char_wb``, sublinear tf) with cosine similarity."""

    def __init__(self, ngram_range: tuple[int, int] = (2, 4)) -> None:
        self.ngram_range = ngram_range

    def fit(self, docs: Sequence[str]) -> CharTfidf:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range,
                                           sublinear_tf=True, lowercase=False, dtype=np.float32)
        self.matrix_ = self.vectorizer_.fit_transform(docs).T.tocsr()  # (features, docs)
        return self

    def score(self, queries: Sequence[str]) -> np.ndarray:
        """Cosine similarity (n_queries, n_docs)."""
        q = self.vectorizer_.transform(queries)
        return np.asarray((q @ self.matrix_).todense(), dtype=np.float32)


def fuzzy_scores(queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
    """RapidFuzz similarity in [0, 1] (n_queries, n_choices): the mean of WRatio and
    token_set_ratio, which catches typos (WRatio) and word-order / extra words (token_set)."""
    from rapidfuzz import fuzz, process

    a = process.cdist(queries, choices, scorer=fuzz.WRatio, dtype=np.uint8, workers=1)
    b = process.cdist(queries, choices, scorer=fuzz.token_set_ratio, dtype=np.uint8, workers=1)
    return (a.astype(np.float32) + b.astype(np.float32)) / 200.0
