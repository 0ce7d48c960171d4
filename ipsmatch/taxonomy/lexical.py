"""Lexical signals over taxonomy labels: character n-gram TF-IDF and fuzzy string similarity.

Each signal scores every *label* of every concept in [0, 1]; :func:`max_per_concept` then keeps
the best label per concept. Labels are stored concept by concept, so that is a ``reduceat``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def char_wb_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """Character n-grams inside word boundaries, as scikit-learn's ``char_wb`` analyzer."""
    out: list[str] = []
    for w in text.split():
        w = f" {w} "
        n_w = len(w)
        for n in range(lo, hi + 1):
            if n_w <= n:
                out.append(w)  # a short word counts once, whole
                break
            out.extend(w[i:i + n] for i in range(n_w - n + 1))
    return out


class CharTfidf:
    """Character n-gram TF-IDF (``char_wb``, sublinear tf, smooth idf, L2) and cosine scores.

    Equivalent to scikit-learn's ``TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)``
    (tested against it), without importing scikit-learn: that import alone costs more than a
    second, which the CLI's cold-start budget cannot pay.
    """

    def __init__(self, ngram_range: tuple[int, int] = (2, 4)) -> None:
        self.ngram_range = ngram_range

    def _counts(self, docs: Sequence[str], grow: bool
                ) -> tuple[list[int], list[int], np.ndarray]:
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        vocab = self.vocabulary_
        lo, hi = self.ngram_range
        for r, doc in enumerate(docs):
            grams = Counter(char_wb_ngrams(doc, lo, hi))
            if grow:
                ids = [vocab.setdefault(g, len(vocab)) for g in grams]
                ns = list(grams.values())
            else:
                pairs = [(vocab[g], n) for g, n in grams.items() if g in vocab]
                ids = [j for j, _ in pairs]
                ns = [n for _, n in pairs]
            rows.extend([r] * len(ids))
            cols.extend(ids)
            counts.extend(ns)
        return rows, cols, 1.0 + np.log(np.asarray(counts, dtype=np.float32))

    def _matrix(self, docs: Sequence[str], grow: bool) -> Any:
        from scipy.sparse import csr_matrix

        rows, cols, vals = self._counts(docs, grow)
        m = csr_matrix((vals, (rows, cols)),
                       shape=(len(docs), len(self.vocabulary_)), dtype=np.float32)
        if not grow:
            m = m.multiply(self.idf_).tocsr()
        return m

    def fit(self, docs: Sequence[str]) -> CharTfidf:
        self.vocabulary_: dict[str, int] = {}
        tf = self._matrix(docs, grow=True)
        df = np.bincount(tf.indices, minlength=tf.shape[1])
        self.idf_ = (np.log((1 + len(docs)) / (1 + df)) + 1.0).astype(np.float32)
        m = tf.multiply(self.idf_).tocsr()
        self.matrix_ = _l2_rows(m).T.tocsr()  # (features, docs)
        return self

    def save(self, path: Path) -> None:
        """Write the fitted index as one ``.npz`` (arrays only, no pickle)."""
        m = self.matrix_
        vocab = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
        np.savez(path, ngram_range=np.asarray(self.ngram_range), vocab=np.asarray(vocab),
                 idf=self.idf_, data=m.data, indices=m.indices, indptr=m.indptr,
                 shape=np.asarray(m.shape))

    @classmethod
    def load(cls, path: Path) -> CharTfidf:
        """Read an index written by :meth:`save`."""
        from scipy.sparse import csr_matrix

        with np.load(path, allow_pickle=False) as z:
            lo, hi = (int(x) for x in z["ngram_range"])
            self = cls((lo, hi))
            self.vocabulary_ = {g: i for i, g in enumerate(z["vocab"].tolist())}
            self.idf_ = z["idf"]
            self.matrix_ = csr_matrix((z["data"], z["indices"], z["indptr"]),
                                      shape=tuple(int(x) for x in z["shape"]))
        return self

    def transform(self, docs: Sequence[str]) -> Any:
        """L2-normalised TF-IDF rows (sparse) for ``docs``; unseen n-grams are ignored."""
        return _l2_rows(self._matrix(docs, grow=False))

    def score(self, queries: Sequence[str]) -> np.ndarray:
        """Cosine similarity (n_queries, n_docs)."""
        return np.asarray((self.transform(queries) @ self.matrix_).toarray(), dtype=np.float32)


def _l2_rows(m: Any) -> Any:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    from scipy.sparse import diags

    return (diags((1.0 / norms).astype(np.float32)) @ m).tocsr()


def fuzzy_scores(queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
    """RapidFuzz similarity in [0, 1] (n_queries, n_choices): the mean of WRatio and
    token_set_ratio, which catches typos (WRatio) and word-order / extra words (token_set)."""
    from rapidfuzz import fuzz, process

    a = process.cdist(queries, choices, scorer=fuzz.WRatio, dtype=np.uint8, workers=1)
    b = process.cdist(queries, choices, scorer=fuzz.token_set_ratio, dtype=np.uint8, workers=1)
    return (a.astype(np.float32) + b.astype(np.float32)) / 200.0
