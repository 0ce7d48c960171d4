"""Fusion of normalised signals into one score, and diversification of the ranked list.

Fusion is a weighted convex sum of signals that are each already in [0, 1]:

    =========  ======  ==========================================================
    signal     weight  what it measures
    =========  ======  ==========================================================
    wish       0.45    best wish's relevance: occupation concept, words, meaning
    hours      0.20    weekly hours vs the citizen's capacity (unknown = 0.4)
    commute    0.15    estimated travel minutes vs the citizen's limit
    needs      0.15    share of accommodation needs the ad states it meets
    freshness  0.05    newly posted, not about to close
    =========  ======  ==========================================================

A signal that does not apply to a citizen (no hours given, no needs, no home location) is
left out and the remaining weights are renormalised, so the score stays in [0, 1]. Each
avoid-term the ad hits then subtracts ``AVOID_PENALTY`` (at most ``AVOID_MAX_HITS`` times).

Diversification (IPS values a spread of employers and job types): walking down the fused
ranking, an ad enters the top ``window`` (10) only if its employer has fewer than
``per_employer`` (2) ads there and its occupation fewer than ``per_occupation`` (4); skipped
ads follow in score order after the window. When there are not enough alternatives the window
is filled with the skipped ads, best first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

WEIGHTS: dict[str, float] = {
    "wish": 0.45,
    "hours": 0.20,
    "commute": 0.15,
    "needs": 0.15,
    "freshness": 0.05,
}
AVOID_PENALTY = 0.15
AVOID_MAX_HITS = 2
DIVERSITY_WINDOW = 10
PER_EMPLOYER = 2
PER_OCCUPATION = 4

#: Wish relevance from its parts: 0.75 × the best part + 0.25 × the mean of the parts the
#: citizen's setup provides (occupation concepts, lexical, semantic), so agreement between
#: signals lifts an ad above one that only one signal likes.
WISH_BEST_WEIGHT = 0.75

#: Employer ranking for job development (employers with or without open vacancies).
EMPLOYER_WEIGHTS: dict[str, float] = {"fit": 0.65, "commute": 0.35}
#: Hook: what the team knows of an employer (Employer.attributes, filled by job development)
#: adds a bonus. key → (bonus, Danish label, English label).
EMPLOYER_ATTRIBUTE_BONUS: dict[str, tuple[float, str, str]] = {
    "hired_through_ips_before": (0.10, "Har ansat via IPS før", "Has hired through IPS before"),
    "open_to_part_time": (0.05, "Åben for deltid og få timer", "Open to part time and few hours"),
    "open_to_accommodations": (0.05, "Åben for skånehensyn", "Open to accommodations"),
    "contact_positive": (0.05, "God kontakt med virksomheden", "Good contact with the company"),
}


def combine_wish(parts: Sequence[Any]) -> Any:
    """Wish relevance from its available parts (arrays or floats in [0, 1])."""
    if not parts:
        return 0.0
    stack = np.stack([np.asarray(p, dtype=np.float64) for p in parts])
    return WISH_BEST_WEIGHT * stack.max(axis=0) + (1 - WISH_BEST_WEIGHT) * stack.mean(axis=0)


def fuse(signals: Mapping[str, Any], *, avoid_hits: Any = 0,
         weights: Mapping[str, float] = WEIGHTS) -> Any:
    """Convex sum over the signals present (weights renormalised), minus avoid penalties."""
    active = [k for k in weights if k in signals]
    total = sum(weights[k] for k in active)
    if total <= 0:
        return np.zeros_like(np.asarray(avoid_hits, dtype=np.float64))
    score = sum(weights[k] / total * np.asarray(signals[k], dtype=np.float64) for k in active)
    penalty = AVOID_PENALTY * np.minimum(np.asarray(avoid_hits, dtype=np.float64),
                                         AVOID_MAX_HITS)
    return np.clip(score - penalty, 0.0, 1.0)


def diversify(order: Sequence[int], employer_keys: Sequence[Any],
              occupation_keys: Sequence[Any] | None = None, *,
              per_employer: int = PER_EMPLOYER, per_occupation: int = PER_OCCUPATION,
              window: int = DIVERSITY_WINDOW) -> list[int]:
    """Reorder ``order`` (best first) so the top ``window`` spreads employers/occupations.

    ``employer_keys[i]``/``occupation_keys[i]`` belong to item ``i``; None means "unknown",
    which is never capped (each unknown counts as its own employer/occupation).
    """
    top: list[int] = []
    deferred: list[int] = []
    emp_count: dict[Any, int] = {}
    occ_count: dict[Any, int] = {}
    rest_start = len(order)
    for pos, i in enumerate(order):
        if len(top) >= window:
            rest_start = pos
            break
        e = employer_keys[i]
        o = occupation_keys[i] if occupation_keys is not None else None
        if (e is not None and emp_count.get(e, 0) >= per_employer) or (
                o is not None and occ_count.get(o, 0) >= per_occupation):
            deferred.append(i)
            continue
        top.append(i)
        if e is not None:
            emp_count[e] = emp_count.get(e, 0) + 1
        if o is not None:
            occ_count[o] = occ_count.get(o, 0) + 1
    rest = list(order[rest_start:]) if len(top) >= window else []
    if len(top) < window:
        # Not enough alternatives: fill with the best skipped ads.
        need = window - len(top)
        top.extend(deferred[:need])
        deferred = deferred[need:]
    # Skipped ads keep their score order among what follows the window.
    return top + _merge_by_rank(deferred, rest, order)


def _merge_by_rank(a: list[int], b: list[int], order: Sequence[int]) -> list[int]:
    rank = {i: r for r, i in enumerate(order)}
    return sorted(a + b, key=rank.__getitem__)


def top_k(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> np.ndarray:
    """Indices of the ``k`` highest scores (descending; ties by index), optionally masked."""
    s = scores if mask is None else np.where(mask, scores, -np.inf)
    n = int(s.shape[0]) if mask is None else int(mask.sum())
    k = min(k, n)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k < s.shape[0]:
        # The k-th best score; ties at it go to the lowest indices, so results are stable.
        kth = -np.partition(-s, k - 1)[k - 1]
        above = np.flatnonzero(s > kth)
        idx = np.concatenate([above, np.flatnonzero(s == kth)[: k - above.size]])
    else:
        idx = np.arange(s.shape[0])
    idx = idx[np.isfinite(s[idx])]
    return idx[np.lexsort((idx, -s[idx]))]
