"""The employer ranking's index of each employer's ads against the plain scans it replaces."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ipsmatch.jobdev.ranking import ads_among, ads_by_employer


@st.composite
def ads_and_rows(draw: st.DrawFn) -> tuple[np.ndarray, int, np.ndarray | None]:
    ne = draw(st.integers(1, 6))
    emp_idx = np.array(draw(st.lists(st.integers(-1, ne - 1), max_size=40)), dtype=np.int64)
    rows = None
    if draw(st.booleans()):
        rows = np.array(sorted(draw(st.sets(st.integers(0, max(0, emp_idx.size - 1)),
                                            max_size=emp_idx.size))), dtype=np.int64)
    return emp_idx, ne, rows


@given(ads_and_rows())
def test_each_employers_ads_as_the_plain_scan(case: tuple[np.ndarray, int, np.ndarray | None]
                                              ) -> None:
    emp_idx, ne, rows = case
    order, start = ads_by_employer(emp_idx, ne)
    local = emp_idx if rows is None else emp_idx[rows]
    for j in range(ne):
        assert order[start[j]:start[j + 1]].tolist() == np.flatnonzero(emp_idx == j).tolist()
        assert ads_among(order, start, j, rows).tolist() == np.flatnonzero(local == j).tolist()
