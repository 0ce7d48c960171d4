from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from _strategies import PROPS, ads, profiles
from _suggest_data import TODAY
from conftest import vacancy
from hypothesis import given
from hypothesis import strategies as st

from ipsmatch import constraints as C
from ipsmatch.columns import Columns
from ipsmatch.constraints.vectorised import ConstraintArrays, avoid_counts, constrain
from ipsmatch.domain import Fact, Need, Vacancy
from ipsmatch.geo import postcode_info
from ipsmatch.needs import NEEDS
from ipsmatch.profile import as_profile

HOME = postcode_info("9400")
assert HOME is not None


def crit(**kw) -> C.Criteria:
    base = {"origin": HOME.point, "mode": "bike", "max_minutes": 45.0}
    base.update(kw)
    return C.Criteria(**base)


def codes(rs) -> list[str]:
    return [r.code for r in rs]


def test_stated_night_excludes_must_no_night_with_quote() -> None:
    ev = C.evaluate(vacancy(facts=[Fact("night", True, "nattevagter")]),
                    crit(needs=[Need("no_night")]), today=TODAY)
    assert ev.excluded and codes(ev.exclusions) == ["need.no_night.broken"]
    assert ev.exclusions[0].quote == "nattevagter"


def test_unknown_must_need_is_a_concern_not_an_exclusion_and_no_credit() -> None:
    ev = C.evaluate(vacancy(), crit(needs=[Need("no_night"), Need("flexible_start")]), today=TODAY)
    assert not ev.excluded
    assert ev.signals["needs"] == 0.0
    assert "need.no_night.unknown" in codes(ev.concerns)
    assert "ikke oplyst – spørg arbejdsgiveren" in ev.concerns[-1].text_da \
        or any("ikke oplyst" in r.text_da for r in ev.concerns)


def test_satisfied_needs_give_credit_and_broken_preferences_cost() -> None:
    v = vacancy(facts=[Fact("night", False, "kun dagarbejde"),
                       Fact("high_tempo", True, "højt tempo")])
    ev = C.evaluate(v, crit(needs=[Need("no_night"), Need("low_tempo", must=False)]),
                    today=TODAY)
    assert not ev.excluded
    assert "need.no_night.met" in codes(ev.reasons)
    assert "need.low_tempo.broken" in codes(ev.concerns)
    assert ev.signals["needs"] == 0.0  # (1 met − 1 broken preference) / 2
    ev2 = C.evaluate(v, crit(needs=[Need("no_night")]), today=TODAY)
    assert ev2.signals["needs"] == 1.0


def test_commute_limit_excludes_and_unknown_location_is_kept() -> None:
    far = C.evaluate(vacancy(postcode="9800"), crit(), today=TODAY)
    assert far.excluded and codes(far.exclusions) == ["commute.too_far"]
    nowhere = C.evaluate(vacancy(postcode=None), crit(), today=TODAY)
    assert not nowhere.excluded and "commute.unknown" in codes(nowhere.concerns)
    assert nowhere.signals["commute"] == C.COMMUTE_UNKNOWN


def test_hours_beyond_capacity_is_a_penalty_unless_must() -> None:
    c = crit(hours_min=8, hours_max=12)
    full = C.evaluate(vacancy(hours_min=37, hours_max=37), c, today=TODAY)
    assert not full.excluded
    assert "kræver aftale om færre timer" in full.concerns[0].text_da
    assert full.signals["hours"] < 0.05
    fit = C.evaluate(vacancy(hours_min=8, hours_max=12), c, today=TODAY)
    assert fit.signals["hours"] == 1.0 and "hours.fit" in codes(fit.reasons)
    must = C.evaluate(vacancy(hours_min=37, hours_max=37), crit(hours_max=12, hours_must=True),
                      today=TODAY)
    assert must.excluded and codes(must.exclusions) == ["hours.over_must"]
    # a range that starts inside capacity is "a little over", even when hours are a must
    slightly = C.evaluate(vacancy(hours_min=10, hours_max=15), crit(hours_min=8, hours_max=12,
                                                                hours_must=True), today=TODAY)
    assert not slightly.excluded
    assert slightly.concerns[0].text_da == "10–15 t/uge: lidt over de 8–12 t borgeren kan nu"


def test_part_time_softens_the_hours_penalty() -> None:
    c = crit(hours_min=8, hours_max=12)
    plain = C.evaluate(vacancy(hours_min=30, hours_max=37), c, today=TODAY)
    pt = C.evaluate(vacancy(hours_min=30, hours_max=37,
                        facts=[Fact("part_time_possible", True, "mulighed for deltid")]),
                    c, today=TODAY)
    assert pt.signals["hours"] > plain.signals["hours"]
    assert pt.concerns[0].code == "hours.over_part_time"


def test_unknown_hours_score_below_a_fit() -> None:
    ev = C.evaluate(vacancy(), crit(hours_min=8, hours_max=12), today=TODAY)
    assert ev.signals["hours"] == C.HOURS_UNKNOWN < C.HOURS_BELOW
    assert "hours.unknown" in codes(ev.concerns)


@pytest.mark.parametrize(("conds", "accept", "fleks", "excluded"), [
    (["loentilskud"], False, False, True),
    (["loentilskud"], True, False, False),
    (["virksomhedspraktik"], False, True, True),
    (["fleksjob"], False, False, True),
    (["fleksjob"], False, True, False),
    (["ordinary"], False, False, False),
    ([], False, True, False),  # an approved citizen still gets ordinary ads
])
def test_work_conditions(conds, accept, fleks, excluded) -> None:
    ev = C.evaluate(vacancy(work_conditions=conds),
                    crit(accept_subsidised=accept, fleksjob_approved=fleks), today=TODAY)
    assert ev.excluded is excluded


def test_search_mode_does_not_filter_conditions() -> None:
    ev = C.evaluate(vacancy(work_conditions=["fleksjob"]), crit(check_conditions=False),
                    today=TODAY)
    assert not ev.excluded


def test_avoid_terms_penalise_by_text_or_fact() -> None:
    v = vacancy(title="Butiksassistent", text="Du skal betjene gæster",
            facts=[Fact("customer_contact", True, "betjene gæster")])
    ev = C.evaluate(v, crit(avoid=["kundekontakt", "butik", "lager"]), today=TODAY)
    assert not ev.excluded and ev.avoid_count == 2
    quotes = [r.quote for r in ev.concerns if r.code == "avoid.hit"]
    assert "betjene gæster" in quotes


def test_freshness_prefers_new_and_far_deadlines() -> None:
    new = float(C.freshness(1, 30))
    old = float(C.freshness(60, 30))
    closing = float(C.freshness(1, 1))
    assert new > old and new > closing
    ev = C.evaluate(vacancy(posted=TODAY - timedelta(days=2), deadline=TODAY + timedelta(days=2)),
                    crit(), today=TODAY)
    assert "freshness.deadline_soon" in codes(ev.concerns)


def test_an_ad_past_its_deadline_is_left_out_until_the_refresh_expires_it() -> None:
    past = C.evaluate(vacancy(deadline=TODAY - timedelta(days=1)), crit(), today=TODAY)
    assert past.excluded and codes(past.exclusions) == ["freshness.deadline_passed"]
    assert past.exclusions[0].text_da == \
        f"Ansøgningsfristen var {(TODAY - timedelta(days=1)):%d.%m.%Y}"
    today = C.evaluate(vacancy(deadline=TODAY), crit(), today=TODAY)
    assert not today.excluded and "freshness.deadline_today" in codes(today.concerns)
    assert not C.evaluate(vacancy(deadline=None), crit(), today=TODAY).excluded


nan_or_hours = st.one_of(st.none(), st.floats(1, 45))


@given(nan_or_hours, nan_or_hours, st.one_of(st.none(), st.floats(0, 20)),
       st.one_of(st.none(), st.floats(5, 40)), st.booleans())
def test_vectorised_hours_match_the_scalar(hmin, hmax, cmin, cmax, pt) -> None:
    if cmin is not None and cmax is not None and cmin > cmax:
        cmin, cmax = cmax, cmin
    nan = float("nan")
    arr = C.hours_fit(np.array([nan if hmin is None else hmin, 5.0]),
                      np.array([nan if hmax is None else hmax, 5.0]), cmin, cmax,
                      np.array([pt, False]))
    one = C.hours_fit(nan if hmin is None else hmin, nan if hmax is None else hmax, cmin, cmax,
                      pt)
    assert float(arr[0]) == pytest.approx(float(one))
    assert 0.0 <= float(one) <= 1.0


def test_hours_category_orders() -> None:
    cat = C.hours_category(np.array([8, 5, 10, 37, np.nan]), np.array([12, 6, 15, 37, np.nan]),
                           8, 12)
    assert cat.tolist() == [C.H_FIT, C.H_BELOW, C.H_SLIGHTLY_OVER, C.H_OVER, C.H_UNKNOWN]


# --- the vectorised path against the reference ------------------------------------------------

@st.composite
def search_criteria(draw: Any) -> C.Criteria:
    """Criteria as ``Matcher.search`` builds them: by car, km limit, must-needs, no conditions."""
    near = draw(st.sampled_from([None, "9000", "9400", "9380"]))
    info = postcode_info(near) if near else None
    hmax = draw(st.sampled_from([None, 12.0, 30.0]))
    return C.Criteria(origin=info.point if info else None, mode="car",
                      max_km=draw(st.sampled_from([None, 3.0, 8.0, 25.0])) if info else None,
                      hours_max=hmax, hours_must=hmax is not None,
                      needs=[Need(n) for n in draw(st.lists(st.sampled_from(sorted(NEEDS)),
                                                            max_size=3, unique=True))],
                      avoid=draw(st.lists(st.sampled_from(["nat", "butik", "kunder"]),
                                          max_size=2)),
                      check_conditions=False)


def _nan(x: float | None) -> float:
    return float("nan") if x is None else x


@PROPS
@given(ads(), st.one_of(profiles().map(lambda d: C.Criteria.from_profile(as_profile(d))),
                        search_criteria()), st.data())
def test_constrain_matches_evaluate(vs: list[Vacancy], crit: C.Criteria, data: Any) -> None:
    arrays = ConstraintArrays.from_columns(Columns.build(vs, [])[0])
    got = constrain(arrays, crit, today=TODAY)
    every = np.arange(len(vs))
    hits = avoid_counts(arrays, crit.avoid, every, lambda i: C.folded_text(vs[i]))
    for i, v in enumerate(vs):
        ev = C.evaluate(v, crit, today=TODAY)
        assert bool(got.excluded[i]) == ev.excluded, (v, [r.code for r in ev.exclusions])
        assert set(got.signals) == set(ev.signals)
        for k, val in ev.signals.items():
            assert float(got.signals[k][i]) == pytest.approx(val, abs=1e-9), k
        np.testing.assert_allclose(got.distance_km[i], _nan(ev.distance_km), rtol=1e-9)
        np.testing.assert_allclose(got.minutes[i], _nan(ev.commute_minutes), rtol=1e-9)
        assert int(hits[i]) == ev.avoid_count
        assert got.avoid_facts[i] <= hits[i]
    # a subset of rows is the same as the subset of all
    rows = np.flatnonzero(data.draw(st.lists(st.booleans(), min_size=len(vs),
                                             max_size=len(vs))))
    part = constrain(arrays, crit, today=TODAY, rows=rows)
    assert np.array_equal(part.excluded, got.excluded[rows])
    assert np.array_equal(part.avoid_facts, got.avoid_facts[rows])
    for k, arr in got.signals.items():
        assert np.array_equal(part.signals[k], arr[rows]), k
