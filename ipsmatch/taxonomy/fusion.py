"""Score fusion: per-label signals → per-concept scores → one fused score in [0, 1].

The method, step by step (all pure NumPy, unit-tested on a tiny taxonomy):

1. Every signal scores every label in [0, 1]: ``lex`` (char n-gram TF-IDF cosine), ``sem``
   (embedding cosine, rescaled so that ``sem_floor`` → 0 and 1 → 1, because e5 cosines of
   unrelated titles sit around 0.7-0.8), ``exact`` (1 when the analysed query equals the
   analysed label) and ``fuzzy`` (RapidFuzz; computed for shortlisted concepts only).
2. Each label score is multiplied by the label's prior: 1 for a preferred label,
   ``alt_weight`` for an alternative label (alt labels are often broader and shared by several
   concepts), ``en_weight`` for English labels.
3. Per concept and signal, the best label counts (max). The semantic signal is then mixed
   with the similarity to the concept's *centroid* (normalised mean of its label vectors):
   ``sem = (1 - centroid_mix) * max_label + centroid_mix * centroid``; the centroid rewards a
   text that fits the concept as a whole rather than one odd alternative label.
4. Fused = ``(1 - w_sem) * lex + w_sem * sem + w_exact * exact + w_fuzzy * fuzzy``,
   divided by its maximum possible value so it stays in [0, 1]; ISCO groups are then multiplied
   by ``isco_weight`` (a group is a less specific answer than an occupation that fits as well).

Without a semantic signal ``w_sem`` is 0 and the lexical weight is 1.

5. Title structure (:mod:`ipsmatch.taxonomy.structure`, in the matcher): a composite title
   ("Programmør og systemudvikler", "Adjunkt, fysik" read as "Adjunkt i fysik") is also
   scored part by part, each concept keeping ``max(whole, seg_weight * part)``; then on each
   query's shortlist ``w_head`` × head match (same compound head, or a label compound ending
   in the query's head) is added and ``w_extra`` × the share of up to two label words the
   query did not ask for is subtracted, ``w_manager`` is subtracted from a manager's title
   made of the query's own field ("lager" → "lagerchef": a wish for a field asks for the work
   in it), and the result divided by ``1 + w_head``.
6. Title variants (:func:`~ipsmatch.taxonomy.structure.title_variants`: each side of a slash
   title, the trade of an apprentice title, "lektor" for a lone academic rank) are scored
   like the text, each concept keeping ``max(whole, w_variant * variant)``.
7. Role families: in a "<role>, <field>" title the role is looked up among the labels
   (exactly, after normalisation; an academic rank also as "lektor"); the concepts it names
   and their descendants in ESCO's code hierarchy get ``w_family * role_label_prior *
   field_fit``, ``field_fit`` being the field text's own score on each member relative to the
   family's best; the row is divided by ``1 + w_family``. So "Forsker, humaniora" ranks the
   "lektor i <field>" occupations first, in the order of their fit to "humaniora".
8. Wish vocabulary (:mod:`ipsmatch.taxonomy.wishes`): the unit groups an everyday wish
   means ("noget med dyr", "murerarbejdsmand", "ekspedient i Føtex") lift their occupations
   to ``w_wish * weight * (wish_floor + (1 - wish_floor) * fit)`` (kept when higher than the
   fused score), ``fit`` being the concept's fused score relative to the best in the groups,
   and each group itself to ``0.9 * w_wish * weight``. Before it, an English text's scores
   against all English labels (:mod:`ipsmatch.taxonomy.english`) are averaged in:
   ``max(fused, (fused + w_english * english) / 2)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class FusionParams:
    """Weights of :func:`fuse`; tuned on the dev set (see benchmarks/title_match.py).

    ``w_manager`` is subtracted from concepts that make a field wish a manager's title
    ("lager" → "lagerchef"; see :func:`~ipsmatch.taxonomy.structure.adds_manager`). No dev
    title is a bare field, so dev MRR cannot choose it (0.7365 → 0.7364 at 0.1); 0.1 is the
    smallest round value that puts the worker's title first for "lager" and "butik".
    ``w_family`` was set to 0.3 before any grid ran (dev MRR is flat from 0.1 to 0.8);
    ``w_variant`` was picked from 0.8 / 0.9 / 1.0 on the dev set. The benchmark
    cross-validates both (2-fold, by query and grouped by role word).

    ``w_wish`` (0 turns it off) scales the lift of the ISCO groups the wish vocabulary reads
    in a text (:mod:`ipsmatch.taxonomy.wishes`); inside the groups a concept gets
    ``w_wish * weight * (wish_floor + (1 - wish_floor) * fit)``, ``fit`` being its own fused
    score relative to the best concept of all the wish's groups. Both were set before the
    wish benchmark ran (0.6 puts every main group's concept above every "also" group's:
    ``0.6 * 1.0 >= 1.0 * 0.6``), not tuned on it.
    """

    w_sem: float = 0.7
    w_exact: float = 0.3
    w_fuzzy: float = 0.0
    sem_floor: float = 0.8
    centroid_mix: float = 0.3
    alt_weight: float = 0.8
    en_weight: float = 0.95
    isco_weight: float = 0.9
    w_head: float = 0.2
    w_extra: float = 0.1
    seg_weight: float = 1.0
    comma_as_field: float = 1.0
    w_family: float = 0.3
    w_variant: float = 0.9
    w_manager: float = 0.1
    w_wish: float = 1.0
    w_english: float = 0.85
    wish_floor: float = 0.6

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def for_backend(cls, backend: str) -> FusionParams:
        """Defaults for a semantic backend ('off', 'static' or 'e5'), measured on the dev set.

        The title-structure signals lift the lexical matcher by MRR +0.008 and the static
        one by +0.014 (hard +0.025), mostly via the generality penalty and reading
        "Adjunkt, fysik" also as "Adjunkt i fysik". e5 needs none of it: its label embeddings
        already tell "lagerarbejder" from "lagerarbejder på en lædervarefabrik", the penalty
        costs it 0.003-0.010 and part matching 0.0005; only a small head bonus stays (+0.0005).
        """
        if backend == "e5":
            return cls(w_head=0.1, w_extra=0.0, seg_weight=0.0, comma_as_field=0.0)
        return cls()


def label_prior(preferred: np.ndarray, lang: np.ndarray, p: FusionParams) -> np.ndarray:
    """Per-label multiplier: preferred > alternative, Danish > English."""
    return (np.where(preferred, 1.0, p.alt_weight) * np.where(lang == 0, 1.0, p.en_weight)
            ).astype(np.float32)


def rescale_sem(cos: np.ndarray, floor: float) -> np.ndarray:
    """Embedding cosine → [0, 1], with ``floor`` and below → 0."""
    return np.clip((cos - floor) / (1.0 - floor), 0.0, 1.0)


def fuse(lex: np.ndarray, sem: np.ndarray | None, exact: np.ndarray,
         fuzzy: np.ndarray | None, is_isco: np.ndarray, p: FusionParams) -> np.ndarray:
    """Combine per-concept signal scores (each (..., n_concepts) in [0, 1]) into [0, 1]."""
    w_sem = p.w_sem if sem is not None else 0.0
    total = (1.0 - w_sem) * lex + p.w_exact * exact
    if sem is not None:
        total = total + w_sem * sem
    w_fuzzy = p.w_fuzzy if fuzzy is not None else 0.0
    if fuzzy is not None and w_fuzzy:
        total = total + w_fuzzy * fuzzy
    total = total / (1.0 + p.w_exact + w_fuzzy)
    return np.where(is_isco, total * p.isco_weight, total).astype(np.float32)
