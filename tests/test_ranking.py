from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsmatch import ranking as R


def test_weights_are_convex() -> None:
    assert sum(R.WEIGHTS.values()) == pytest.approx(1.0)
    assert sum(R.EMPLOYER_WEIGHTS.values()) == pytest.approx(1.0)


def test_fuse_renormalises_missing_signals() -> None:
    assert R.fuse({"wish": 1.0, "hours": 1.0}) == pytest.approx(1.0)
    assert R.fuse({"wish": 0.5}) == pytest.approx(0.5)
    both = R.fuse({"wish": 1.0, "hours": 0.0})
    assert both == pytest.approx(R.WEIGHTS["wish"] / (R.WEIGHTS["wish"] + R.WEIGHTS["hours"]))


def test_avoid_penalty_is_capped() -> None:
    base = {"wish": 1.0}
    assert R.fuse(base, avoid_hits=1) == pytest.approx(1 - R.AVOID_PENALTY)
    assert R.fuse(base, avoid_hits=9) == pytest.approx(1 - R.AVOID_MAX_HITS * R.AVOID_PENALTY)


signal = st.floats(0, 1)


@given(st.dictionaries(st.sampled_from(list(R.WEIGHTS)), signal, min_size=1),
       st.integers(0, 5))
def test_fuse_stays_in_unit_interval(sig: dict[str, float], hits: int) -> None:
    s = float(R.fuse(sig, avoid_hits=hits))
    assert 0.0 <= s <= 1.0
    assert s <= max(sig.values()) + 1e-9


def test_combine_wish_rewards_agreement() -> None:
    one = float(R.combine_wish([np.float64(0.9), np.float64(0.0)]))
    two = float(R.combine_wish([np.float64(0.9), np.float64(0.9)]))
    assert two > one and two == pytest.approx(0.9)


def test_diversify_example() -> None:
    emps = ["a", "a", "a", "a", "b", "c", "d", "e", "f", "g", "h", "i"]
    out = R.diversify(list(range(12)), emps, per_employer=2, window=10)
    top = out[:10]
    assert Counter(emps[i] for i in top)["a"] == 2
    assert sorted(out) == list(range(12))
    assert out[10:] == [2, 3]  # skipped ads follow in score order


def test_diversify_fills_when_no_alternatives() -> None:
    emps = ["a"] * 5
    assert R.diversify(list(range(5)), emps, per_employer=2) == [0, 1, 2, 3, 4]


@given(st.lists(st.sampled_from("abcdefg"), min_size=0, max_size=40), st.integers(1, 3))
def test_diversify_employer_cap(emps: list[str], per: int) -> None:
    n = len(emps)
    out = R.diversify(list(range(n)), emps, None, per_employer=per, window=10)
    assert sorted(out) == list(range(n))  # a permutation
    counts = Counter(emps[i] for i in out[:10])
    capacity = sum(min(c, per) for c in Counter(emps).values())
    if capacity >= min(10, n):  # enough alternatives: the cap holds
        assert max(counts.values(), default=0) <= per
    # and the window is the best ads that respect the cap, in score order
    assert out[:10] == sorted(out[:10]) or capacity < min(10, n)


@given(st.lists(st.sampled_from(["o1", "o2", "o3", None]), min_size=0, max_size=40))
def test_diversify_occupation_spread(occs: list[str | None]) -> None:
    n = len(occs)
    out = R.diversify(list(range(n)), [None] * n, occs, window=10)
    assert sorted(out) == list(range(n))
    counts = Counter(occs[i] for i in out[:10] if occs[i] is not None)
    capacity = sum(min(c, R.PER_OCCUPATION) for o, c in Counter(occs).items() if o) + \
        occs.count(None)
    if capacity >= min(10, n):
        assert max(counts.values(), default=0) <= R.PER_OCCUPATION


@given(st.lists(st.floats(-5, 5), min_size=0, max_size=50), st.integers(0, 60),
       st.lists(st.booleans(), min_size=50, max_size=50))
def test_top_k_matches_a_sort(scores: list[float], k: int, mask: list[bool]) -> None:
    s = np.array(scores, dtype=np.float64)
    m = np.array(mask[: len(scores)], dtype=bool)
    got = R.top_k(s, k, m).tolist()
    ref = sorted((i for i in range(len(scores)) if m[i]), key=lambda i: (-s[i], i))[:k]
    assert got == ref
