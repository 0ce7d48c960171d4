"""English job titles and wishes: ESCO's English labels, alternative ones included.

The main label table holds Danish labels and only ESCO's *preferred* English label per
concept: the ~30,000 English alternative labels add noise to Danish queries (measured on the
Danish title dev set). But many Danish ads and some citizens write English, and English
titles are often an alternative label ("kitchen porter", "room attendant", "picker"). So an
English text is also scored against all English labels (char n-gram TF-IDF, alternative
labels at ``alt_weight``, an exact match of the analysed label counting fully), and each
concept keeps the higher of its main score and the mean of its main score and
``w_english`` × that English score (:meth:`EnglishLabels.scores`; the matcher's ``_scores``).
The mean, not the maximum: with the maximum, long English ad titles reached concepts through
one wordy alternative label the semantic signal did not support ("Laboratory technician for
plant analysis …" → "institutleder på universitet", "warehouse employee" → "lagerchef" in
title_match.py's Jobnet ingest check).

A text is English when at least half of its words (of 3+ letters) occur in English labels
and never in Danish ones (:func:`is_english`): "Warehouse Operator",
"cleaning job" are; "Lagermedarbejder", "IT-support" are not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ipsmatch.taxonomy.concepts import Taxonomy, load_taxonomy
from ipsmatch.taxonomy.index import cached_analyze, fitted_tfidf
from ipsmatch.taxonomy.lexical import LabelTable, analyze, max_per_concept
from ipsmatch.text.normalize import fold_to_ascii

_WORD = re.compile(r"[a-z]{3,}")
#: English function words, which say nothing about the language of a short title.
_NEUTRAL = frozenset({"and", "the", "for", "with", "job", "jobs"})


class EnglishLabels:
    """All English labels of the taxonomy, for texts written in English."""

    def __init__(self, taxonomy: Taxonomy, alt_weight: float) -> None:
        labels = []
        for c in taxonomy.concepts:
            own = [(t, lg, p) for t, lg, p in c.labels() if lg == "en"]
            labels.append(own or [(c.label, "da", True)])
        self.table_ = LabelTable.build(labels, analyzer=cached_analyze)
        self.tfidf_ = fitted_tfidf(self.table_.analyzed)
        self.prior_ = np.where(self.table_.preferred, 1.0, alt_weight).astype(np.float32)
        self.exact_: dict[str, list[int]] = {}
        for i, a in enumerate(self.table_.analyzed):
            self.exact_.setdefault(a, []).append(i)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """(n_texts, n_concepts) in [0, 1]: best English label per concept."""
        analyzed = [analyze(t) for t in texts]
        lex = self.tfidf_.score(analyzed) * self.prior_
        for qi, a in enumerate(analyzed):
            for li in self.exact_.get(a, ()):
                lex[qi, li] = max(lex[qi, li], self.prior_[li])
        return max_per_concept(lex, self.table_.starts)


_ONLY_ENGLISH: dict[int, tuple[Taxonomy, frozenset[str]]] = {}


def _only_english(taxonomy: Taxonomy) -> frozenset[str]:
    """Words (3+ letters, folded) of English labels that no Danish label has (~40 ms once
    per taxonomy)."""
    hit = _ONLY_ENGLISH.get(id(taxonomy))
    if hit is not None and hit[0] is taxonomy:
        return hit[1]
    da: set[str] = set()
    en: set[str] = set()
    for c in taxonomy.concepts:
        for t, lg, _ in c.labels():
            (en if lg == "en" else da).update(_WORD.findall(fold_to_ascii(t)))
    only = frozenset(en - da)
    _ONLY_ENGLISH[id(taxonomy)] = (taxonomy, only)
    return only


def is_english(text: str, taxonomy: Taxonomy | None = None) -> bool:
    """At least half of the text's words occur only in English labels (see the module)."""
    words = [w for w in _WORD.findall(fold_to_ascii(text)) if w not in _NEUTRAL]
    if not words:
        return False
    only = _only_english(taxonomy or load_taxonomy())
    return 2 * sum(w in only for w in words) >= len(words)
